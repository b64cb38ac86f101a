// Builds the web front end (web/, its own package) into web/dist: installs web/'s dependencies from its
// lock file when they are missing or stale, type-checks it when TypeScript is present, runs the Vite build.
// Run by `npm run build:web` and by the root postinstall, so `npm ci` builds it and nothing built is committed.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const web = join(root, 'web');
const started = Date.now();

function run(cmd, args, cwd) {
  const r = spawnSync(cmd, args, { cwd, stdio: 'inherit', env: process.env });
  if (r.status !== 0) {
    console.error(`build-web: ${cmd} ${args.join(' ')} failed (${r.status ?? r.signal})`);
    process.exit(r.status || 1);
  }
}

const installed = join(web, 'node_modules', '.package-lock.json');
const stale = !existsSync(installed) || statSync(installed).mtimeMs < statSync(join(web, 'package-lock.json')).mtimeMs;
if (stale) run('npm', ['ci', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'], web);

const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
if (existsSync(tsc)) run(process.execPath, [tsc, '-p', join(web, 'tsconfig.json')], web);
else console.log('build-web: TypeScript not installed (production install?): skipping the type check');

run(process.execPath, [join(web, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'], web);
console.log(`build-web: web/dist built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
