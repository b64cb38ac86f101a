// `npm test`: every jest project (unit, infra, integration, end-to-end), then one closing line
// "tests: N passed, N failed" that CI reads. Extra arguments go to jest.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, existsSync, rmSync } from 'node:fs';

mkdirSync('test-results', { recursive: true });
const report = 'test-results/jest.json';
rmSync(report, { force: true });
const run = spawnSync('npx', ['jest', '--maxWorkers=2', '--json', `--outputFile=${report}`, ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
});
if (!existsSync(report)) {
  console.log('tests: 0 passed, 1 failed');
  process.exit(run.status || 1);
}
const r = JSON.parse(readFileSync(report, 'utf8'));
const failedSuites = r.numFailedTestSuites + (r.numRuntimeErrorTestSuites ?? 0);
console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests + (r.numFailedTests ? 0 : failedSuites)} failed, ${r.numPendingTests} skipped`);
process.exit(run.status ?? 1);
