/** One task's decision form: the data fields each decision needs (API.md "Tasks"), posted to /complete. */
import { useMemo, useState, type FormEvent } from 'react';
import { ApiError, api, DEPARTMENTS, newIdempotencyKey, UNITS, type CompleteTaskRequest, type Task } from '../api';
import { useI18n, type MessageKey } from '../i18n';
import { Alert, ChoiceGroup, SelectField, TextArea, TextField } from '../components/fields';
import { errorMessage } from '../components/errors';

interface Draft {
  decision: string;
  unit: string;
  findings: string;
  publicOutcome: string;
  departments: string[];
  rectificationDays: string;
  action: string;
  comment: string;
}

type FieldName = 'unit' | 'findings' | 'publicOutcome' | 'departments' | 'rectificationDays' | 'action';

/** Which data fields a decision shows, and which of them it requires. */
const FIELDS: Record<string, { show: FieldName[]; required: FieldName[] }> = {
  accept: { show: [], required: [] },
  transfer: { show: ['unit'], required: ['unit'] },
  unfounded: { show: ['findings', 'publicOutcome'], required: ['findings'] },
  violation_confirmed: { show: ['findings', 'departments', 'rectificationDays', 'publicOutcome'], required: ['findings'] },
  signed: { show: ['action'], required: ['action'] },
  rectified: { show: ['findings', 'publicOutcome'], required: [] },
  not_rectified: { show: ['findings', 'rectificationDays'], required: [] },
};

function toRequest(d: Draft): CompleteTaskRequest {
  const spec = FIELDS[d.decision] ?? { show: [], required: [] };
  const data: NonNullable<CompleteTaskRequest['data']> = {};
  for (const f of spec.show) {
    if (f === 'departments') data.departments = d.departments;
    else if (f === 'rectificationDays') {
      if (d.rectificationDays.trim()) data.rectificationDays = Number(d.rectificationDays);
    } else if (d[f].trim()) data[f] = d[f].trim();
  }
  return { decision: d.decision, ...(d.comment.trim() ? { comment: d.comment.trim() } : {}), ...(spec.show.length ? { data } : {}) };
}

export function TaskForm({ task, onCompleted }: { task: Task; onCompleted: () => void }) {
  const i18n = useI18n();
  const { t, tv } = i18n;
  const [draft, setDraft] = useState<Draft>({ decision: task.decisions[0] ?? '', unit: '', findings: '', publicOutcome: '', departments: [], rectificationDays: '', action: '', comment: '' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string>();
  const [busy, setBusy] = useState(false);
  const spec = FIELDS[draft.decision] ?? { show: [], required: [] };
  const shows = (f: FieldName) => spec.show.includes(f);
  const set = <K extends keyof Draft>(k: K) => (v: Draft[K]) => setDraft((d) => ({ ...d, [k]: v }));
  const err = (f: string) => errors[`data.${f}`] ?? errors[f];

  // One key per decision as filled in: a retry of the same one (after a lost answer) is the same request.
  const idempotencyKey = useMemo(() => newIdempotencyKey(), [JSON.stringify(toRequest(draft))]); // eslint-disable-line react-hooks/exhaustive-deps

  async function submit(ev: FormEvent) {
    ev.preventDefault();
    setMessage(undefined);
    const local: Record<string, string> = {};
    for (const f of spec.required) if (f !== 'departments' && !draft[f].trim()) local[`data.${f}`] = t('errRequired');
    if (draft.rectificationDays.trim() && !/^\d+$/.test(draft.rectificationDays.trim())) local['data.rectificationDays'] = '1–60';
    setErrors(local);
    if (Object.keys(local).length) return;
    setBusy(true);
    try {
      await api.completeTask(task.taskId, toRequest(draft), idempotencyKey);
      onCompleted();
    } catch (e) {
      if (e instanceof ApiError && e.status === 400) setErrors(e.fieldErrors());
      setMessage(errorMessage(e, i18n));
    } finally {
      setBusy(false);
    }
  }

  const label = (k: MessageKey) => t(k);
  return (
    <form onSubmit={submit} noValidate className="task-form" aria-label={`${tv('kind_', task.kind)} ${task.subjectId}`}>
      <ChoiceGroup legend={t('decision')} name="decision" type="radio" required options={task.decisions.map((d) => ({ value: d, label: tv('dec_', d) }))} selected={[draft.decision]} onChange={(v) => set('decision')(v[0] ?? '')} error={errors.decision} />
      {shows('unit') ? (
        <SelectField
          name="data.unit"
          label={label('transferTo')}
          required
          value={draft.unit}
          onChange={set('unit')}
          placeholder={t('chooseCategory')}
          options={UNITS.filter((u) => u !== task.assignee.unit).map((u) => ({ value: u, label: tv('unit_', u) }))}
          error={err('unit')}
        />
      ) : null}
      {shows('findings') ? <TextArea name="data.findings" label={t('findings')} required={spec.required.includes('findings')} value={draft.findings} onChange={set('findings')} maxLength={4000} error={err('findings')} /> : null}
      {shows('departments') ? (
        <ChoiceGroup legend={t('departments')} name="data.departments" type="checkbox" options={DEPARTMENTS.map((d) => ({ value: d, label: tv('dept_', d) }))} selected={draft.departments} onChange={set('departments')} error={err('departments')} />
      ) : null}
      {shows('rectificationDays') ? <TextField name="data.rectificationDays" type="number" inputMode="numeric" min={1} max={60} label={t('rectificationDays')} value={draft.rectificationDays} onChange={set('rectificationDays')} error={err('rectificationDays')} /> : null}
      {shows('action') ? <TextArea name="data.action" label={t('action')} required value={draft.action} onChange={set('action')} maxLength={2000} error={err('action')} /> : null}
      {shows('publicOutcome') ? <TextArea name="data.publicOutcome" label={t('publicOutcome')} value={draft.publicOutcome} onChange={set('publicOutcome')} maxLength={500} rows={2} error={err('publicOutcome')} /> : null}
      <TextArea name="comment" label={t('comment')} value={draft.comment} onChange={set('comment')} maxLength={2000} rows={2} error={errors.comment} />
      {message ? <Alert kind="error">{message}</Alert> : null}
      <button type="submit" className="primary" disabled={busy || !draft.decision}>
        {busy ? t('submitting') : t('complete')}
      </button>
    </form>
  );
}
