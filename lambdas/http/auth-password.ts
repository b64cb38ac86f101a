/** POST /api/auth/password (one machine, also on the one-time password): a new password; other sessions end. */
import { httpRoute, reply } from '../platform/http';
import { PasswordChangeRequest } from '../domain/registry/schemas';
import { changePassword } from '../domain/registry/sessions';

export const handler = httpRoute({ auth: 'official', duringPasswordChange: true, body: PasswordChangeRequest }, async ({ official, body }) =>
  reply(200, await changePassword(official, body.currentPassword, body.newPassword)),
);
