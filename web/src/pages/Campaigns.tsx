/** The supervisor's campaigns: the ones created in this browser (the API has no list), and open-by-id. */
import { useState, type FormEvent } from 'react';
import type { Me } from '../api';
import { formatTime, useI18n } from '../i18n';
import { href, navigate } from '../router';
import { TextField } from '../components/fields';
import { rememberedCampaigns } from '../components/campaignStore';

const CAMPAIGN_ID = /^CP-[0-9A-Z]{10}$/;

export function Campaigns({ me }: { me: Me }) {
  const { t, lang } = useI18n();
  const list = rememberedCampaigns(me.username);
  const [id, setId] = useState('');
  const [idError, setIdError] = useState<string>();

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
      <p className="hint">{t('campaignsLocalHint')}</p>
      {list.length === 0 ? <p>{t('noCampaigns')}</p> : null}
      <ul className="case-list">
        {list.map((c) => (
          <li key={c.campaignId} className="card" data-testid="campaign-row">
            <h2>
              <a href={href(`/official/campaigns/${c.campaignId}`)}>{c.title}</a>
            </h2>
            <p className="meta">
              <span className="mono">{c.campaignId}</span> · <time dateTime={c.createdAt}>{formatTime(c.createdAt, lang)}</time>
            </p>
          </li>
        ))}
      </ul>
      <form onSubmit={open} noValidate className="inline-form" aria-label={t('openCampaign')}>
        <TextField name="campaignId" label={t('campaignId')} value={id} onChange={setId} error={idError} autoComplete="off" />
        <button type="submit">{t('openCampaign')}</button>
      </form>
    </section>
  );
}
