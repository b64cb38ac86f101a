// Fetches the official DynamoDB Local jar (shipped inside the npm package amplify-dynamodb-simulator)
// into .local-cache/, once. Only its emulator/ folder is kept: the package's own dependencies add ~280 MB
// and its loader does not work here. Runs as `postinstall`; `npm start` calls it too if the cache is gone.
const { execFileSync } = require('node:child_process');
const { existsSync, mkdirSync, readdirSync, rmSync, renameSync } = require('node:fs');
const { join } = require('node:path');

const PACKAGE = 'amplify-dynamodb-simulator@2.9.30';
const root = join(__dirname, '..', '..');
const dynamodbLocalDir = join(root, '.local-cache', 'dynamodb-local');

function ensureDynamodbLocal() {
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

module.exports = { ensureDynamodbLocal, dynamodbLocalDir };

if (require.main === module) {
  const dir = ensureDynamodbLocal();
  console.log(`DynamoDB Local ready in ${dir}`);
}
