/**
 * Every deployed function starts with exactly the environment CDK gives it. The one-machine runtime
 * sets every variable for every handler, so a module that reads configuration it was never granted
 * (a table of another function, say) would pass every other test and fail its cold start in AWS.
 * Here each handler module is loaded in a fresh Node process whose environment is the function's
 * Environment.Variables from the synthesized template, and nothing else.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { readPlatformConfig } from '../../bin/config';
import { PlatformStack } from '../../lib/platform-stack';
import { functionSpecs, type FunctionName } from '../../lib/spec/functions';
import { resolveCfnValue } from '../support/cfn-values';

jest.setTimeout(240_000);

const ROOT = path.resolve(__dirname, '..', '..');
const cdkContext = (JSON.parse(fs.readFileSync(path.join(ROOT, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> }).context;


function loadInFreshProcess(entry: string, env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const script = `import(${JSON.stringify(path.join(ROOT, entry))}).then((m) => { if (typeof m.handler !== 'function' && typeof m.default?.handler !== 'function') { console.error('no handler export'); process.exit(3); } })`;
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '-e', script], {
      cwd: ROOT,
      // What Lambda gives every function, plus the function's own variables; nothing of this machine's.
      env: { PATH: process.env.PATH ?? '', AWS_REGION: 'cn-north-1', AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'x', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => done({ code, stderr }));
  });
}

describe('each deployed function', () => {
  const app = new App({ context: { ...cdkContext, 'aws:cdk:bundling-stacks': [] } });
  const config = readPlatformConfig(app.node);
  const stack = new PlatformStack(app, `DoubleReduction-${config.stage}`, config);
  const resources = Template.fromStack(stack).toJSON().Resources as Record<string, { Properties: { Environment?: { Variables?: Record<string, unknown> } } }>;
  const deployed = Object.keys(stack.functions) as FunctionName[];

  it('is in the template, one per function spec that is not local-only', () => {
    expect(deployed.sort()).toEqual((Object.keys(functionSpecs) as FunctionName[]).filter((n) => !functionSpecs[n].localOnly).sort());
  });

  it('loads its handler module with only the environment CDK gives it', async () => {
    const failures: string[] = [];
    const queue = [...deployed];
    const worker = async () => {
      for (let name = queue.shift(); name; name = queue.shift()) {
        const id = stack.getLogicalId(stack.functions[name]!.node.defaultChild as never);
        const vars = resources[id].Properties.Environment?.Variables ?? {};
        const env = Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, resolveCfnValue(v)]));
        const { code, stderr } = await loadInFreshProcess(functionSpecs[name].entry, env);
        if (code !== 0) failures.push(`${name}: ${/^\w*Error: .*$/m.exec(stderr)?.[0] ?? stderr.slice(0, 300)}`);
      }
    };
    await Promise.all(Array.from({ length: 4 }, worker));
    process.stdout.write(`function environment: ${deployed.length} handlers loaded in fresh processes, ${failures.length} failed\n`);
    expect(failures).toEqual([]);
  });
});
