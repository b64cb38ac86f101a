/**
 * The admin's console for entering a real district: officials, schools and classes, institutions, the
 * organisation (units and departments), the import of the bureau's sheets and the audit trail, one tab
 * each (`#/official/admin?tab=…`, so a tab can be linked and survives a reload).
 */
import type { Me } from '../../api';
import { useI18n, type MessageKey } from '../../i18n';
import { href } from '../../router';
import { Alert } from '../../components/fields';
import { UsersTab } from './UsersTab';
import { SchoolsTab } from './SchoolsTab';
import { InstitutionsTab } from './InstitutionsTab';
import { OrganisationTab } from './OrganisationTab';
import { ImportTab } from './ImportTab';
import { AuditTab } from './AuditTab';

const TABS = ['users', 'schools', 'institutions', 'organisation', 'import', 'audit'] as const;
type Tab = (typeof TABS)[number];
const tabLabel: Record<Tab, MessageKey> = {
  users: 'adminTabUsers',
  schools: 'adminTabSchools',
  institutions: 'adminTabInstitutions',
  organisation: 'adminTabOrganisation',
  import: 'adminTabImport',
  audit: 'adminTabAudit',
};

export function AdminConsole({ me, tab }: { me: Me; tab?: string }) {
  const { t } = useI18n();
  const current: Tab = (TABS as readonly string[]).includes(tab ?? '') ? (tab as Tab) : 'users';
  if (me.role !== 'admin') {
    return (
      <section aria-labelledby="admin-title">
        <h1 id="admin-title">{t('adminTitle')}</h1>
        <Alert kind="error">{t('adminOnly')}</Alert>
      </section>
    );
  }
  return (
    <section aria-labelledby="admin-title" className="admin">
      <h1 id="admin-title">{t('adminTitle')}</h1>
      <nav aria-label={t('adminTitle')} className="tabs">
        <ul>
          {TABS.map((x) => (
            <li key={x}>
              <a href={href('/official/admin', { tab: x })} aria-current={x === current ? 'page' : undefined}>
                {t(tabLabel[x])}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {current === 'users' ? <UsersTab me={me} /> : null}
      {current === 'schools' ? <SchoolsTab /> : null}
      {current === 'institutions' ? <InstitutionsTab /> : null}
      {current === 'organisation' ? <OrganisationTab /> : null}
      {current === 'import' ? <ImportTab /> : null}
      {current === 'audit' ? <AuditTab /> : null}
    </section>
  );
}
