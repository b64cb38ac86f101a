/** Seeds the demo district into an empty database (API.md: seeded demo data, local mode). */
import { listSchools, putRegistryEntries } from '../../lambdas/domain/registry/registry-repository';
import { demoInstitutions, demoSchools, demoUsers } from './demo-district';

export async function seedIfEmpty(): Promise<boolean> {
  if ((await listSchools()).length > 0) return false;
  await putRegistryEntries({ schools: demoSchools, institutions: demoInstitutions, users: demoUsers });
  return true;
}
