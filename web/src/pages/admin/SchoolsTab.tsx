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
        <div className="table-wrap">
          <table data-testid="schools-table">
            <thead>
              <tr>
                <th scope="col">{t('schoolId')}</th>
                <th scope="col">{t('school')}</th>
                <th scope="col">{t('stage')}</th>
                <th scope="col">{t('area')}</th>
                <th scope="col">{t('noHomeworkDays')}</th>
                <th scope="col">{t('classCount')}</th>
                <th scope="col">{t('pupils')}</th>
                <th scope="col">
                  <span className="sr-only">{t('actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {shown.map((s) => (
                <SchoolRows key={s.schoolId} school={s} open={open === s.schoolId} onToggle={() => setOpen(open === s.schoolId ? undefined : s.schoolId)} onEdit={() => edit(s)} onChanged={reload} weekdayName={weekdayName} />
              ))}
            </tbody>
          </table>
          {shown.length === 0 ? <p>{t('noneFound')}</p> : null}
        </div>
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

function SchoolRows(props: { school: AdminSchool; open: boolean; onToggle: () => void; onEdit: () => void; onChanged: () => Promise<unknown>; weekdayName: (d: number) => string }) {
  const { t, tv, tf } = useI18n();
  const s = props.school;
  return (
    <>
      <tr data-school={s.schoolId}>
        <td>{s.schoolId}</td>
        <td>{s.name}</td>
        <td>{tv('stage_', s.stage)}</td>
        <td>{tv('unit_', s.area)}</td>
        <td>{s.noHomeworkWeekdays.map(props.weekdayName).join('、')}</td>
        <td>{s.classes.length}</td>
        <td>{s.classes.reduce((n, c) => n + c.enrolled, 0)}</td>
        <td className="row-actions">
          <button type="button" className="link" aria-expanded={props.open} onClick={props.onToggle} aria-label={tf('classesOf', { name: s.name })}>
            {t('classes')}
          </button>{' '}
          <button type="button" className="link" onClick={props.onEdit} aria-label={tf('editSchoolLabel', { name: s.name })}>
            {t('edit')}
          </button>
        </td>
      </tr>
      {props.open ? (
        <tr className="nested">
          <td colSpan={8}>
            <ClassesEditor school={s} onChanged={props.onChanged} />
          </td>
        </tr>
      ) : null}
    </>
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
      <table>
        <thead>
          <tr>
            <th scope="col">{t('classId')}</th>
            <th scope="col">{t('grade')}</th>
            <th scope="col">{t('className')}</th>
            <th scope="col">{t('pupils')}</th>
            <th scope="col">
              <span className="sr-only">{t('actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {school.classes.map((c) => (
            <tr key={c.classId} data-class={c.classId}>
              <td>{c.classId}</td>
              <td>{c.grade}</td>
              <td>{c.name}</td>
              <td>{c.enrolled}</td>
              <td>
                <button type="button" className="link" onClick={() => (setEditing(c.classId), setErrors({}), setDraft({ classId: c.classId, grade: String(c.grade), name: c.name, enrolled: String(c.enrolled) }))} aria-label={tf('editClassLabel', { name: c.name })}>
                  {t('edit')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
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
