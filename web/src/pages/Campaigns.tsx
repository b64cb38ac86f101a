/** The district's campaigns for a supervisor: GET /api/campaigns, newest first, by status, "more" by cursor; open one by id. */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api, type CampaignListEntry, type CampaignStatus, type Me } from '../api';
import { formatTime, useI18n } from '../i18n';
import { href, navigate } from '../router';
import { Alert, SelectField, TextField } from '../components/fields';
import { usePagedList } from '../components/usePagedList';

const CAMPAIGN_ID = /^CP-[0-9A-Z]{10}$/;
const STATUSES: CampaignStatus[] = ['scheduled', 'open', 'closed'];
const PAGE = 20;

export function Campaigns(_props: { me: Me }) {
  const i18n = useI18n();
  const { t, tv, lang } = i18n;
  const [status, setStatus] = useState('');
  const active = useRef<CampaignStatus | undefined>(undefined);
  const { items, cursor, error, busy, load } = usePagedList<{ status?: CampaignStatus }, CampaignListEntry>((q) => api.campaigns({ ...q, limit: PAGE }), i18n);
  const [id, setId] = useState('');
  const [idError, setIdError] = useState<string>();

  useEffect(() => {
    void load({}, false);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  function filter(ev: FormEvent) {
    ev.preventDefault();
    active.current = (status || undefined) as CampaignStatus | undefined;
    void load({ status: active.current }, false);
  }

  function open(ev: FormEvent) {
    ev.preventDefault();
    const v = id.trim().toUpperCase();
    if (!CAMPAIGN_ID.test(v)) {
      setIdError('CP-0123456789');
      return;
    }
    navigate(`/official/campaigns/${v}`);
  }

  return (
    <section aria-labelledby="campaigns-title">
      <div className="title-row">
        <h1 id="campaigns-title">{t('campaignsTitle')}</h1>
        <a className="button primary" href={href('/official/campaigns/new')}>
          {t('newCampaign')}
        </a>
      </div>
      <form onSubmit={filter} noValidate className="inline-form" aria-label={t('applyFilters')}>
        <SelectField
          name="status"
          label={t('campaignStatus')}
          value={status}
          onChange={setStatus}
          placeholder={t('allStatuses')}
          options={STATUSES.map((s) => ({ value: s, label: tv('cst_', s) }))}
        />
        <button type="submit" disabled={busy}>
          {t('applyFilters')}
        </button>
      </form>
      {error ? <Alert kind="error">{error}</Alert> : null}
      {items === undefined && !error ? <p>{t('loading')}</p> : null}
      {items && items.length === 0 ? <p>{t('noCampaigns')}</p> : null}
      <ul className="case-list">
        {(items ?? []).map((c) => (
          <li key={c.campaignId} className="card" data-testid="campaign-row" data-status={c.status}>
            <h2>
              <a href={href(`/official/campaigns/${c.campaignId}`)}>{c.title}</a>
            </h2>
            <p className="meta">
              <span className="mono">{c.campaignId}</span> · {tv('cst_', c.status)} · <time dateTime={c.createdAt}>{formatTime(c.createdAt, lang)}</time> · {c.createdBy}
            </p>
          </li>
        ))}
      </ul>
      {cursor ? (
        <button type="button" disabled={busy} onClick={() => void load({ status: active.current, cursor }, true)}>
          {busy ? t('loading') : t('loadMore')}
        </button>
      ) : null}
      <form onSubmit={open} noValidate className="inline-form" aria-label={t('openCampaign')}>
        <TextField name="campaignId" label={t('campaignId')} value={id} onChange={setId} error={idError} autoComplete="off" />
        <button type="submit">{t('openCampaign')}</button>
      </form>
    </section>
  );
}
