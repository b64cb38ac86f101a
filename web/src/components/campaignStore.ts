/**
 * The campaigns this supervisor created, remembered in localStorage: the API has no campaign list, so the
 * console keeps the ids it was answered on creation (newest first).
 */
const KEY = 'dr.campaigns';

export interface RememberedCampaign {
  campaignId: string;
  title: string;
  createdAt: string;
  createdBy: string;
}

function isRemembered(v: unknown): v is RememberedCampaign {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  return typeof r.campaignId === 'string' && typeof r.title === 'string' && typeof r.createdAt === 'string' && typeof r.createdBy === 'string';
}

export function rememberedCampaigns(username: string): RememberedCampaign[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(KEY) ?? '[]');
    return Array.isArray(parsed) ? parsed.filter(isRemembered).filter((c) => c.createdBy === username) : [];
  } catch {
    return [];
  }
}

export function rememberCampaign(c: RememberedCampaign): void {
  let all: RememberedCampaign[] = [];
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(KEY) ?? '[]');
    if (Array.isArray(parsed)) all = parsed.filter(isRemembered);
  } catch {
    /* start afresh */
  }
  localStorage.setItem(KEY, JSON.stringify([c, ...all.filter((x) => x.campaignId !== c.campaignId)].slice(0, 200)));
}
