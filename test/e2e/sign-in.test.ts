/**
 * Sessions of local accounts over HTTP against `npm start`: the one-time password opens nothing but its
 * change; 5 wrong passwords lock the account for the rest of the quarter hour, also against the right one,
 * and an official on the same address is not refused; a refresh token works once, and used twice signs the
 * account out everywhere; signing out and a new password end the other sessions at once.
 */
import type { Json } from '../support/api-client';
import { usePlatform } from '../support/platform-process';

jest.setTimeout(180_000);

const { api } = usePlatform();
const MIN = 60_000;

/** A new official, signed in once with the one-time password and changed to `password`. */
async function official(username: string, password: string): Promise<Json> {
  const made = await api.as('admin', 'POST', '/api/admin/users', { username, displayName: '测试', role: 'supervisor' });
  expect(made.status).toBe(201);
  const first = await login(username, made.body.initialPassword as string);
  const changed = await api.call('POST', '/api/auth/password', { token: first.body.token, body: { currentPassword: made.body.initialPassword, newPassword: password } });
  expect(changed.status).toBe(200);
  return changed.body;
}
const login = (username: string, password: string) => api.call('POST', '/api/auth/login', { body: { username, password } });
const me = (token: string) => api.call('GET', '/api/me', { token });

it('names a weak new password, refuses a wrong current one, and the one-time password opens nothing else', async () => {
  const made = await api.as('admin', 'POST', '/api/admin/users', { username: 'zhou.s', displayName: '周老师', role: 'supervisor' });
  const first = await login('zhou.s', made.body.initialPassword as string);
  expect(first.body).toMatchObject({ mustChangePassword: true, expiresIn: 3600 });
  expect((await me(first.body.token)).status).toBe(200);
  expect((await api.call('GET', '/api/campaigns', { token: first.body.token })).body.error.code).toBe('password_change_required');
  const weak = await api.call('POST', '/api/auth/password', { token: first.body.token, body: { currentPassword: made.body.initialPassword, newPassword: 'short' } });
  expect(new Set(weak.body.error.details.map((d: { field: string }) => d.field))).toEqual(new Set(['newPassword']));
  const wrong = await api.call('POST', '/api/auth/password', { token: first.body.token, body: { currentPassword: 'Not-the-one-2026', newPassword: 'Zhou-Supervisor-2026' } });
  expect(wrong.status).toBe(401);
  const changed = await api.call('POST', '/api/auth/password', { token: first.body.token, body: { currentPassword: made.body.initialPassword, newPassword: 'Zhou-Supervisor-2026' } });
  expect(changed.body.mustChangePassword).toBe(false);
  expect((await api.call('GET', '/api/campaigns', { token: changed.body.token })).status).toBe(200);
  // The session that changed it goes on with the new token; the token from before is refused.
  expect((await me(first.body.token)).status).toBe(401);
  expect((await login('zhou.s', made.body.initialPassword as string)).status).toBe(401);
  expect((await login('zhou.s', 'Zhou-Supervisor-2026')).status).toBe(200);
});

it('locks an account after 5 wrong passwords for the rest of the quarter hour, even against the right one, and not the official beside it', async () => {
  await official('lock.a', 'Lock-Account-2026');
  await official('lock.b', 'Lock-Bystander-2026');
  for (let i = 0; i < 5; i++) expect((await login('lock.a', `Wrong-guess-${i}`)).status).toBe(401);
  const locked = await login('lock.a', 'Lock-Account-2026');
  expect(locked.status).toBe(429);
  expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
  expect(Number(locked.headers['retry-after'])).toBeLessThanOrEqual(15 * 60);
  // Same address, another account: signs in.
  expect((await login('lock.b', 'Lock-Bystander-2026')).status).toBe(200);
  await api.advanceClock(16 * MIN);
  expect((await login('lock.a', 'Lock-Account-2026')).status).toBe(200);
});

it('refreshes with a refresh token once; used twice, every session of the account ends', async () => {
  const session = await official('refresh.a', 'Refresh-Account-2026');
  const next = await api.call('POST', '/api/auth/refresh', { body: { refreshToken: session.refreshToken } });
  expect(next.status).toBe(200);
  expect(next.body.refreshToken).not.toBe(session.refreshToken);
  expect((await me(next.body.token)).status).toBe(200);
  const replayed = await api.call('POST', '/api/auth/refresh', { body: { refreshToken: session.refreshToken } });
  expect(replayed.status).toBe(401);
  expect((await me(next.body.token)).status).toBe(401);
  expect((await api.call('POST', '/api/auth/refresh', { body: { refreshToken: next.body.refreshToken } })).status).toBe(401);
});

it('lets exactly one of two refreshes with the same token through', async () => {
  const session = await official('refresh.b', 'Refresh-Racing-2026');
  const both = await Promise.all([0, 1].map(() => api.call('POST', '/api/auth/refresh', { body: { refreshToken: session.refreshToken } })));
  expect(both.map((r) => r.status).sort()).toEqual([200, 401]);
});

it('signs out everywhere: every token and refresh token of the account is refused at once', async () => {
  const a = await official('logout.a', 'Logout-Account-2026');
  const b = (await login('logout.a', 'Logout-Account-2026')).body;
  expect((await api.call('POST', '/api/auth/logout', { token: a.token })).status).toBe(204);
  expect((await me(a.token)).status).toBe(401);
  expect((await me(b.token)).status).toBe(401);
  expect((await api.call('POST', '/api/auth/refresh', { body: { refreshToken: b.refreshToken } })).status).toBe(401);
  expect((await login('logout.a', 'Logout-Account-2026')).status).toBe(200);
});

it('ends a session with the working day: its refresh token is refused 12 hours on (on the platform clock)', async () => {
  const session = await official('expiry.a', 'Expiry-Account-2026');
  await api.advanceClock(13 * 3600_000);
  expect((await api.call('POST', '/api/auth/refresh', { body: { refreshToken: session.refreshToken } })).status).toBe(401);
});
