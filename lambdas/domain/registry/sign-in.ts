/**
 * Sign-in with a local account (one-machine mode): username and password, checked against the scrypt
 * hash; a wrong name, a wrong password and a disabled account answer alike, so the answer does not tell
 * which names exist. (Lock-out after repeated failures: issue 14.)
 */
import { UnauthorizedError } from '../../platform/errors';
import { signOfficialToken } from '../../platform/local-tokens';
import { getStoredUser } from './admin-repository';
import { hashPassword, verifyPassword } from './passwords';

// A name that does not exist still costs one scrypt, so timing does not tell which names exist.
let dummyHash: Promise<string> | undefined;

export async function signIn(username: string, password: string): Promise<{ token: string; mustChangePassword: boolean }> {
  const user = await getStoredUser(username);
  const hash = user && !user.disabled && user.passwordHash ? user.passwordHash : await (dummyHash ??= hashPassword('no such account'));
  const ok = (await verifyPassword(password, hash)) && hash === user?.passwordHash && !user.disabled;
  if (!user || !ok) throw new UnauthorizedError('Wrong username or password');
  const token = await signOfficialToken({ username: user.username, role: user.role, unit: user.unit, department: user.department, schoolId: user.schoolId });
  return { token, mustChangePassword: user.mustChangePassword ?? false };
}
