// Fetches the official DynamoDB Local jar (shipped inside the npm package amplify-dynamodb-simulator)
// into .local-cache/, once. Only its emulator/ folder is kept: the package's own dependencies add ~280 MB
// and its loader does not work here. Runs as `postinstall`; `npm start` calls it too if the cache is gone.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, renameSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE = 'amplify-dynamodb-simulator@2.9.30';
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const dynamodbLocalDir = join(root, '.local-cache', 'dynamodb-local');

export function ensureDynamodbLocal() {
  if (existsSync(join(dynamodbLocalDir, 'DynamoDBLocal.jar'))) return dynamodbLocalDir;
  const work = join(root, '.local-cache', `fetch-${process.pid}`);
  mkdirSync(work, { recursive: true });
  try {
    execFileSync('npm', ['pack', PACKAGE, '--silent'], { cwd: work, stdio: ['ignore', 'pipe', 'inherit'] });
    const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
    if (!tarball) throw new Error(`npm pack ${PACKAGE} produced no tarball`);
    execFileSync('tar', ['xzf', tarball, 'package/emulator'], { cwd: work });
    rmSync(dynamodbLocalDir, { recursive: true, force: true });
    renameSync(join(work, 'package', 'emulator'), dynamodbLocalDir);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return dynamodbLocalDir;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = ensureDynamodbLocal();
  console.log(`DynamoDB Local ready in ${dir}`);
}
