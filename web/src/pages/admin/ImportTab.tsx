/**
 * The import of the bureau's sheets (XLSX or CSV, also GBK from Chinese Excel): check first (a dry run
 * writes nothing), then import; every bad cell is listed by the sheet's row and column, and nothing is
 * written while any is bad. Officials imported get one-time passwords, listed here once.
 */
import { useState, type FormEvent } from 'react';
import { api, IMPORT_KINDS, type ImportKind, type ImportReport } from '../../api';
import { useI18n } from '../../i18n';
import { Alert, SelectField } from '../../components/fields';
import { errorMessage } from '../../components/errors';
import { DataTable } from '../../components/DataTable';

export function ImportTab() {
  const i18n = useI18n();
  const { t, tv, tf } = i18n;
  const [kind, setKind] = useState<ImportKind>('schools');
  const [file, setFile] = useState<File>();
  const [report, setReport] = useState<ImportReport>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function run(dryRun: boolean) {
    setError(undefined);
    setReport(undefined);
    if (!file) {
      setError(t('chooseFile'));
      return;
    }
    setBusy(true);
    try {
      setReport(await api.importSheet(kind, file, dryRun));
    } catch (e) {
      setError(errorMessage(e, i18n));
    } finally {
      setBusy(false);
    }
  }

  const submit = (ev: FormEvent) => (ev.preventDefault(), void run(true));
  const outcome = (r: ImportReport) =>
    r.errors.length > 0 ? tf('importRefused', { count: r.errors.length }) : tf(r.dryRun ? 'importChecked' : 'importDone', { created: r.created, updated: r.updated, unchanged: r.unchanged });
  return (
    <div>
      <h2>{t('importTitle')}</h2>
      <p className="hint">{t('importIntro')}</p>
      <form onSubmit={submit} noValidate className="admin-form">
        <SelectField name="kind" label={t('importKind')} required value={kind} onChange={(v) => (setKind(v as ImportKind), setReport(undefined))} options={IMPORT_KINDS.map((k) => ({ value: k, label: tv('importkind_', k) }))} />
        <div className="field">
          <label htmlFor="import-file">{t('importFile')}</label>
          <input id="import-file" name="file" type="file" accept=".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" onChange={(e) => (setFile(e.target.files?.[0]), setReport(undefined))} />
        </div>
        <button type="submit" disabled={busy}>
          {t('importCheck')}
        </button>{' '}
        <button type="button" className="primary" disabled={busy || !report || !report.dryRun || report.errors.length > 0} onClick={() => void run(false)}>
          {t('importRun')}
        </button>
        <p className="hint">{t('importRunHint')}</p>
      </form>
      {busy ? <p>{t('submitting')}</p> : null}
      {error ? <Alert kind="error">{error}</Alert> : null}
      {report ? (
        <div data-testid="import-report" data-outcome={report.errors.length > 0 ? 'refused' : report.dryRun ? 'checked' : 'imported'}>
          <Alert kind={report.errors.length > 0 ? 'error' : 'success'}>{outcome(report)}</Alert>
          {report.ignoredColumns.length > 0 ? <p className="hint">{tf('ignoredColumns', { columns: report.ignoredColumns.join('、') })}</p> : null}
          {report.errors.length > 0 ? (
            <DataTable
              testId="import-errors"
              caption={t('importErrors')}
              rows={report.errors}
              rowKey={(e) => `${e.row}-${e.column}-${e.message}`}
              columns={[
                { label: t('sheetRow'), cell: (e) => e.row },
                { label: t('sheetColumn'), cell: (e) => e.column },
                { label: t('problem'), cell: (e) => e.message },
              ]}
            />
          ) : null}
          {report.accounts && report.accounts.length > 0 ? (
            <DataTable
              testId="import-accounts"
              caption={t('importAccounts')}
              rows={report.accounts}
              rowKey={(a) => a.username}
              columns={[
                { label: t('username'), cell: (a) => a.username },
                { label: t('initialPassword'), cell: (a) => <code>{a.initialPassword}</code> },
              ]}
            />
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
