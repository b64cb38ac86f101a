/** POST /api/auth/logout (one machine): the official is signed out everywhere. */
import { httpRoute, reply } from '../platform/http';
import { signOut } from '../domain/registry/sessions';

export const handler = httpRoute({ auth: 'official', duringPasswordChange: true }, async ({ official }) => {
  await signOut(official);
  return reply(204);
});
