/**
 * `npm run admin -- <command>`: the district IT officer's tool, a client of the running platform's HTTP API
 * (the same routes as the console, so the same checks and the same audit trail).
 *
 *   import <schools|classes|institutions> <file.xlsx|file.csv> [--dry-run]
 *   users import <file.xlsx|file.csv> [--dry-run]     new officials, each with a one-time password
 *   create-admin <username> [<display name>]          the first admin (also in production mode)
 *
 * On one machine it signs itself a five-minute admin token with the signing key in DATA_DIR: whoever can
 * read that directory administers the platform anyway. Elsewhere pass `--url` and `--token` (an admin's ID
 * token). Options: --url (default http://127.0.0.1:$PORT, PORT default 3000), --data-dir (default DATA_DIR
 * or .data). Exit status: 0 done, 1 refused (the report says why), 2 usage.
 */
import { readFileSync, existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { importJWK, SignJWT, type JWK } from 'jose';
import { LOCAL_AUDIENCE } from './issuer';

interface Options {
  url: string;
  dataDir: string;
  token?: string;
  dryRun: boolean;
  args: string[];
}

const USAGE = `usage: npm run admin -- [--url URL] [--data-dir DIR] [--token JWT] <command>
  import <schools|classes|institutions> <file.xlsx|file.csv> [--dry-run]
  users import <file.xlsx|file.csv> [--dry-run]
  create-admin <username> [<display name>]`;

function parse(argv: string[]): Options {
  const o: Options = { url: `http://127.0.0.1:${process.env.PORT ?? 3000}`, dataDir: resolve(process.env.DATA_DIR ?? '.data'), dryRun: false, args: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--url') o.url = argv[++i] ?? '';
    else if (a === '--data-dir') o.dataDir = resolve(argv[++i] ?? '');
    else if (a === '--token') o.token = argv[++i];
    else if (a === '--dry-run') o.dryRun = true;
    else o.args.push(a);
  }
  return o;
}

/** An admin token of the one-machine issuer (its issuer is the platform's URL, as npm start sets it). */
async function localToken(o: Options): Promise<string> {
  const file = join(o.dataDir, 'local-jwt-signing-key.json');
  if (!existsSync(file)) throw new Usage(`No signing key in ${o.dataDir}: start the platform (npm start) with this DATA_DIR first, or pass --token`);
  const jwk = JSON.parse(readFileSync(file, 'utf8')) as JWK;
  return new SignJWT({ token_use: 'id', 'cognito:username': 'local-cli', 'custom:role': 'admin' })
    .setProtectedHeader({ alg: 'ES256', kid: jwk.kid })
    .setIssuer(o.url.replace(/\/$/, ''))
    .setAudience(LOCAL_AUDIENCE)
    .setSubject('local-cli')
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(await importJWK(jwk, 'ES256'));
}

class Usage extends Error {}

type Body = { file: { bytes: Buffer; type: string } } | { json: unknown };

async function call(o: Options, method: string, path: string, body: Body): Promise<{ status: number; json: Record<string, unknown> }> {
  const token = o.token ?? (await localToken(o));
  let res: Response;
  try {
    res = await fetch(`${o.url.replace(/\/$/, '')}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'file' in body ? body.file.type : 'application/json' },
      body: 'file' in body ? new Uint8Array(body.file.bytes) : JSON.stringify(body.json),
    });
  } catch {
    throw new Usage(`The platform does not answer at ${o.url}: start it (npm start) or pass --url`);
  }
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

function sheetFile(path: string | undefined): { bytes: Buffer; type: string } {
  if (!path) throw new Usage(USAGE);
  if (!existsSync(path)) throw new Usage(`No file ${path}`);
  // Bytes as they are (a GBK CSV stays GBK): the platform decodes it.
  return { bytes: readFileSync(path), type: /\.xlsx$/i.test(path) ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'application/octet-stream' };
}

interface Report {
  created: number;
  updated: number;
  unchanged: number;
  dryRun: boolean;
  errors: Array<{ row: number; column: string; message: string }>;
  ignoredColumns: string[];
  accounts?: Array<{ username: string; initialPassword: string }>;
}

function printReport(file: string, r: Report): number {
  for (const e of r.errors) console.log(`${basename(file)}: row ${e.row}, column ${e.column}: ${e.message}`);
  if (r.ignoredColumns.length) console.log(`ignored columns: ${r.ignoredColumns.join(', ')}`);
  if (r.errors.length) {
    console.log(`${r.errors.length} problem(s): nothing was written`);
    return 1;
  }
  console.log(`${r.dryRun ? 'dry run, nothing written: would create' : 'created'} ${r.created}, ${r.dryRun ? 'update' : 'updated'} ${r.updated}, unchanged ${r.unchanged}`);
  for (const a of r.accounts ?? []) console.log(`  ${a.username}\tinitial password ${a.initialPassword}`);
  if (r.accounts?.length) console.log('Hand each official their password in person; it must be changed at the first sign-in.');
  return 0;
}

async function importSheet(o: Options, kind: string, path: string | undefined): Promise<number> {
  const file = sheetFile(path);
  const res = await call(o, 'POST', `/api/admin/import?kind=${kind}${o.dryRun ? '&dryRun=true' : ''}`, { file });
  if (res.status === 200) return printReport(path as string, res.json as unknown as Report);
  return refused(res);
}

function refused(res: { status: number; json: Record<string, unknown> }): number {
  const error = res.json.error as { message?: string; details?: Array<{ field: string; message: string }> } | undefined;
  console.error(`refused (${res.status}): ${error?.message ?? JSON.stringify(res.json)}`);
  for (const d of error?.details ?? []) console.error(`  ${d.field}: ${d.message}`);
  return 1;
}

async function createAdmin(o: Options, username: string | undefined, displayName: string | undefined): Promise<number> {
  if (!username) throw new Usage(USAGE);
  const res = await call(o, 'POST', '/api/admin/users', { json: { username, displayName: displayName ?? username, role: 'admin' } });
  if (res.status !== 201) return refused(res);
  console.log(`admin ${username} created`);
  if (res.json.initialPassword) console.log(`initial password ${String(res.json.initialPassword)} (changed at the first sign-in)`);
  else console.log('Cognito has sent the temporary password to the account');
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const o = parse(argv);
  const [command, ...rest] = o.args;
  try {
    if (command === 'import' && rest[0] && ['schools', 'classes', 'institutions'].includes(rest[0])) return await importSheet(o, rest[0], rest[1]);
    if (command === 'users' && rest[0] === 'import') return await importSheet(o, 'users', rest[1]);
    if (command === 'create-admin') return await createAdmin(o, rest[0], rest.slice(1).join(' ') || undefined);
    throw new Usage(USAGE);
  } catch (err) {
    if (!(err instanceof Usage)) throw err;
    console.error(err.message);
    return 2;
  }
}

main(process.argv.slice(2)).then((code) => process.exit(code));
