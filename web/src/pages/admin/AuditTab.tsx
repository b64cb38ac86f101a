/** The audit trail: every change to the registries, newest first, by kind of record or of one record, a page at a time. */
import { useEffect, useState, type FormEvent } from 'react';
import { api, AUDIT_SUBJECTS, type AuditRecord, type AuditSubject } from '../../api';
import { formatTime, useI18n } from '../../i18n';
import { Alert, SelectField, TextField } from '../../components/fields';
import { usePagedList } from '../../components/usePagedList';
import { DataTable } from '../../components/DataTable';

interface Query {
  about?: AuditSubject;
  id?: string;
}

/** The changed fields as "field: value" (lists and objects as JSON), never a password (the API keeps none). */
const changesText = (c: Record<string, unknown>) =>
  Object.entries(c)
    .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join('; ');

export function AuditTab() {
  const i18n = useI18n();
  const { t, tv, lang } = i18n;
  const [about, setAbout] = useState('');
  const [id, setId] = useState('');
  const [query, setQuery] = useState<Query>({});
  const list = usePagedList<Query, AuditRecord>((q) => api.audit({ ...q, limit: 50 }), i18n);

  useEffect(() => {
    void list.load(query, false);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [query]);

  const submit = (ev: FormEvent) => {
    ev.preventDefault();
    setQuery({ ...(about ? { about: about as AuditSubject } : {}), ...(about && id.trim() ? { id: id.trim() } : {}) });
  };
  return (
    <div>
      <h2>{t('auditTitle')}</h2>
      <form className="inline-form" role="search" onSubmit={submit}>
        <SelectField name="about" label={t('auditAbout')} value={about} placeholder={t('auditAll')} onChange={setAbout} options={AUDIT_SUBJECTS.map((s) => ({ value: s, label: tv('about_', s) }))} />
        <TextField name="id" label={t('auditId')} value={id} onChange={setId} disabled={!about} autoComplete="off" />
        <button type="submit">{t('show')}</button>
      </form>
      {list.error ? <Alert kind="error">{list.error}</Alert> : null}
      {!list.items ? (
        <p>{t('loading')}</p>
      ) : (
        <DataTable
          testId="audit-table"
          rows={list.items}
          rowKey={(e) => `${e.at}-${e.about}-${e.id}-${e.action}`}
          empty={t('noneFound')}
          columns={[
            { label: t('auditAt'), cell: (e) => <time dateTime={e.at}>{formatTime(e.at, lang)}</time> },
            { label: t('auditAbout'), cell: (e) => tv('about_', e.about) },
            { label: t('auditId'), cell: (e) => e.id },
            { label: t('auditAction'), cell: (e) => tv('action_', e.action) },
            { label: t('auditBy'), cell: (e) => e.by },
            {
              label: t('auditChanges'),
              className: 'changes',
              cell: (e) => (
                <>
                  {changesText(e.changes)}
                  {e.import ? <span className="hint"> ({i18n.tf('auditImportRow', { row: e.import.row })})</span> : null}
                </>
              ),
            },
          ]}
        />
      )}
      {list.cursor ? (
        <button type="button" disabled={list.busy} onClick={() => void list.load({ ...query, cursor: list.cursor }, true)}>
          {t('more')}
        </button>
      ) : null}
    </div>
  );
}
