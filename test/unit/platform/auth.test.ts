/**
 * The official token check, the same code in AWS (Cognito's JWKS) and on one machine (the local key):
 * a served JWKS, tokens signed with its key.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';

let server: Server;
let privateKey: CryptoKey;
let verifyOfficialToken: typeof import('../../../lambdas/platform/auth').verifyOfficialToken;
const ISSUER = 'https://issuer.test';

beforeAll(async () => {
  const pair = await generateKeyPair('ES256', { extractable: true });
  privateKey = pair.privateKey;
  const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' }] });
  server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(jwks));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  Object.assign(process.env, {
    JWT_ISSUER: ISSUER,
    // The officials' app client and the web site's hosted-UI client.
    JWT_AUDIENCE: 'officials-client,web-client',
    JWT_JWKS_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`,
  });
  ({ verifyOfficialToken } = await import('../../../lambdas/platform/auth'));
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const token = (claims: JWTPayload, audience = 'web-client', issuer = ISSUER) =>
  new SignJWT({ token_use: 'id', 'cognito:username': 'group_1', 'custom:role': 'group_officer', 'custom:unit': 'group_1', ...claims })
    .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
    .setIssuer(issuer)
    .setAudience(audience)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(privateKey);

describe('verifying an official’s token', () => {
  it('accepts an ID token of either client and reads role and scope from its claims', async () => {
    for (const audience of ['officials-client', 'web-client']) {
      expect(await verifyOfficialToken(`Bearer ${await token({}, audience)}`)).toEqual({ username: 'group_1', role: 'group_officer', unit: 'group_1' });
    }
  });

  it.each([
    ['no header', async () => undefined],
    ['another client', async () => `Bearer ${await token({}, 'someone-else')}`],
    ['another issuer', async () => `Bearer ${await token({}, 'web-client', 'https://evil.test')}`],
    ['an access token', async () => `Bearer ${await token({ token_use: 'access' })}`],
    ['no role', async () => `Bearer ${await token({ 'custom:role': undefined })}`],
    ['an unknown role', async () => `Bearer ${await token({ 'custom:role': 'president' })}`],
  ])('refuses %s with 401', async (_what, header) => {
    await expect(verifyOfficialToken(await header())).rejects.toMatchObject({ statusCode: 401 });
  });
});
