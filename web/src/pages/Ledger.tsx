/**
 * The rectification ledger of one school (一校一案): its plans and items. The school uploads evidence
 * straight to the bucket (presigned PUT) and submits; a supervisor verifies and closes (销号) or returns.
 */
import { useCallback, useEffect, useId, useState, type FormEvent } from 'react';
import { ApiError, api, type Me, type RectificationItem, type RectificationPlan } from '../api';
import { formatTime, useI18n } from '../i18n';
import { navigate } from '../router';
import { Alert, SelectField, TextArea } from '../components/fields';
import { errorMessage } from '../components/errors';
import { useSchools } from '../components/useSchools';
import { AddItemForm, DistrictPanel, ExportButtons } from './LedgerExtras';

export function Ledger({ me, schoolId: routeSchoolId }: { me: Me; schoolId?: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const schools = useSchools();
  const schoolId = routeSchoolId ?? me.schoolId ?? '';
  const [plans, setPlans] = useState<RectificationPlan[]>();
  const [error, setError] = useState<string>();

  const load = useCallback(async () => {
    if (!schoolId) return;
    setError(undefined);
    try {
      setPlans(await api.plans(schoolId));
    } catch (e) {
      setPlans(undefined);
      setError(errorMessage(e, i18n));
    }
  }, [schoolId, i18n]);

  useEffect(() => {
    setPlans(undefined);
    void load();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [schoolId]);

  const addItem = (item: RectificationItem) => setPlans((ps) => ps?.map((p) => (p.planId === item.planId ? { ...p, items: [...p.items, item] } : p)));
  const district = me.role === 'supervisor' || me.role === 'admin';

  const replaceItem = (item: RectificationItem) =>
    setPlans((ps) => ps?.map((p) => (p.planId === item.planId ? { ...p, items: p.items.map((i) => (i.itemId === item.itemId ? item : i)) } : p)));

  return (
    <section aria-labelledby="ledger-title">
      <h1 id="ledger-title">{t('ledgerTitle')}</h1>
      {district ? <DistrictPanel /> : null}
      {me.role === 'school_admin' ? null : (
        <SelectField
          name="schoolId"
          label={t('school')}
          value={schoolId}
          onChange={(v) => navigate('/official/ledger', v ? { schoolId: v } : undefined)}
          placeholder={t('chooseSchool')}
          options={(schools.data ?? []).map((s) => ({ value: s.schoolId, label: s.name }))}
        />
      )}
      {schoolId ? <ExportButtons schoolId={schoolId} /> : null}
      {error ? <Alert kind="error">{error}</Alert> : null}
      {schoolId && !plans && !error ? <p>{t('loading')}</p> : null}
      {plans?.length === 0 ? <p>{t('noPlans')}</p> : null}
      {plans?.map((plan) => (
        <article key={plan.planId} className="card" aria-label={`${t('plan')} ${plan.planId}`}>
          <h2>
            {t('plan')} {plan.planId} · {plan.status === 'open' ? t('planOpen') : t('planClosed')}
          </h2>
          <ul className="item-list">
            {plan.items.map((item) => (
              <ItemCard key={item.itemId} item={item} me={me} onChange={replaceItem} />
            ))}
          </ul>
          {plan.status === 'open' && (district || me.role === 'school_admin') ? <AddItemForm planId={plan.planId} me={me} onAdded={addItem} /> : null}
        </article>
      ))}
    </section>
  );
}

function ItemCard({ item, me, onChange }: { item: RectificationItem; me: Me; onChange: (i: RectificationItem) => void }) {
  const { t, tv, lang } = useI18n();
  const canSubmit = me.role === 'school_admin' && (item.status === 'open' || item.status === 'returned');
  const canVerify = me.role === 'supervisor' && item.status === 'submitted';
  return (
    <li className="item" data-testid="ledger-item" data-item-id={item.itemId} data-status={item.status}>
      <h3>
        {item.description} <span className={`status item-${item.status}`}>{tv('is_', item.status)}</span>
        {item.overdue ? <span className="badge badge-danger">{t('overdue')}</span> : null}
      </h3>
      <dl className="facts">
        <dt>{t('source')}</dt>
        <dd>{tv('src_', item.source)}</dd>
        <dt>{t('measure')}</dt>
        <dd>{item.measure}</dd>
        <dt>{t('owner')}</dt>
        <dd>{item.owner}</dd>
        <dt>{t('dueOn')}</dt>
        <dd>{item.dueOn}</dd>
      </dl>
      {item.evidence.length ? (
        <>
          <h4>{t('evidence')}</h4>
          <ul>
            {item.evidence.map((e) => (
              <li key={e.fileId}>{e.downloadUrl ? <a href={e.downloadUrl}>{e.fileName}</a> : e.fileName}</li>
            ))}
          </ul>
        </>
      ) : null}
      <details>
        <summary>{t('history')}</summary>
        <ol className="timeline">
          {item.history.map((h, i) => (
            <li key={i}>
              <time dateTime={h.at}>{formatTime(h.at, lang)}</time> {h.action} · {h.by}
              {h.note ? ` · ${h.note}` : ''}
            </li>
          ))}
        </ol>
      </details>
      {canSubmit ? <SubmitForm item={item} onChange={onChange} /> : null}
      {canVerify ? <VerifyForm item={item} onChange={onChange} /> : null}
    </li>
  );
}

function SubmitForm({ item, onChange }: { item: RectificationItem; onChange: (i: RectificationItem) => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const fileId = useId();
  const [files, setFiles] = useState<File[]>([]);
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function submit(ev: FormEvent) {
    ev.preventDefault();
    const local: Record<string, string> = {};
    if (!files.length) local.evidence = t('errNoFiles');
    if (!note.trim()) local.note = t('errRequired');
    setErrors(local);
    setMessage(undefined);
    if (Object.keys(local).length) return;
    setBusy(true);
    try {
      const ids: string[] = [];
      for (const f of files) ids.push(await api.uploadEvidence(item.itemId, f));
      onChange(await api.submitItem(item.itemId, { note: note.trim(), evidence: ids }));
    } catch (e) {
      if (e instanceof ApiError && e.status === 400) {
        const fe = e.fieldErrors();
        setErrors({ evidence: fe.evidence ?? fe.contentType ?? fe.size ?? Object.entries(fe).find(([k]) => k.startsWith('evidence'))?.[1] ?? '', note: fe.note ?? '' });
      }
      setMessage(errorMessage(e, i18n));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} noValidate className="item-form" aria-label={t('submitItem')}>
      <div className={`field${errors.evidence ? ' has-error' : ''}`}>
        <label htmlFor={fileId}>{t('evidenceFiles')}</label>
        <input
          id={fileId}
          type="file"
          name="evidence"
          multiple
          accept="image/jpeg,image/png,image/webp,application/pdf"
          aria-invalid={errors.evidence ? true : undefined}
          aria-describedby={errors.evidence ? `${fileId}-error` : undefined}
          onChange={(e) => setFiles(Array.from(e.target.files ?? []))}
        />
        {errors.evidence ? (
          <p className="field-error" id={`${fileId}-error`} role="alert">
            {errors.evidence}
          </p>
        ) : null}
      </div>
      <TextArea name="note" label={t('note')} required value={note} onChange={setNote} maxLength={2000} rows={2} error={errors.note || undefined} />
      {message ? <Alert kind="error">{message}</Alert> : null}
      <button type="submit" className="primary" disabled={busy}>
        {busy ? t('submitting') : t('submitItem')}
      </button>
    </form>
  );
}

function VerifyForm({ item, onChange }: { item: RectificationItem; onChange: (i: RectificationItem) => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [note, setNote] = useState('');
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string>();
  const [message, setMessage] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function run(action: () => Promise<RectificationItem>) {
    setMessage(undefined);
    setBusy(true);
    try {
      onChange(await action());
    } catch (e) {
      setMessage(errorMessage(e, i18n));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="item-form">
      <form
        onSubmit={(ev) => {
          ev.preventDefault();
          void run(() => api.closeItem(item.itemId, note.trim() || undefined));
        }}
        noValidate
        aria-label={t('closeItem')}
      >
        <TextArea name="closeNote" label={t('closeNote')} value={note} onChange={setNote} maxLength={1000} rows={2} />
        <button type="submit" className="primary" disabled={busy}>
          {t('closeItem')}
        </button>
      </form>
      <form
        onSubmit={(ev) => {
          ev.preventDefault();
          if (!reason.trim()) {
            setReasonError(t('errRequired'));
            return;
          }
          setReasonError(undefined);
          void run(() => api.returnItem(item.itemId, reason.trim()));
        }}
        noValidate
        aria-label={t('returnItem')}
      >
        <TextArea name="reason" label={t('returnReason')} required value={reason} onChange={setReason} maxLength={1000} rows={2} error={reasonError} />
        <button type="submit" className="danger" disabled={busy}>
          {t('returnItem')}
        </button>
      </form>
      {message ? <Alert kind="error">{message}</Alert> : null}
    </div>
  );
}
