/**
 * The institutions registry: filtered by status and searched by name, alias or address (by the API, as
 * triage matches names); the form enters an institution or, with "edit", changes one, also its name.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { api, INSTITUTION_STATUSES, UNITS, type AdminInstitution, type InstitutionKind, type InstitutionRequest, type InstitutionStatus, type Unit } from '../../api';
import { useI18n } from '../../i18n';
import { Alert, SelectField, TextField } from '../../components/fields';
import { errorMessage, fieldErrorsOf } from '../../components/errors';
import { DataTable } from '../../components/DataTable';

const KINDS: InstitutionKind[] = ['subject', 'non_subject'];
const emptyDraft = { name: '', address: '', area: '' as Unit | '', kind: '' as InstitutionKind | '', status: '' as InstitutionStatus | '', licenceNo: '', aliases: '' };

/** Other names, one per line or separated by commas (the registry keeps up to ten). */
const aliasList = (s: string) =>
  s
    .split(/[\n,，、;；]+/)
    .map((a) => a.trim())
    .filter(Boolean);

export function InstitutionsTab() {
  const i18n = useI18n();
  const { t, tv, tf } = i18n;
  const [list, setList] = useState<AdminInstitution[]>();
  const [status, setStatus] = useState('');
  const [search, setSearch] = useState('');
  const [message, setMessage] = useState<{ kind: 'error' | 'success'; text: string }>();
  const [draft, setDraft] = useState(emptyDraft);
  const [editing, setEditing] = useState<AdminInstitution>();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);

  const reload = () =>
    api.adminInstitutions({ status: (status || undefined) as InstitutionStatus | undefined, q: search.trim() || undefined }).then(setList, (e: unknown) => setMessage({ kind: 'error', text: errorMessage(e, i18n) }));
  useEffect(() => {
    // The API searches: wait for a pause in typing rather than asking at every key.
    const timer = setTimeout(() => void reload(), 250);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [status, search]);

  function edit(i: AdminInstitution) {
    setEditing(i);
    setErrors({});
    setDraft({ name: i.name, address: i.address, area: i.area, kind: i.kind ?? '', status: i.status, licenceNo: i.licenceNo ?? '', aliases: i.aliases.join('\n') });
  }

  async function save(ev: FormEvent) {
    ev.preventDefault();
    setMessage(undefined);
    const body = {
      name: draft.name,
      address: draft.address,
      area: draft.area,
      kind: draft.kind,
      status: draft.status,
      ...(draft.licenceNo.trim() ? { licenceNo: draft.licenceNo.trim() } : {}),
      aliases: aliasList(draft.aliases),
    } as InstitutionRequest;
    setBusy(true);
    try {
      if (editing) await api.updateInstitution(editing.institutionId, body);
      else await api.createInstitution(body);
      setMessage({ kind: 'success', text: tf(editing ? 'institutionSaved' : 'institutionCreated', { name: body.name }) });
      setDraft(emptyDraft);
      setEditing(undefined);
      setErrors({});
      await reload();
    } catch (e) {
      setErrors(fieldErrorsOf(e));
      setMessage({ kind: 'error', text: errorMessage(e, i18n) });
    } finally {
      setBusy(false);
    }
  }

  const aliasError = Object.entries(errors).find(([f]) => f === 'aliases' || f.startsWith('aliases.'))?.[1];
  return (
    <div>
      <h2>{t('institutionsTitle')}</h2>
      <div className="inline-form" role="search">
        <SelectField name="status" label={t('institutionStatus')} value={status} placeholder={t('allStatuses')} onChange={setStatus} options={INSTITUTION_STATUSES.map((s) => ({ value: s, label: tv('inst_', s) }))} />
        <TextField name="q" label={t('searchInstitutions')} value={search} onChange={setSearch} autoComplete="off" />
      </div>
      {!list ? (
        <p>{t('loading')}</p>
      ) : (
        <DataTable
          testId="institutions-table"
          rows={list}
          rowKey={(i) => i.institutionId}
          rowAttributes={(i) => ({ 'data-institution': i.institutionId })}
          empty={t('noneFound')}
          columns={[
            { label: t('institutionName'), cell: (i) => i.name },
            { label: t('aliases'), cell: (i) => i.aliases.join('、') },
            { label: t('address'), cell: (i) => i.address },
            { label: t('area'), cell: (i) => tv('unit_', i.area) },
            { label: t('institutionKind'), cell: (i) => (i.kind ? tv('instkind_', i.kind) : '') },
            { label: t('institutionStatus'), cell: (i) => <span className={i.status === 'licensed' ? undefined : 'badge badge-danger'}>{tv('inst_', i.status)}</span> },
            { label: t('licenceNo'), cell: (i) => i.licenceNo ?? '' },
          ]}
          actions={(i) => (
            <button type="button" className="link" onClick={() => edit(i)} aria-label={tf('editInstitutionLabel', { name: i.name })}>
              {t('edit')}
            </button>
          )}
        />
      )}

      <h2 id="institution-form-title">{editing ? tf('editInstitutionTitle', { name: editing.name }) : t('newInstitutionTitle')}</h2>
      <form onSubmit={(e) => void save(e)} noValidate className="admin-form" aria-labelledby="institution-form-title">
        <TextField name="name" label={t('institutionName')} required value={draft.name} onChange={(v) => setDraft((d) => ({ ...d, name: v }))} error={errors.name} />
        <TextField name="address" label={t('address')} required value={draft.address} onChange={(v) => setDraft((d) => ({ ...d, address: v }))} error={errors.address} />
        <SelectField name="area" label={t('area')} required value={draft.area} placeholder={t('choose')} onChange={(v) => setDraft((d) => ({ ...d, area: v as Unit }))} options={UNITS.map((u) => ({ value: u, label: tv('unit_', u) }))} error={errors.area} />
        <SelectField name="kind" label={t('institutionKind')} required value={draft.kind} placeholder={t('choose')} onChange={(v) => setDraft((d) => ({ ...d, kind: v as InstitutionKind }))} options={KINDS.map((k) => ({ value: k, label: tv('instkind_', k) }))} error={errors.kind} />
        <SelectField name="institutionStatus" label={t('institutionStatus')} required value={draft.status} placeholder={t('choose')} onChange={(v) => setDraft((d) => ({ ...d, status: v as InstitutionStatus }))} options={INSTITUTION_STATUSES.map((s) => ({ value: s, label: tv('inst_', s) }))} error={errors.status} />
        <TextField name="licenceNo" label={t('licenceNo')} value={draft.licenceNo} onChange={(v) => setDraft((d) => ({ ...d, licenceNo: v }))} error={errors.licenceNo} />
        <TextField name="aliases" label={t('aliases')} hint={t('aliasesHint')} value={draft.aliases} onChange={(v) => setDraft((d) => ({ ...d, aliases: v }))} error={aliasError} />
        {message ? <Alert kind={message.kind}>{message.text}</Alert> : null}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t('submitting') : editing ? t('save') : t('createInstitution')}
        </button>{' '}
        {editing ? (
          <button type="button" onClick={() => (setEditing(undefined), setDraft(emptyDraft), setErrors({}))}>
            {t('cancel')}
          </button>
        ) : null}
      </form>
    </div>
  );
}
