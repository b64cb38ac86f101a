/**
 * The organisation: the workflow's working units and joint departments, each with the name, head and
 * phone the district enters (a row is its own form: a bad phone is named in that row, the others stay).
 */
import { useEffect, useState, type FormEvent } from 'react';
import { api, type OrgUnit, type Organisation } from '../../api';
import { formatTime, useI18n } from '../../i18n';
import { Alert, TextField } from '../../components/fields';
import { errorMessage, fieldErrorsOf } from '../../components/errors';

export function OrganisationTab() {
  const i18n = useI18n();
  const { t } = i18n;
  const [org, setOrg] = useState<Organisation>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    api.organisation().then(setOrg, (e: unknown) => setError(errorMessage(e, i18n)));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  if (error) return <Alert kind="error">{error}</Alert>;
  if (!org) return <p>{t('loading')}</p>;
  return (
    <div>
      <p className="hint">{t('organisationIntro')}</p>
      <h2>{t('unitsTitle')}</h2>
      {org.units.map((u) => (
        <OrgUnitForm key={u.code} unit={u} />
      ))}
      <h2>{t('departmentsTitle')}</h2>
      {org.departments.map((u) => (
        <OrgUnitForm key={u.code} unit={u} />
      ))}
    </div>
  );
}

function OrgUnitForm({ unit }: { unit: OrgUnit }) {
  const i18n = useI18n();
  const { t, tv, tf, lang } = i18n;
  const [saved, setSaved] = useState(unit);
  const [draft, setDraft] = useState({ name: unit.name, head: unit.head ?? '', phone: unit.phone ?? '' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<{ kind: 'error' | 'success'; text: string }>();

  async function save(ev: FormEvent) {
    ev.preventDefault();
    setMessage(undefined);
    try {
      const after = await api.putOrgUnit(unit.scope, unit.code, { name: draft.name, ...(draft.head.trim() ? { head: draft.head } : {}), ...(draft.phone.trim() ? { phone: draft.phone } : {}) });
      setSaved(after);
      setErrors({});
      setMessage({ kind: 'success', text: tf('orgUnitSaved', { name: after.name }) });
    } catch (e) {
      setErrors(fieldErrorsOf(e));
      setMessage({ kind: 'error', text: errorMessage(e, i18n) });
    }
  }

  const label = unit.scope === 'units' ? tv('unit_', unit.code) : tv('dept_', unit.code);
  return (
    <form onSubmit={(e) => void save(e)} noValidate className="admin-form inline-form org-unit" aria-label={label} data-org={`${unit.scope}/${unit.code}`}>
      <p className="org-code">
        <strong>{label}</strong> <code>{unit.code}</code>
        {saved.updatedAt ? (
          <span className="hint">
            {' '}
            · {t('updatedBy')}: {saved.updatedBy} · <time dateTime={saved.updatedAt}>{formatTime(saved.updatedAt, lang)}</time>
          </span>
        ) : (
          <span className="hint"> · {t('orgDefaultName')}</span>
        )}
      </p>
      <TextField name="name" label={t('orgName')} required value={draft.name} onChange={(v) => setDraft((d) => ({ ...d, name: v }))} error={errors.name} />
      <TextField name="head" label={t('orgHead')} value={draft.head} onChange={(v) => setDraft((d) => ({ ...d, head: v }))} error={errors.head} />
      <TextField name="phone" label={t('orgPhone')} type="tel" value={draft.phone} onChange={(v) => setDraft((d) => ({ ...d, phone: v }))} error={errors.phone} />
      <button type="submit">{t('save')}</button>
      {message ? <Alert kind={message.kind}>{message.text}</Alert> : null}
    </form>
  );
}
