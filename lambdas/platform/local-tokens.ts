/**
 * ID tokens of the one-machine issuer (POST /api/dev/login, POST /api/auth/login, /refresh): the claims
 * Cognito puts in its ID tokens, signed with the local key in DATA_DIR, so the one verifier (auth.ts)
 * accepts them, plus the account's session generation. Read once at start-up; these functions exist only on one machine (localOnly routes).
 */
import { readFileSync } from 'node:fs';
import { importJWK, SignJWT, type JWK } from 'jose';
import { requireEnv } from './config';
import { GENERATION_CLAIM } from './auth';
import type { Official } from '../domain/registry/schemas';

const ISSUER = requireEnv('JWT_ISSUER');
const AUDIENCE = requireEnv('JWT_AUDIENCE');
const PRIVATE_JWK = JSON.parse(readFileSync(requireEnv('LOCAL_JWT_PRIVATE_KEY_FILE'), 'utf8')) as JWK;
const signingKey = importJWK(PRIVATE_JWK, 'ES256');

/** An hour, as Cognito's ID tokens by default; the session's refresh token (12 h) gets the next one. */
export const TOKEN_LIFETIME_SECONDS = 3600;

export async function signOfficialToken(user: Official, generation: number): Promise<string> {
  return new SignJWT({
    token_use: 'id',
    [GENERATION_CLAIM]: generation,
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
    .setExpirationTime(`${TOKEN_LIFETIME_SECONDS}s`)
    .sign(await signingKey);
}
