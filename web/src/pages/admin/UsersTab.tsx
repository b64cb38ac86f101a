/**
 * Officials: every account with its role and scope, searched as one types; a new official gets a one-time
 * initial password shown here once (on one machine; in AWS Cognito's temporary password), to hand over in
 * person; "edit" changes an official's name, role and scope (it applies to their next request); an account
 * is disabled and enabled again with one button.
 */
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { api, DEPARTMENTS, ROLES, UNITS, type AdminUser, type Me, type Role, type School, type UserRequest } from '../../api';
import { formatTime, useI18n } from '../../i18n';
import { Alert, SelectField, TextField } from '../../components/fields';
import { errorMessage, fieldErrorsOf } from '../../components/errors';
import { SearchBox, matches } from './SearchBox';
import { DataTable } from '../../components/DataTable';

/** The scope field each role needs: one unit, one department or one school. */
const scopeOf: Partial<Record<Role, 'unit' | 'department' | 'schoolId'>> = { group_officer: 'unit', department_officer: 'department', school_admin: 'schoolId' };

const emptyUser = { username: '', displayName: '', role: '' as Role | '', unit: '', department: '', schoolId: '' };

export function UsersTab({ me }: { me: Me }) {
  const i18n = useI18n();
  const { t, tv, tf, lang } = i18n;
  const [users, setUsers] = useState<AdminUser[]>();
  const [schools, setSchools] = useState<School[]>([]);
  const [search, setSearch] = useState('');
  const [message, setMessage] = useState<{ kind: 'error' | 'success'; text: string }>();
  const [draft, setDraft] = useState(emptyUser);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [created, setCreated] = useState<AdminUser>();
  const [editing, setEditing] = useState<string>();
  const [busy, setBusy] = useState(false);

  const reload = () =>
    api.adminUsers().then(setUsers, (e: unknown) => setMessage({ kind: 'error', text: errorMessage(e, i18n) }));
  useEffect(() => {
    void reload();
    api.schools().then(setSchools, () => setSchools([]));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const schoolName = useMemo(() => new Map(schools.map((s) => [s.schoolId, s.name])), [schools]);
  const scopeText = (u: AdminUser) => (u.unit ? tv('unit_', u.unit) : u.department ? tv('dept_', u.department) : u.schoolId ? (schoolName.get(u.schoolId) ?? u.schoolId) : '');
  const shown = (users ?? []).filter((u) => matches(search, [u.username, u.displayName, tv('role_', u.role), scopeText(u)]));

  async function create(ev: FormEvent) {
    ev.preventDefault();
    setMessage(undefined);
    setCreated(undefined);
    const field = draft.role ? scopeOf[draft.role] : undefined;
    const body = { username: draft.username.trim(), displayName: draft.displayName, role: draft.role, ...(field && draft[field] ? { [field]: draft[field] } : {}) } as UserRequest;
    setBusy(true);
    try {
      let saved: string | undefined;
      if (editing) {
        const { username: _u, ...fields } = body;
        await api.updateUser(editing, fields);
        saved = editing;
        setEditing(undefined);
      } else setCreated(await api.createUser(body));
      setErrors({});
      setDraft(emptyUser);
      await reload();
      // Said once the table shows the change.
      if (saved) setMessage({ kind: 'success', text: tf('userSaved', { username: saved }) });
    } catch (e) {
      setErrors(fieldErrorsOf(e));
      setMessage({ kind: 'error', text: errorMessage(e, i18n) });
    } finally {
      setBusy(false);
    }
  }

  async function toggle(u: AdminUser) {
    setMessage(undefined);
    try {
      const after = u.disabled ? await api.enableUser(u.username) : await api.disableUser(u.username);
      setUsers((list) => list?.map((x) => (x.username === after.username ? after : x)));
      setMessage({ kind: 'success', text: tf(after.disabled ? 'userDisabled' : 'userEnabled', { username: after.username }) });
    } catch (e) {
      setMessage({ kind: 'error', text: errorMessage(e, i18n) });
    }
  }

  function edit(u: AdminUser) {
    setEditing(u.username);
    setCreated(undefined);
    setErrors({});
    setDraft({ username: u.username, displayName: u.displayName ?? '', role: u.role, unit: u.unit ?? '', department: u.department ?? '', schoolId: u.schoolId ?? '' });
  }

  const scopeField = draft.role ? scopeOf[draft.role] : undefined;
  return (
    <div>
      <h2>{t('usersTitle')}</h2>
      <SearchBox value={search} onChange={setSearch} />
      {message ? <Alert kind={message.kind}>{message.text}</Alert> : null}
      {!users ? (
        <p>{t('loading')}</p>
      ) : (
        <DataTable
          testId="users-table"
          rows={shown}
          rowKey={(u) => u.username}
          rowAttributes={(u) => ({ 'data-username': u.username })}
          empty={t('noneFound')}
          columns={[
            { label: t('username'), cell: (u) => u.username },
            { label: t('displayName'), cell: (u) => u.displayName ?? '' },
            { label: t('role'), cell: (u) => tv('role_', u.role) },
            { label: t('scope'), cell: scopeText },
            { label: t('accountStatus'), cell: (u) => (u.disabled ? <span className="badge badge-danger">{t('accountDisabled')}</span> : t('accountActive')) },
            { label: t('createdAt'), cell: (u) => (u.createdAt ? <time dateTime={u.createdAt}>{formatTime(u.createdAt, lang)}</time> : '') },
          ]}
          actions={(u) => (
            <>
              <button type="button" className="link" onClick={() => edit(u)} aria-label={tf('editUserLabel', { username: u.username })}>
                {t('edit')}
              </button>{' '}
              {u.username === me.username ? null : (
                <button type="button" className="link" onClick={() => void toggle(u)} aria-label={tf(u.disabled ? 'enableUserLabel' : 'disableUserLabel', { username: u.username })}>
                  {u.disabled ? t('enableUser') : t('disableUser')}
                </button>
              )}
            </>
          )}
        />
      )}

      <h2 id="user-form-title">{editing ? tf('editUserTitle', { username: editing }) : t('newUserTitle')}</h2>
      <form onSubmit={(e) => void create(e)} noValidate className="admin-form" aria-labelledby="user-form-title">
        <TextField name="username" label={t('username')} hint={t('usernameHint')} required value={draft.username} disabled={editing !== undefined} onChange={(v) => setDraft((d) => ({ ...d, username: v }))} error={errors.username} autoComplete="off" />
        <TextField name="displayName" label={t('displayName')} required value={draft.displayName} onChange={(v) => setDraft((d) => ({ ...d, displayName: v }))} error={errors.displayName} />
        <SelectField name="role" label={t('role')} required value={draft.role} placeholder={t('choose')} onChange={(v) => setDraft((d) => ({ ...d, role: v as Role }))} options={ROLES.map((r) => ({ value: r, label: tv('role_', r) }))} error={errors.role} />
        {scopeField === 'unit' ? <SelectField name="unit" label={t('unitLabel')} required value={draft.unit} placeholder={t('choose')} onChange={(v) => setDraft((d) => ({ ...d, unit: v }))} options={UNITS.map((u) => ({ value: u, label: tv('unit_', u) }))} error={errors.unit} /> : null}
        {scopeField === 'department' ? (
          <SelectField name="department" label={t('departmentLabel')} required value={draft.department} placeholder={t('choose')} onChange={(v) => setDraft((d) => ({ ...d, department: v }))} options={DEPARTMENTS.map((x) => ({ value: x, label: tv('dept_', x) }))} error={errors.department} />
        ) : null}
        {scopeField === 'schoolId' ? (
          <SelectField name="schoolId" label={t('school')} required value={draft.schoolId} placeholder={t('choose')} onChange={(v) => setDraft((d) => ({ ...d, schoolId: v }))} options={schools.map((s) => ({ value: s.schoolId, label: s.name }))} error={errors.schoolId} />
        ) : null}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t('submitting') : editing ? t('save') : t('createUser')}
        </button>{' '}
        {editing ? (
          <button type="button" onClick={() => (setEditing(undefined), setDraft(emptyUser), setErrors({}))}>
            {t('cancel')}
          </button>
        ) : null}
      </form>
      {created ? (
        <div data-testid="created-user">
          <Alert kind="success">
            {tf('userCreated', { username: created.username })}
            {created.initialPassword ? (
              <>
                {' '}
                {t('initialPassword')}: <code data-testid="initial-password">{created.initialPassword}</code>. {t('initialPasswordOnce')}
              </>
            ) : null}
          </Alert>
        </div>
      ) : null}
    </div>
  );
}
