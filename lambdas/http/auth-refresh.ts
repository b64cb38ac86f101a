/** POST /api/auth/refresh (one machine): a refresh token, used once → the next ID token and refresh token. */
import { httpRoute, reply } from '../platform/http';
import { RefreshRequest } from '../domain/registry/schemas';
import { refresh } from '../domain/registry/sessions';

export const handler = httpRoute({ auth: 'public', body: RefreshRequest }, async ({ body }) => reply(200, await refresh(body.refreshToken)));
