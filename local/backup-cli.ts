/**
 * npm run backup -- <dir> [--data-dir D]    the running platform on D (default DATA_DIR or .data) writes a
 *                                           consistent backup into <dir> (a new directory)
 * npm run restore -- <dir> [--data-dir D]   puts a backup into D, which must be new or empty; then npm start
 * Exit status 0 done, 1 failed, 2 usage.
 */
import { resolve } from 'node:path';
import { askPlatform } from './control-socket';
import { restoreBackup } from './backup';

const USAGE = 'usage: npm run backup -- <dir> [--data-dir D]\n       npm run restore -- <dir> [--data-dir D]';

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const i = rest.indexOf('--data-dir');
  const dataDir = resolve(i >= 0 ? (rest[i + 1] ?? '') : (process.env.DATA_DIR ?? '.data'));
  const dir = rest.filter((_, k) => k !== i && k !== i + 1)[0];
  if (!dir || (command !== 'backup' && command !== 'restore') || (i >= 0 && !rest[i + 1])) {
    console.error(USAGE);
    return 2;
  }
  if (command === 'backup') {
    const answer = await askPlatform(dataDir, { command: 'backup', dir: resolve(dir) });
    if (!answer.ok) throw new Error(answer.error);
    const m = answer.manifest;
    console.log(`backup of ${dataDir} in ${resolve(dir)} (requests held ${m.heldMs} ms)`);
    for (const [table, n] of Object.entries(m.tables)) console.log(`  ${table}: ${n} items`);
    console.log(`  ${m.files.length} files, ${m.files.reduce((n, f) => n + f.bytes, 0)} bytes`);
    return 0;
  }
  console.log(`restoring ${resolve(dir)} into ${dataDir}`);
  const m = await restoreBackup({ dir: resolve(dir), dataDir, log: console.log });
  console.log(`restored the backup of ${m.createdAt}: start the platform with DATA_DIR=${dataDir}`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(err.message);
    process.exit(1);
  },
);
