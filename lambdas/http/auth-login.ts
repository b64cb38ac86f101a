/** POST /api/auth/login (one machine): username and password of a local account → a session (ID token and refresh token). */
import { httpRoute, reply } from '../platform/http';
import { LoginRequest } from '../domain/registry/schemas';
import { signIn } from '../domain/registry/sessions';

export const handler = httpRoute({ auth: 'public', body: LoginRequest }, async ({ body }) => reply(200, await signIn(body.username, body.password)));
