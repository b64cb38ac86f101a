/**
 * Verifies an official's bearer token. One code path everywhere: in AWS the issuer is the Cognito user
 * pool and the JWKS its public keys (API Gateway's JWT authorizer checks the same token first); on one
 * machine the issuer is the local platform, whose key signs tokens for POST /api/dev/login.
 * Claims use Cognito's names: cognito:username and the custom:* attributes of the user pool.
 */
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import { Official } from '../domain/registry/schemas';
import { UnauthorizedError } from './errors';
import { requireEnv } from './config';

/** The claim of one-machine tokens carrying the account's session generation: signing out (or a new password) moves it, and older tokens are refused. */
export const GENERATION_CLAIM = 'local:generation';

let verifier: { issuer: string; audience: string[]; jwks: ReturnType<typeof createRemoteJWKSet> } | undefined;

// Created on first use, then kept for the life of the container (the JWKS is cached by jose).
function tokenVerifier() {
  verifier ??= {
    issuer: requireEnv('JWT_ISSUER'),
    // Comma-separated: the officials' app client and the web site's hosted-UI client.
    audience: requireEnv('JWT_AUDIENCE').split(',').map((a) => a.trim()).filter(Boolean),
    jwks: createRemoteJWKSet(new URL(requireEnv('JWT_JWKS_URL'))),
  };
  return verifier;
}

export function officialFromClaims(claims: JWTPayload): Official {
  const parsed = Official.safeParse({
    username: claims['cognito:username'],
    role: claims['custom:role'],
    unit: claims['custom:unit'] || undefined,
    department: claims['custom:department'] || undefined,
    schoolId: claims['custom:schoolId'] || undefined,
  });
  if (!parsed.success) throw new UnauthorizedError('The token does not carry a valid role and scope');
  return parsed.data;
}

export async function verifyOfficialToken(authorization: string | undefined): Promise<Official> {
  return (await verifyOfficialSession(authorization)).official;
}

/** The official and, for a one-machine token, the session generation it was issued in (Cognito's carry none). */
export async function verifyOfficialSession(authorization: string | undefined): Promise<{ official: Official; generation?: number }> {
  const match = authorization?.match(/^Bearer\s+(\S+)$/i);
  if (!match) throw new UnauthorizedError('An Authorization: Bearer <token> header is required');
  const { issuer, audience, jwks } = tokenVerifier();
  let claims: JWTPayload;
  try {
    ({ payload: claims } = await jwtVerify(match[1], jwks, { issuer, audience }));
  } catch {
    throw new UnauthorizedError('The token is invalid or expired');
  }
  if (claims.token_use !== 'id') throw new UnauthorizedError('An ID token is required');
  const generation = claims[GENERATION_CLAIM];
  return { official: officialFromClaims(claims), ...(typeof generation === 'number' ? { generation } : {}) };
}
