// `npm test`: every jest project (unit, infra, integration, end-to-end, browser) at the pinned default
// date, then the date-sensitive suites again at every instant of the date matrix (test/date-matrix.mjs),
// then one closing line "tests: N passed, N failed" that CI reads, over all runs.
// Extra arguments go to jest and skip the matrix (`npm test -- test/unit`); TEST_DATES=off skips it too,
// TEST_DATES=only runs the matrix alone.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { instants, suites } from '../test/date-matrix.mjs';

mkdirSync('test-results', { recursive: true });
// npm test runs on the Node 22 that npm ci installed into node_modules/.bin (the Lambda runtime's major).
console.log(`tests run on Node ${process.versions.node}`);

function jest(name, args, env = {}) {
  const report = `test-results/jest-${name}.json`;
  rmSync(report, { force: true });
  const run = spawnSync('npx', ['jest', '--maxWorkers=2', '--json', `--outputFile=${report}`, ...args], {
    stdio: 'inherit',
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...env },
  });
  if (!existsSync(report)) return { passed: 0, failed: 1, skipped: 0, ok: false };
  const r = JSON.parse(readFileSync(report, 'utf8'));
  const failedSuites = r.numFailedTestSuites + (r.numRuntimeErrorTestSuites ?? 0);
  return { passed: r.numPassedTests, failed: r.numFailedTests + (r.numFailedTests ? 0 : failedSuites), skipped: r.numPendingTests, ok: run.status === 0 };
}

const extra = process.argv.slice(2);
const runs = process.env.TEST_DATES === 'only' ? [] : [{ name: 'default date', ...jest('main', extra) }];
if (extra.length === 0 && process.env.TEST_DATES !== 'off') {
  for (const [i, at] of instants.entries()) {
    console.log(`\n=== date matrix ${i + 1}/${instants.length}: ${at.name}, PLATFORM_NOW=${at.now} ===\n`);
    runs.push({ name: `${at.name} (${at.now})`, ...jest(`date-${i + 1}`, suites.filter((s) => existsSync(s) && (!at.unitOnly || s.startsWith('test/unit/'))), { PLATFORM_NOW: at.now }) });
  }
  console.log('\ndate matrix:');
  for (const r of runs) console.log(`  ${r.ok ? 'ok  ' : 'FAIL'} ${r.name}: ${r.passed} passed, ${r.failed} failed`);
}
const sum = (k) => runs.reduce((n, r) => n + r[k], 0);
console.log(`tests: ${sum('passed')} passed, ${sum('failed')} failed, ${sum('skipped')} skipped`);
process.exit(runs.every((r) => r.ok) ? 0 : 1);
