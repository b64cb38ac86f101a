/** The case queue: GET /api/cases with filters, overdue flags and "more" pagination by cursor. */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api, UNITS, type CaseQueueQuery, type CaseSummary, type Me, type PublicStatus, type Unit } from '../api';
import { formatTime, useI18n } from '../i18n';
import { href } from '../router';
import { Alert, CheckboxField, SelectField } from '../components/fields';
import { usePagedList } from '../components/usePagedList';

const STATUSES: PublicStatus[] = ['received', 'accepted', 'investigating', 'joint_enforcement', 'rectifying', 'closed'];
const PAGE = 25;

export function CaseQueue({ me }: { me: Me }) {
  const i18n = useI18n();
  const { t, tv, lang } = i18n;
  const supervisor = me.role === 'supervisor' || me.role === 'admin';
  const [status, setStatus] = useState('');
  const [unit, setUnit] = useState('');
  const [overdue, setOverdue] = useState(false);
  const active = useRef<CaseQueueQuery>({});
  const { items, cursor, error, busy, load } = usePagedList<CaseQueueQuery, CaseSummary>((q) => api.caseQueue({ ...q, limit: PAGE }), i18n);

  const currentQuery = (): CaseQueueQuery => ({
    status: (status || undefined) as PublicStatus | undefined,
    unit: supervisor && unit ? (unit as Unit) : undefined,
    overdue: overdue || undefined,
  });

  useEffect(() => {
    active.current = {};
    void load({}, false);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  function filter(ev: FormEvent) {
    ev.preventDefault();
    active.current = currentQuery();
    void load(active.current, false);
  }

  return (
    <section aria-labelledby="queue-title">
      <h1 id="queue-title">{t('queueTitle')}</h1>
      <form onSubmit={filter} noValidate className="inline-form" aria-label={t('applyFilters')}>
        <SelectField
          name="status"
          label={t('status')}
          value={status}
          onChange={setStatus}
          placeholder={t('allStatuses')}
          options={STATUSES.map((s) => ({ value: s, label: tv('st_', s) }))}
        />
        {supervisor ? (
          <SelectField name="unit" label={t('unitLabel')} value={unit} onChange={setUnit} placeholder={t('allUnits')} options={UNITS.map((u) => ({ value: u, label: tv('unit_', u) }))} />
        ) : null}
        <CheckboxField name="overdue" label={t('overdueOnly')} checked={overdue} onChange={setOverdue} />
        <button type="submit" className="primary" disabled={busy}>
          {t('applyFilters')}
        </button>
      </form>
      {error ? <Alert kind="error">{error}</Alert> : null}
      {items === undefined && !error ? <p>{t('loading')}</p> : null}
      {items?.length === 0 ? <p>{t('noCases')}</p> : null}
      {items?.length ? (
        <ul className="case-list" aria-label={t('queueTitle')}>
          {items.map((c) => (
            <li key={c.receiptNo} className="card case-row" data-testid="queue-case" data-receipt={c.receiptNo} data-overdue={c.overdue ? 'true' : 'false'}>
              <h2>
                <a href={href(`/official/cases/${c.receiptNo}`)}>{c.receiptNo}</a> <span className="status">{tv('st_', c.status)}</span>
                {c.overdue ? <span className="badge badge-danger">{t('overdue')}</span> : null}
              </h2>
              <p className="meta">
                {tv('cat_', c.category)}
                {c.unit ? ` · ${tv('unit_', c.unit)}` : ''} · {t('submittedAt')}: <time dateTime={c.submittedAt}>{formatTime(c.submittedAt, lang)}</time>
                {c.duplicateOf ? (
                  <>
                    {' '}
                    · {t('duplicateOf')} <a href={href(`/official/cases/${c.duplicateOf}`)}>{c.duplicateOf}</a>
                  </>
                ) : null}
              </p>
            </li>
          ))}
        </ul>
      ) : null}
      {cursor ? (
        <button type="button" disabled={busy} onClick={() => void load({ ...active.current, cursor }, true)}>
          {busy ? t('loading') : t('loadMore')}
        </button>
      ) : null}
    </section>
  );
}
