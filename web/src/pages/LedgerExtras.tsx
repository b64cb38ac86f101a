/**
 * Ledger extras: the district summary and the escalation list for supervisors, CSV/XLSX exports (the
 * API answers the file itself, fetched with the bearer token), and adding a problem to an open plan.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { ApiError, api, type DistrictSummary, type ExportFormat, type Me, type RectificationItem } from '../api';
import { useI18n } from '../i18n';
import { href } from '../router';
import { Alert, SelectField, TextArea, TextField } from '../components/fields';
import { errorMessage } from '../components/errors';

export function ExportButtons({ schoolId }: { schoolId?: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: 'error' | 'success'; text: string }>();
  async function run(format: ExportFormat) {
    setBusy(true);
    setMessage(undefined);
    try {
      const name = await api.exportLedger(format, schoolId);
      setMessage({ kind: 'success', text: `${t('downloaded')}${name}` });
    } catch (e) {
      setMessage({ kind: 'error', text: errorMessage(e, i18n) });
    } finally {
      setBusy(false);
    }
  }
  return (
    <div className="export">
      <p className="meta">{schoolId ? t('exportSchool') : t('exportAll')}</p>
      <div className="actions">
        <button type="button" disabled={busy} onClick={() => void run('csv')}>
          {t('exportCsv')}
        </button>
        <button type="button" disabled={busy} onClick={() => void run('xlsx')}>
          {t('exportXlsx')}
        </button>
      </div>
      {message ? <Alert kind={message.kind}>{message.text}</Alert> : null}
    </div>
  );
}

/** The district at a glance and the escalation list (supervisors and admins). */
export function DistrictPanel() {
  const i18n = useI18n();
  const { t, tv } = i18n;
  const [summary, setSummary] = useState<DistrictSummary>();
  const [overdue, setOverdue] = useState<RectificationItem[]>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    let live = true;
    Promise.all([api.ledgerSummary(), api.overdueItems()])
      .then(([s, o]) => {
        if (!live) return;
        setSummary(s);
        setOverdue(o);
      })
      .catch((e: unknown) => live && setError(errorMessage(e, i18n)));
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const schoolName = (id: string) => summary?.schools.find((s) => s.schoolId === id)?.name ?? id;

  return (
    <section aria-labelledby="district-title" className="card" data-testid="district">
      <h2 id="district-title">{t('districtTitle')}</h2>
      {error ? <Alert kind="error">{error}</Alert> : null}
      {!summary && !error ? <p>{t('loading')}</p> : null}
      {summary ? (
        <>
          <dl className="facts">
            <dt>{t('plansOpenCount')}</dt>
            <dd>{summary.plans.open}</dd>
            <dt>{t('plansClosedCount')}</dt>
            <dd>{summary.plans.closed}</dd>
          </dl>
          <div className="table-wrap">
            <table data-testid="summary-table">
              <thead>
                <tr>
                  <th scope="col">{t('school')}</th>
                  <th scope="col">{t('is_open')}</th>
                  <th scope="col">{t('is_submitted')}</th>
                  <th scope="col">{t('is_returned')}</th>
                  <th scope="col">{t('is_closed')}</th>
                  <th scope="col">{t('overdueCol')}</th>
                </tr>
              </thead>
              <tbody>
                {summary.schools.map((s) => (
                  <tr key={s.schoolId}>
                    <th scope="row">
                      <a href={href('/official/ledger', { schoolId: s.schoolId })}>{s.name}</a>
                    </th>
                    <td className="num">{s.items.open}</td>
                    <td className="num">{s.items.submitted}</td>
                    <td className="num">{s.items.returned}</td>
                    <td className="num">{s.items.closed}</td>
                    <td className="num">{s.overdue ? <span className="badge badge-danger">{s.overdue}</span> : 0}</td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row">Σ</th>
                  <td className="num">{summary.items.open}</td>
                  <td className="num">{summary.items.submitted}</td>
                  <td className="num">{summary.items.returned}</td>
                  <td className="num">{summary.items.closed}</td>
                  <td className="num">{summary.overdueBySchool.reduce((n, s) => n + s.overdue, 0)}</td>
                </tr>
              </tfoot>
            </table>
          </div>
        </>
      ) : null}
      <h3>{t('overdueListTitle')}</h3>
      {overdue?.length === 0 ? <p>{t('noOverdue')}</p> : null}
      {overdue?.length ? (
        <ul className="item-list" data-testid="overdue-list">
          {overdue.map((i) => (
            <li key={i.itemId} className="item" data-item-id={i.itemId}>
              <a href={href('/official/ledger', { schoolId: i.schoolId })}>{schoolName(i.schoolId)}</a> · {i.description}{' '}
              <span className="badge badge-danger">{t('overdue')}</span>
              <p className="meta">
                {t('dueOn')}: {i.dueOn} · {t('owner')}: {i.owner} · {tv('is_', i.status)}
              </p>
            </li>
          ))}
        </ul>
      ) : null}
      <ExportButtons />
    </section>
  );
}

const SOURCES = ['self_inspection', 'notice_violation', 'complaint_case', 'survey_signal'] as const;
type Source = (typeof SOURCES)[number];

/** Adds a problem to a plan: schools record self-inspection; supervisors any source. */
export function AddItemForm({ planId, me, onAdded }: { planId: string; me: Me; onAdded: (i: RectificationItem) => void }) {
  const i18n = useI18n();
  const { t, tv } = i18n;
  const supervisor = me.role === 'supervisor' || me.role === 'admin';
  const [description, setDescription] = useState('');
  const [measure, setMeasure] = useState('');
  const [owner, setOwner] = useState('');
  const [dueOn, setDueOn] = useState('');
  const [source, setSource] = useState<Source>('self_inspection');
  const [sourceRef, setSourceRef] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<{ kind: 'error' | 'success'; text: string }>();
  const [busy, setBusy] = useState(false);

  async function submit(ev: FormEvent) {
    ev.preventDefault();
    setMessage(undefined);
    const local: Record<string, string> = {};
    if (!description.trim()) local.description = t('errRequired');
    if (!measure.trim()) local.measure = t('errRequired');
    if (!owner.trim()) local.owner = t('errRequired');
    if (!dueOn) local.dueOn = t('errRequired');
    setErrors(local);
    if (Object.keys(local).length) return;
    setBusy(true);
    try {
      const item = await api.addItem(planId, {
        description: description.trim(),
        measure: measure.trim(),
        owner: owner.trim(),
        dueOn,
        ...(supervisor ? { source } : {}),
        ...(supervisor && sourceRef.trim() ? { sourceRef: sourceRef.trim() } : {}),
      });
      onAdded(item);
      setDescription('');
      setMeasure('');
      setOwner('');
      setSourceRef('');
      setMessage({ kind: 'success', text: t('done') });
    } catch (e) {
      if (e instanceof ApiError && e.status === 400) setErrors(e.fieldErrors());
      setMessage({ kind: 'error', text: errorMessage(e, i18n) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <details className="add-item">
      <summary>{t('addItemTitle')}</summary>
      <form onSubmit={submit} noValidate aria-label={t('addItemTitle')}>
        <TextArea name="description" label={t('item')} required value={description} onChange={setDescription} maxLength={1000} rows={2} error={errors.description} />
        <TextArea name="measure" label={t('measure')} required value={measure} onChange={setMeasure} maxLength={1000} rows={2} error={errors.measure} />
        <TextField name="owner" label={t('owner')} required value={owner} onChange={setOwner} maxLength={50} error={errors.owner} />
        <TextField name="dueOn" type="date" label={t('dueOn')} required value={dueOn} onChange={setDueOn} error={errors.dueOn} />
        {supervisor ? (
          <>
            <SelectField name="source" label={t('source')} value={source} onChange={(v) => setSource((SOURCES as readonly string[]).includes(v) ? (v as Source) : 'self_inspection')} options={SOURCES.map((s) => ({ value: s, label: tv('src_', s) }))} error={errors.source} />
            <TextField name="sourceRef" label={t('sourceRef')} value={sourceRef} onChange={setSourceRef} maxLength={100} error={errors.sourceRef} />
          </>
        ) : null}
        {message ? <Alert kind={message.kind}>{message.text}</Alert> : null}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t('submitting') : t('addItem')}
        </button>
      </form>
    </details>
  );
}
