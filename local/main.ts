/**
 * `npm start`: the platform on one machine with its embedded defaults.
 * PORT (default 3000) and DATA_DIR (default .data/) as in API.md; MODE=production for a bureau's own
 * server (no demo data, no demo sign-in, no test controls); HOST (default 127.0.0.1) to listen beyond
 * loopback; TRUSTED_PROXIES (e.g. 127.0.0.1,::1) whose X-Forwarded-For names the client. Stops cleanly on
 * SIGTERM and SIGINT.
 */
import { resolve } from 'node:path';
import { startPlatform } from './platform';

async function main(): Promise<void> {
  const started = Date.now();
  const port = Number(process.env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a TCP port, got ${process.env.PORT}`);
  const dataDir = resolve(process.env.DATA_DIR ?? '.data');
  const mode = process.env.MODE ?? 'development';
  if (mode !== 'development' && mode !== 'production') throw new Error(`MODE must be development or production, got ${mode}`);
  const host = process.env.HOST ?? '127.0.0.1';
  const trustedProxies = (process.env.TRUSTED_PROXIES ?? '').split(',').map((a) => a.trim()).filter(Boolean);
  const platform = await startPlatform({ port, dataDir, mode, host, trustedProxies });
  console.log(`Double Reduction platform ready in ${((Date.now() - started) / 1000).toFixed(1)} s (${mode} mode, listening on ${host}:${port})`);
  if (mode === 'production') console.log('  no demo data, no demo sign-in, no /_local controls; the first admin: npm run admin -- create-admin <username>');
  console.log(`  API            ${platform.url}/api/health`);
  console.log(`  DynamoDB Local ${platform.dynamodbEndpoint}`);
  console.log(`  Step Functions ${platform.sfnEndpoint}`);
  console.log(`  data           ${platform.dataDir}`);

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping`);
    platform
      .stop()
      .then(() => {
        console.log('stopped cleanly');
        process.exit(0);
      })
      .catch((err: Error) => {
        console.error(err);
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  // npm does not pass a SIGTERM sent to `npm start` on to its child; it just exits. Stop when orphaned.
  const parent = process.ppid;
  setInterval(() => process.ppid !== parent && shutdown('parent process exited'), 500).unref();
}

main().catch((err: Error) => {
  console.error(`The platform could not start: ${err.message}`);
  process.exit(1);
});
