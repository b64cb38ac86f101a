/**
 * POST /api/dev/login (one-machine mode only; the route is never deployed): a signed ID token for a
 * seeded user, with the same claims Cognito puts in its ID tokens, so the same verifier accepts it.
 */
import { readFileSync } from 'node:fs';
import { importJWK, SignJWT, type JWK } from 'jose';
import { httpRoute, reply } from '../platform/http';
import { requireEnv } from '../platform/config';
import { NotFoundError } from '../platform/errors';
import { DevLoginRequest } from '../domain/registry/schemas';
import { getUser } from '../domain/registry/registry-repository';

const ISSUER = requireEnv('JWT_ISSUER');
const AUDIENCE = requireEnv('JWT_AUDIENCE');
const PRIVATE_JWK = JSON.parse(readFileSync(requireEnv('LOCAL_JWT_PRIVATE_KEY_FILE'), 'utf8')) as JWK;
const signingKey = importJWK(PRIVATE_JWK, 'ES256');

export const handler = httpRoute({ auth: 'public', body: DevLoginRequest }, async ({ body }) => {
  const user = await getUser(body.username);
  if (!user) throw new NotFoundError(`No seeded user is called ${body.username}`);
  const token = await new SignJWT({
    token_use: 'id',
    'cognito:username': user.username,
    'custom:role': user.role,
    ...(user.unit ? { 'custom:unit': user.unit } : {}),
    ...(user.department ? { 'custom:department': user.department } : {}),
    ...(user.schoolId ? { 'custom:schoolId': user.schoolId } : {}),
  })
    .setProtectedHeader({ alg: 'ES256', kid: PRIVATE_JWK.kid })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setSubject(user.username)
    .setIssuedAt()
    .setExpirationTime('12h')
    .sign(await signingKey);
  return reply(200, { token });
});
