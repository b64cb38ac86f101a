/**
 * Schools and their classes: the table with stage, area, no-homework days and pupils, searched as one
 * types; a school's classes open under it, with a form to add a class or change one; the school form
 * enters a new school or, with "edit", changes one (its id stays: notices and plans name it).
 */
import { useEffect, useState, type FormEvent } from 'react';
import { api, SCHOOL_STAGES, UNITS, type AdminSchool, type SchoolClass, type SchoolStage, type Unit } from '../../api';
import { useI18n } from '../../i18n';
import { Alert, ChoiceGroup, SelectField, TextField } from '../../components/fields';
import { errorMessage, fieldErrorsOf } from '../../components/errors';
import { SearchBox, matches } from './SearchBox';
import { DataTable } from '../../components/DataTable';

const WEEKDAYS = ['1', '2', '3', '4', '5', '6', '7'];
const emptySchool = { schoolId: '', name: '', stage: '' as SchoolStage | '', area: '' as Unit | '', noHomeworkWeekdays: [] as string[] };

export function SchoolsTab() {
  const i18n = useI18n();
  const { t, tv, tf } = i18n;
  const [schools, setSchools] = useState<AdminSchool[]>();
  const [search, setSearch] = useState('');
  const [open, setOpen] = useState<string>();
  const [message, setMessage] = useState<{ kind: 'error' | 'success'; text: string }>();
  const [draft, setDraft] = useState(emptySchool);
  const [editing, setEditing] = useState<string>();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);

  const reload = () => api.adminSchools().then(setSchools, (e: unknown) => setMessage({ kind: 'error', text: errorMessage(e, i18n) }));
  useEffect(() => {
    void reload();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const weekdayName = (d: number) => tv('weekday_', String(d));
  const shown = (schools ?? []).filter((s) => matches(search, [s.schoolId, s.name, tv('stage_', s.stage), tv('unit_', s.area)]));

  function edit(s: AdminSchool) {
    setEditing(s.schoolId);
    setErrors({});
    setDraft({ schoolId: s.schoolId, name: s.name, stage: s.stage, area: s.area, noHomeworkWeekdays: s.noHomeworkWeekdays.map(String) });
  }

  async function save(ev: FormEvent) {
    ev.preventDefault();
    setMessage(undefined);
    const fields = { name: draft.name, stage: draft.stage as SchoolStage, area: draft.area as Unit, noHomeworkWeekdays: draft.noHomeworkWeekdays.map(Number).sort() };
    setBusy(true);
    try {
      if (editing) await api.updateSchool(editing, fields);
      else await api.createSchool({ schoolId: draft.schoolId.trim(), ...fields });
      setMessage({ kind: 'success', text: tf(editing ? 'schoolSaved' : 'schoolCreated', { name: draft.name }) });
      setErrors({});
      setDraft(emptySchool);
      setEditing(undefined);
      await reload();
    } catch (e) {
      setErrors(fieldErrorsOf(e));
      setMessage({ kind: 'error', text: errorMessage(e, i18n) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <div>
      <h2>{t('schoolsTitle')}</h2>
      <SearchBox value={search} onChange={setSearch} />
      {!schools ? (
        <p>{t('loading')}</p>
      ) : (
        <DataTable
          testId="schools-table"
          rows={shown}
          rowKey={(x) => x.schoolId}
          rowAttributes={(x) => ({ 'data-school': x.schoolId })}
          empty={t('noneFound')}
          columns={[
            { label: t('schoolId'), cell: (x) => x.schoolId },
            { label: t('school'), cell: (x) => x.name },
            { label: t('stage'), cell: (x) => tv('stage_', x.stage) },
            { label: t('area'), cell: (x) => tv('unit_', x.area) },
            { label: t('noHomeworkDays'), cell: (x) => x.noHomeworkWeekdays.map(weekdayName).join('、') },
            { label: t('classCount'), cell: (x) => x.classes.length },
            { label: t('pupils'), cell: (x) => x.classes.reduce((n, c) => n + c.enrolled, 0) },
          ]}
          actions={(x) => (
            <>
              <button type="button" className="link" aria-expanded={open === x.schoolId} onClick={() => setOpen(open === x.schoolId ? undefined : x.schoolId)} aria-label={tf('classesOf', { name: x.name })}>
                {t('classes')}
              </button>{' '}
              <button type="button" className="link" onClick={() => edit(x)} aria-label={tf('editSchoolLabel', { name: x.name })}>
                {t('edit')}
              </button>
            </>
          )}
          below={(x) => (open === x.schoolId ? <ClassesEditor school={x} onChanged={reload} /> : null)}
        />
      )}

      <h2 id="school-form-title">{editing ? tf('editSchoolTitle', { schoolId: editing }) : t('newSchoolTitle')}</h2>
      <form onSubmit={(e) => void save(e)} noValidate className="admin-form" aria-labelledby="school-form-title">
        <TextField name="schoolId" label={t('schoolId')} hint={t('schoolIdHint')} required value={draft.schoolId} disabled={editing !== undefined} onChange={(v) => setDraft((d) => ({ ...d, schoolId: v }))} error={errors.schoolId} autoComplete="off" />
        <TextField name="name" label={t('schoolName')} required value={draft.name} onChange={(v) => setDraft((d) => ({ ...d, name: v }))} error={errors.name} />
        <SelectField name="stage" label={t('stage')} required value={draft.stage} placeholder={t('choose')} onChange={(v) => setDraft((d) => ({ ...d, stage: v as SchoolStage }))} options={SCHOOL_STAGES.map((x) => ({ value: x, label: tv('stage_', x) }))} error={errors.stage} />
        <SelectField name="area" label={t('area')} required value={draft.area} placeholder={t('choose')} onChange={(v) => setDraft((d) => ({ ...d, area: v as Unit }))} options={UNITS.map((u) => ({ value: u, label: tv('unit_', u) }))} error={errors.area} />
        <ChoiceGroup legend={t('noHomeworkDays')} name="noHomeworkWeekdays" type="checkbox" options={WEEKDAYS.map((d) => ({ value: d, label: weekdayName(Number(d)) }))} selected={draft.noHomeworkWeekdays} onChange={(v) => setDraft((d) => ({ ...d, noHomeworkWeekdays: v }))} error={errors.noHomeworkWeekdays} />
        {message ? <Alert kind={message.kind}>{message.text}</Alert> : null}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t('submitting') : editing ? t('save') : t('createSchool')}
        </button>{' '}
        {editing ? (
          <button type="button" onClick={() => (setEditing(undefined), setDraft(emptySchool), setErrors({}))}>
            {t('cancel')}
          </button>
        ) : null}
      </form>
    </div>
  );
}

const emptyClass = { classId: '', grade: '', name: '', enrolled: '' };

/** A school's classes, and one form that adds a class or, with "edit", changes one's grade, name or pupils. */
function ClassesEditor({ school, onChanged }: { school: AdminSchool; onChanged: () => Promise<unknown> }) {
  const i18n = useI18n();
  const { t, tf } = i18n;
  const [draft, setDraft] = useState(emptyClass);
  const [editing, setEditing] = useState<string>();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<{ kind: 'error' | 'success'; text: string }>();

  async function save(ev: FormEvent) {
    ev.preventDefault();
    setMessage(undefined);
    const num = (v: string) => (v.trim() === '' ? Number.NaN : Number(v));
    const fields = { grade: num(draft.grade), name: draft.name, enrolled: num(draft.enrolled) };
    try {
      if (editing) await api.updateClass(school.schoolId, editing, fields);
      else await api.createClass(school.schoolId, { classId: draft.classId.trim(), ...fields } as SchoolClass);
      setMessage({ kind: 'success', text: tf(editing ? 'classSaved' : 'classCreated', { name: draft.name }) });
      setDraft(emptyClass);
      setEditing(undefined);
      setErrors({});
      await onChanged();
    } catch (e) {
      setErrors(fieldErrorsOf(e));
      setMessage({ kind: 'error', text: errorMessage(e, i18n) });
    }
  }

  return (
    <div className="classes-editor" data-testid={`classes-${school.schoolId}`}>
      <DataTable
        rows={school.classes}
        rowKey={(c) => c.classId}
        rowAttributes={(c) => ({ 'data-class': c.classId })}
        columns={[
          { label: t('classId'), cell: (c) => c.classId },
          { label: t('grade'), cell: (c) => c.grade },
          { label: t('className'), cell: (c) => c.name },
          { label: t('pupils'), cell: (c) => c.enrolled },
        ]}
        actions={(c) => (
          <button type="button" className="link" onClick={() => (setEditing(c.classId), setErrors({}), setDraft({ classId: c.classId, grade: String(c.grade), name: c.name, enrolled: String(c.enrolled) }))} aria-label={tf('editClassLabel', { name: c.name })}>
            {t('edit')}
          </button>
        )}
      />
      <form onSubmit={(e) => void save(e)} noValidate className="admin-form inline-form" aria-label={editing ? tf('editClassLabel', { name: draft.name }) : tf('newClassOf', { name: school.name })}>
        <TextField name="classId" label={t('classId')} required value={draft.classId} disabled={editing !== undefined} onChange={(v) => setDraft((d) => ({ ...d, classId: v }))} error={errors.classId} autoComplete="off" />
        <TextField name="grade" label={t('grade')} type="number" min={1} max={9} required value={draft.grade} onChange={(v) => setDraft((d) => ({ ...d, grade: v }))} error={errors.grade} />
        <TextField name="className" label={t('className')} required value={draft.name} onChange={(v) => setDraft((d) => ({ ...d, name: v }))} error={errors.name} />
        <TextField name="enrolled" label={t('pupils')} type="number" min={0} required value={draft.enrolled} onChange={(v) => setDraft((d) => ({ ...d, enrolled: v }))} error={errors.enrolled} />
        <button type="submit" className="primary">
          {editing ? t('save') : t('addClass')}
        </button>
      </form>
      {message ? <Alert kind={message.kind}>{message.text}</Alert> : null}
    </div>
  );
}
