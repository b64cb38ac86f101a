/**
 * The whole platform on one machine: DynamoDB Local, the local Step Functions endpoint, the HTTP
 * gateway and the scheduler, hosting the same handlers and ASL files as the CDK app. All state lives
 * under dataDir, so two platforms with different data dirs share nothing.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Server } from 'node:http';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { tableEnvVar, tableList } from '../lib/spec/tables';
import { workflowEnvVar } from '../lib/spec/functions';
import { workflows } from '../lib/spec/workflows';
import { routes } from '../lib/spec/routes';
import { startDynamodbLocal, type DynamodbLocal } from './dynamodb/dynamodb-local';
import { startFaultProxy, type FaultProxy } from './dynamodb/fault-proxy';
import { createTables } from './dynamodb/create-tables';
import { backfillCampaignList } from './migrations/campaign-list';
import { functionArn, functionNameFromArn, invokeFunction, LOCAL_ACCOUNT, LOCAL_REGION } from './functions';
import { createGateway } from './gateway';
import { startScheduler, type LocalScheduler } from './scheduler';
import { freePort } from './net';
import { startLocalS3, type LocalS3 } from './s3';
import { startLocalKms, type LocalKms } from './kms';
import { contactKey } from '../lib/spec/keys';
import { BucketAlreadyOwnedByYou, CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { controlHandler } from './control';
import { startControlSocket } from './control-socket';
import { startStreamRelays, type StreamRelay } from './streams';
import { webHandler } from './web';
import { clock } from '../lambdas/platform/clock';
import { restoreClock, saveClock } from './clock-state';
import { startLocalStepFunctions, type LocalStepFunctions } from './stepfunctions';
import { importDynamodbJournal } from './stepfunctions/import-dynamodb-journal';

const ROOT = resolve(__dirname, '..');
import { LOCAL_AUDIENCE } from './issuer';
export { LOCAL_AUDIENCE };
const EVIDENCE_BUCKET = 'evidence';

/**
 * development (the default): the demo district, the demo sign-in picker, the clock and fault controls
 * (/_local/*) and the SMS outbox, for demos and tests. production: none of those; real accounts only.
 */
export type PlatformMode = 'development' | 'production';

export interface PlatformOptions {
  port: number;
  dataDir: string;
  mode?: PlatformMode;
  /** The address to listen on: 127.0.0.1 (the default) behind a reverse proxy on this machine, 0.0.0.0 for every interface. */
  host?: string;
  /** Reverse proxies whose X-Forwarded-For names the client (127.0.0.1 and ::1 for nginx on this machine). */
  trustedProxies?: string[];
  log?: (msg: string) => void;
}

export interface Platform {
  url: string;
  mode: PlatformMode;
  dataDir: string;
  dynamodbEndpoint: string;
  /** Where the handlers reach DynamoDB: the fault-injection proxy (off unless POST /_local/faults). */
  handlerDynamodbEndpoint: string;
  s3Endpoint: string;
  sfnEndpoint: string;
  stepFunctions: LocalStepFunctions;
  scheduler: LocalScheduler;
  stop(): Promise<void>;
}

export const localStateMachineArn = (name: string) => `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stateMachine:${name}`;

/** Reads an ASL file and fills its ${Substitutions} with local function ARNs, as CDK fills them with real ones. */
export function localDefinition(name: keyof typeof workflows): Record<string, unknown> {
  const spec = workflows[name];
  let text = readFileSync(join(ROOT, spec.definitionFile), 'utf8');
  for (const [variable, fn] of Object.entries(spec.functionArns)) text = text.replaceAll(`\${${variable}}`, functionArn(fn));
  const left = /\$\{(\w+)\}/.exec(text);
  if (left) throw new Error(`${spec.definitionFile}: no local value for \${${left[1]}}`);
  return JSON.parse(text) as Record<string, unknown>;
}

async function signingKey(dataDir: string): Promise<{ privateFile: string; publicJwk: JWK }> {
  const privateFile = join(dataDir, 'local-jwt-signing-key.json');
  if (!existsSync(privateFile)) {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    const jwk = { ...(await exportJWK(privateKey)), alg: 'ES256', use: 'sig', kid: `local-${Date.now().toString(36)}` };
    writeFileSync(privateFile, JSON.stringify(jwk), { mode: 0o600 });
  }
  const { d: _private, ...publicJwk } = JSON.parse(readFileSync(privateFile, 'utf8')) as JWK;
  return { privateFile, publicJwk };
}

