/** An official's view of one case: its facts and the audit trail (CloudEvents, newest last). */
import { useEffect, useState } from 'react';
import { api, type AuditEvent, type OfficialCaseView } from '../api';
import { formatTime, useI18n } from '../i18n';
import { href } from '../router';
import { Alert } from '../components/fields';
import { errorMessage } from '../components/errors';

const shortType = (type: string) => type.replace(/^gov\.double-reduction\.complaint\./, '');

function eventSummary(e: AuditEvent): string {
  const d = e.data ?? {};
  const parts = ['publicNote', 'internalNote', 'decision', 'kind', 'unit', 'toUnit', 'comment']
    .map((k) => (typeof d[k] === 'string' ? `${k}: ${d[k] as string}` : ''))
    .filter(Boolean);
  return parts.join(' · ');
}

export function CaseDetail({ receiptNo }: { receiptNo: string }) {
  const i18n = useI18n();
  const { t, tv, lang } = i18n;
  const [view, setView] = useState<OfficialCaseView>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    let live = true;
    api
      .caseDetail(receiptNo)
      .then((v) => live && setView(v))
      .catch((e: unknown) => live && setError(errorMessage(e, i18n)));
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [receiptNo]);

  return (
    <section aria-labelledby="case-title">
      <p>
        <a href={href('/official/inbox')}>← {t('backToInbox')}</a>
      </p>
      <h1 id="case-title">
        {t('caseTitle')} {receiptNo}
      </h1>
      {error ? <Alert kind="error">{error}</Alert> : null}
      {!view && !error ? <p>{t('loading')}</p> : null}
      {view ? (
        <>
          <dl className="facts">
            <dt>{t('status')}</dt>
            <dd>
              <span className={`status status-${view.status}`}>{tv('st_', view.status)}</span>
              {view.overdue ? <span className="badge badge-danger">{t('overdue')}</span> : null}
            </dd>
            <dt>{t('category')}</dt>
            <dd>{tv('cat_', view.category)}</dd>
            {view.unit ? (
              <>
                <dt>{t('unitLabel')}</dt>
                <dd>{tv('unit_', view.unit)}</dd>
              </>
            ) : null}
            <dt>{t('submittedAt')}</dt>
            <dd>{formatTime(view.submittedAt, lang)}</dd>
            <dt>{t('description')}</dt>
            <dd>{view.description}</dd>
            {Object.entries(view.subject).map(([k, v]) => (
              <FactRow key={k} label={tv('', k)} value={v} />
            ))}
            {view.contact ? <FactRow label={t('contact')} value={[view.contact.name, view.contact.phone].filter(Boolean).join(' ')} /> : null}
            {view.duplicates?.length ? <FactRow label={t('duplicates')} value={view.duplicates.join(', ')} /> : null}
          </dl>
          <h2>{t('auditTrail')}</h2>
          <ol className="timeline" data-testid="audit-trail">
            {view.auditTrail.map((e) => (
              <li key={e.id}>
                <time dateTime={e.time}>{formatTime(e.time, lang)}</time> <strong>{shortType(e.type)}</strong>
                {e.actor ? (
                  <span className="meta">
                    {' '}
                    · {t('actor')}: {e.actor}
                  </span>
                ) : null}
                {eventSummary(e) ? <p>{eventSummary(e)}</p> : null}
              </li>
            ))}
          </ol>
        </>
      ) : null}
    </section>
  );
}

function FactRow({ label, value }: { label: string; value?: string }) {
  if (!value) return null;
  return (
    <>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </>
  );
}
