/**
 * Seeds the demo district into an empty database (API.md: seeded demo data, local mode), through the
 * registry import as an admin would enter it. The demo officials get no password: they sign in with the
 * demo picker (POST /api/dev/login).
 */
import { listSchools } from '../../lambdas/domain/registry/registry-repository';
import { importDistrict } from '../../lambdas/domain/registry/registry-import';
import { demoInstitutions, demoSchools, demoUsers } from './demo-district';

export const seeder = { username: 'demo-seed', role: 'admin' } as const;

export async function seedIfEmpty(): Promise<boolean> {
  if ((await listSchools()).length > 0) return false;
  await importDistrict(seeder, { schools: demoSchools, institutions: demoInstitutions, users: demoUsers }, { initialPasswords: false });
  return true;
}