/**
 * Node 22, as Lambda runs the handlers (npm ci installs it into node_modules/.bin on Linux x64, so npm start
 * and npm test use it). On an older Node, aws-local-stepfunctions' Tasks fail (Promise.withResolvers) and
 * the ASL's Catch routes would be taken silently: refuse to start instead.
 */
function requireNode22(): void {
  const major = Number(process.versions.node.split('.')[0]);
  if (major < 22) throw new Error(`Node ${process.versions.node}: the platform needs Node 22 or later (run it through npm start, which uses the Node 22 that npm ci installed)`);
}

export async function startPlatform(opts: PlatformOptions): Promise<Platform> {
  requireNode22();
  const log = opts.log ?? ((m: string) => process.stdout.write(`${m}\n`));
  const mode = opts.mode ?? 'development';
  const production = mode === 'production';
  const host = opts.host ?? '127.0.0.1';
  const dataDir = resolve(opts.dataDir);
  mkdirSync(dataDir, { recursive: true });
  restoreClock(dataDir, log, production);
  const port = opts.port || (await freePort());
  // The platform's own address for itself (token issuer, JWKS): loopback when it listens on every interface.
  const self = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const url = `http://${self}:${port}`;

  let dynamo: DynamodbLocal | undefined;
  let faults: FaultProxy | undefined;
  let s3: LocalS3 | undefined;
  let kms: LocalKms | undefined;
  let engine: LocalStepFunctions | undefined;
  let scheduler: LocalScheduler | undefined;
  let server: Server | undefined;
  let control: import('node:net').Server | undefined;
  let relays: StreamRelay | undefined;
  const stop = async () => {
    await relays?.stop();
    await new Promise<void>((r) => (control ? control.close(() => r()) : r()));
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    server?.closeAllConnections();
    await scheduler?.stop();
    await engine?.stop();
    await faults?.stop();
    await s3?.stop();
    await kms?.stop();
    await dynamo?.stop();
  };

  try {
    dynamo = await startDynamodbLocal({ dataDir: join(dataDir, 'dynamodb') });
    // Handlers reach the database through the fault-injection proxy (passes everything until told
    // otherwise); the platform's own set-up below keeps the direct endpoint.
    faults = await startFaultProxy({ target: dynamo.endpoint });
    // The standard SDK variables: handlers build their clients exactly as in AWS.
    Object.assign(process.env, {
      AWS_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_ENDPOINT_URL_DYNAMODB: faults.endpoint,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    });
    const client = new DynamoDBClient({ endpoint: dynamo.endpoint });
    await createTables(client);
    const backfilled = await backfillCampaignList(client);
    if (backfilled) log(`campaign list: ${backfilled} campaigns of an older data dir listed`);
    for (const t of tableList) process.env[tableEnvVar(t.name)] = t.name;

    // Executions live in their own journal file (as Step Functions keeps its history outside the app's tables).
    const journalFile = join(dataDir, 'stepfunctions', 'journal.jsonl');
    const imported = await importDynamodbJournal(client, journalFile);
    if (imported) log(`local Step Functions: ${imported} executions moved from DynamoDB Local to ${journalFile}`);
    engine = await startLocalStepFunctions({
      journalFile,
      stateMachines: Object.values(workflows).map((w) => ({ name: w.name, definition: localDefinition(w.name) })),
      invokeFunction: (arn, payload) => invokeFunction(functionNameFromArn(arn), payload),
      // One clock for handlers and engine: moving it (POST /_local/clock) moves SLAs and Wait states alike.
      now: () => clock.now().getTime(),
      log,
    });
    for (const w of Object.values(workflows)) process.env[workflowEnvVar(w.name)] = engine.stateMachineArn(w.name);

    // Evidence files: a local S3-compatible endpoint over files under DATA_DIR/s3.
    s3 = await startLocalS3({ dataDir: join(dataDir, 's3'), log });
    Object.assign(process.env, { AWS_ENDPOINT_URL_S3: s3.endpoint, S3_FORCE_PATH_STYLE: 'true', EVIDENCE_BUCKET: EVIDENCE_BUCKET });
    const buckets = new S3Client({ endpoint: s3.endpoint, forcePathStyle: true });
    try {
      await buckets.send(new CreateBucketCommand({ Bucket: EVIDENCE_BUCKET }));
    } catch (err) {
      if (!(err instanceof BucketAlreadyOwnedByYou)) throw err;
    } finally {
      buckets.destroy();
    }

    // Contact data: a local KMS endpoint with a key generated once into DATA_DIR/kms (0600).
    kms = await startLocalKms({ dataDir: join(dataDir, 'kms'), aliases: [contactKey.localAlias], region: LOCAL_REGION, account: LOCAL_ACCOUNT, log });
    Object.assign(process.env, { AWS_ENDPOINT_URL_KMS: kms.endpoint, [contactKey.envVar]: kms.keyArn(contactKey.localAlias) });

    const key = await signingKey(dataDir);
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_SFN: engine.endpoint,
      DATA_DIR: dataDir,
      JWT_ISSUER: url,
      JWT_AUDIENCE: LOCAL_AUDIENCE,
      JWT_JWKS_URL: `${url}/.well-known/jwks.json`,
      LOCAL_JWT_PRIVATE_KEY_FILE: key.privateFile,
      ...(production ? {} : { HEALTH_REPORTS_LOCAL_STATE: 'true' }),
    });

    if (!production) {
      const { seedIfEmpty } = await import('./seed/seed');
      if (await seedIfEmpty()) log(`seeded the demo district into ${dataDir}`);
    }

    const jwks = JSON.stringify({ keys: [key.publicJwk] });
    // What the web console signs in with: local accounts, and in development the demo picker too.
    const signInConfig = JSON.stringify({ signIn: 'local', demo: !production });
    server = createGateway(
      [
        // The clock, faults, schedules and meter are for demos and tests: production mode has no /_local/*.
        ...(production
          ? []
          : [
              controlHandler({
                scheduler: () => scheduler,
                wakeEngine: () => engine?.wake(),
                faults: () => faults,
                clockMoved: () => {
                  saveClock(dataDir);
                  scheduler?.clockMoved();
                },
              }),
            ]),
        (req, res) => {
          if (req.method !== 'GET') return false;
          if (req.url === '/.well-known/jwks.json') res.writeHead(200, { 'content-type': 'application/json' }).end(jwks);
          else if (req.url === '/config.json') res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-cache' }).end(signInConfig);
          else return false;
          return true;
        },
        // The built front end (npm ci builds web/dist) at /, as CloudFront serves it in AWS.
        webHandler(join(ROOT, 'web', 'dist')),
      ],
      production ? routes.filter((r) => !r.devOnly) : routes,
      opts.trustedProxies ?? [],
    );
    const listening = server;
    await new Promise<void>((r, j) => {
      listening.once('error', j);
      listening.listen(port, host, () => r());
    });
    scheduler = startScheduler(log);
    // SMS to complainants: with a provider configured (SMS_PROVIDER=http and SMS_GATEWAY_URL, or sns), the
    // complaints table's stream goes to the SMS sender as in AWS. Without one, notifications stay in the
    // development outbox; production mode says that none will reach the citizens.
    if (process.env.SMS_PROVIDER) relays = startStreamRelays({ dynamodbEndpoint: dynamo.endpoint, dataDir, log });
    else if (production) log('SMS: no SMS_PROVIDER configured, so complainants get no SMS (set SMS_PROVIDER=http and SMS_GATEWAY_URL)');
    // npm run backup asks here (DATA_DIR/control.sock, the data dir owner's alone).
    try {
      control = await startControlSocket({ dataDir, dynamodbEndpoint: dynamo.endpoint });
    } catch (err) {
      // A data dir path too long for a Unix socket, say: the platform runs, backups are not offered.
      log(`control socket not started (npm run backup unavailable): ${(err as Error).message}`);
    }
    return { url, mode, dataDir, dynamodbEndpoint: dynamo.endpoint, handlerDynamodbEndpoint: faults.endpoint, s3Endpoint: s3.endpoint, sfnEndpoint: engine.endpoint, stepFunctions: engine, scheduler, stop };
  } catch (err) {
    await stop().catch(() => undefined);
    throw err;
  }
}
