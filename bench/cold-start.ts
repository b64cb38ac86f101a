/**
 * Lambda cold start (issue 8, point 3): every deployed function is bundled exactly as CDK bundles it
 * (lib/constructs/bundling.ts, the same options object), then its module initialisation is timed in a
 * fresh Node process with the environment CDK gives it, against a bare handler that imports only the
 * DynamoDB client, bundled and timed the same way. Also checked: every bundle is minified with a source
 * map (without sources) and carries no AWS SDK client its spec gives it no use for.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, type Metafile, type StdinOptions } from 'esbuild';
import { lambdaEsbuildOptions } from '../lib/constructs/bundling';
import { functionSpecs, type FunctionName, type FunctionSpec } from '../lib/spec/functions';
import { median, type BenchModule, type Measurement } from './lib/report';
import { resolveCfnValue } from '../test/support/cfn-values';

const ROOT = path.resolve(__dirname, '..');
const BENCH = 'Lambda cold start';
/** Measurements per function (and as many of the baseline, interleaved with them). */
const REPEATS = Number(process.env.COLD_START_REPEATS ?? 7);
const TARGET = 1.5;

const BASELINE_SOURCE = `import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
const c = new DynamoDBClient({});
export const handler = async () => ({});
`;

/** The SDK clients a function's spec gives it a use for (package suffix of @aws-sdk/client-*). */
export function expectedClients(spec: FunctionSpec): Set<string> {
  const clients = new Set<string>();
  if (Object.keys(spec.tables).length || spec.consumesStreamOf) clients.add('dynamodb');
  if (spec.startsWorkflows?.length || spec.describesWorkflows?.length || spec.sendsTaskResults?.length) clients.add('sfn');
  if (spec.evidenceBucket) clients.add('s3');
  if (spec.sendsSms) clients.add('sns');
  if (spec.contactCipher) clients.add('kms');
  return clients;
}

/** The package a metafile input belongs to (`node_modules/@scope/name/...` → `@scope/name`), or `(project)`. */
function packageOf(input: string): string {
  const m = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules\/)/.exec(input);
  return m ? m[1] : '(project)';
}

interface Bundle {
  file: string;
  bytes: number;
  gzipBytes: number;
  clients: string[];
  /** Output bytes per package, largest first. */
  packages: [string, number][];
  /** Output bytes per project file, largest first. */
  projectFiles: [string, number][];
  mapped: boolean;
}

/**
 * Bundles every entry in one esbuild run (the inputs are parsed once; without code splitting each output
 * is the same standalone file a build of that entry alone gives): `<outDir>/<name>.js` and its map.
 */
async function bundleAll(outDir: string, entries: Record<string, string> | { stdin: StdinOptions; name: string }): Promise<Map<string, Bundle>> {
  const single = 'stdin' in entries && typeof entries.stdin === 'object' ? (entries as { stdin: StdinOptions; name: string }) : undefined;
  const result = await build({
    ...lambdaEsbuildOptions,
    ...(single ? { stdin: single.stdin, outfile: path.join(outDir, `${single.name}.js`) } : { entryPoints: entries as Record<string, string>, outdir: outDir }),
    absWorkingDir: ROOT,
    metafile: true,
    write: true,
  });
  const meta = result.metafile as Metafile;
  const bundles = new Map<string, Bundle>();
  for (const name of single ? [single.name] : Object.keys(entries)) {
    const file = path.join(outDir, `${name}.js`);
    const out = meta.outputs[path.relative(ROOT, file)];
    if (!out) throw new Error(`esbuild wrote no ${file}`);
    const byPackage = new Map<string, number>();
    const byFile = new Map<string, number>();
    for (const [input, { bytesInOutput }] of Object.entries(out.inputs)) {
      const pkg = packageOf(input);
      byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + bytesInOutput);
      if (pkg === '(project)') byFile.set(input, bytesInOutput);
    }
    const code = fs.readFileSync(file);
    const mapFile = `${file}.map`;
    const map = fs.existsSync(mapFile) ? (JSON.parse(fs.readFileSync(mapFile, 'utf8')) as { sourcesContent?: unknown[] }) : undefined;
    // Clients from the inputs that made it into this output (an input esbuild tree-shook away entirely is not listed).
    const clients = [...new Set(Object.keys(out.inputs).map(packageOf).filter((p) => p.startsWith('@aws-sdk/client-')).map((p) => p.slice('@aws-sdk/client-'.length)))].sort();
    const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]);
    bundles.set(name, {
      file,
      bytes: code.length,
      gzipBytes: gzipSync(code).length,
      clients,
      packages: sorted(byPackage),
      projectFiles: sorted(byFile),
      mapped: !!map && !map.sourcesContent?.some((c) => c != null) && code.toString('utf8', Math.max(0, code.length - 200)).includes('//# sourceMappingURL='),
    });
  }
  return bundles;
}


/** Each deployed function's Environment.Variables, from the synthesized template (bundling skipped). */
async function deployedEnvironments(): Promise<Map<FunctionName, Record<string, string>>> {
  const [{ App }, { Template }, { readPlatformConfig }, { PlatformStack }] = await Promise.all([
    import('aws-cdk-lib'),
    import('aws-cdk-lib/assertions'),
    import('../bin/config'),
    import('../lib/platform-stack'),
  ]);
  const cdkContext = (JSON.parse(fs.readFileSync(path.join(ROOT, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> }).context;
  const app = new App({ context: { ...cdkContext, 'aws:cdk:bundling-stacks': [] } });
  const config = readPlatformConfig(app.node);
  const stack = new PlatformStack(app, `DoubleReduction-${config.stage}`, config);
  const resources = Template.fromStack(stack).toJSON().Resources as Record<string, { Properties: { Environment?: { Variables?: Record<string, unknown> } } }>;
  const envs = new Map<FunctionName, Record<string, string>>();
  for (const [name, fn] of Object.entries(stack.functions) as [FunctionName, NonNullable<(typeof stack.functions)[FunctionName]>][]) {
    const vars = resources[stack.getLogicalId(fn.node.defaultChild as never)].Properties.Environment?.Variables ?? {};
    envs.set(name, Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, resolveCfnValue(v)])));
  }
  return envs;
}

interface Init {
  /** Wall time of the require (performance.now()). */
  ms: number;
  /** CPU time of the process over the require (process.cpuUsage(), user + system, all threads), in ms. */
  cpuMs: number;
}

/** Module initialisation of a bundle in a fresh `node --enable-source-maps` process. */
function initTime(file: string, env: Record<string, string>): Promise<Init> {
  const script = `const { performance } = require('node:perf_hooks'); const c0 = process.cpuUsage(); const t0 = performance.now(); const m = require(${JSON.stringify(file)}); const ms = performance.now() - t0; const c = process.cpuUsage(c0); if (typeof m.handler !== 'function') { console.error('no handler export'); process.exit(3); } process.stdout.write(JSON.stringify({ ms, cpuMs: (c.user + c.system) / 1000 }));`;
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--enable-source-maps', '-e', script], {
      cwd: os.tmpdir(),
      // What Lambda gives every function, plus the function's own variables (NODE_OPTIONS among them).
      env: { PATH: process.env.PATH ?? '', AWS_REGION: 'cn-north-1', AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'x', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => {
      if (code !== 0) fail(new Error(`${file}: exit ${code}: ${stderr.slice(0, 500)}`));
      else done(JSON.parse(stdout) as Init);
    });
  });
}

const kb = (bytes: number) => bytes / 1024;
const f1 = (n: number) => n.toFixed(1);

interface Row {
  name: FunctionName;
  bundle: Bundle;
  expected: string[];
  unused: string[];
  initMs: number;
  baselineMs: number;
  ratio: number;
  cpuMs: number;
  baselineCpuMs: number;
  cpuRatio: number;
}

/**
 * The same benchmark before the fixes of issue 8 point 3 (2026-11-28 16:48 UTC, 7 repeats, load about 7
 * on 2 shared cores, Node 20): bundle KB, wall-time ratio, CPU-time ratio. survey-core and the S3 SDK
 * were then evaluated at load (lambdas/domain/campaigns/forms.ts, lambdas/platform/evidence-store.ts).
 */
const BEFORE: Partial<Record<FunctionName, [bundleKb: number, ratio: number, cpuRatio: number]>> = {
  campaignExport: [2353.1, 3.32, 2.54],
  itemEvidenceUpload: [1254, 3.13, 2.05],
  surveyRespond: [2482.8, 2.82, 2.64],
  campaignTokens: [2445.9, 2.69, 2.62],
  campaignFormPut: [2488.1, 2.6, 2.36],
  campaignCreate: [2488.2, 2.37, 2.36],
  itemSubmit: [1256.7, 2.3, 2.08],
  surveyGet: [2444.1, 2.3, 2.37],
  escalateOverdueTasks: [1026, 2.2, 1.66],
  noticeBoard: [1021.4, 2.17, 1.51],
  planGet: [1254.2, 2.15, 1.98],
  campaignGet: [2477.8, 2.14, 2.27],
  campaignResults: [2446.4, 2.11, 2.33],
  planOpen: [1256.8, 2.08, 2.16],
  ledgerExport: [2149.4, 2.06, 2.14],
  itemAdd: [1255.8, 1.97, 1.99],
  ledgerOverdue: [1251.1, 1.94, 2.03],
  planList: [1254.6, 1.82, 2.12],
  openTask: [1031.4, 1.75, 1.61],
  raiseLedgerItem: [1025.7, 1.74, 1.77],
  itemClose: [1256.8, 1.7, 2.04],
  complaintRate: [1028.9, 1.68, 1.69],
  campaignClock: [2034.4, 1.65, 2.06],
  caseGet: [1089.5, 1.65, 1.63],
  health: [1072.6, 1.63, 1.55],
  complaintSubmit: [1151.4, 1.62, 1.84],
  noticePublish: [1059.5, 1.6, 1.7],
  taskList: [1019.7, 1.56, 1.42],
  taskComplete: [1084.5, 1.54, 1.69],
  startRectification: [1024.4, 1.52, 1.64],
  sendSms: [1100.6, 1.47, 1.61],
  homeworkRulesGet: [1022.1, 1.46, 1.61],
  itemReturn: [1255.6, 1.46, 2.07],
  ledgerSummary: [1022.9, 1.43, 1.47],
  complaintTrack: [1027.7, 1.35, 1.5],
  caseQueue: [1024.2, 1.33, 1.5],
  schoolsList: [1019.1, 1.28, 1.37],
  redeliverDecisions: [600.2, 1.26, 1.15],
  escalateOverdueItems: [547.3, 1.25, 1.07],
  homeworkRulesPut: [1023.4, 1.24, 1.58],
  startPendingWorkflows: [599.6, 1.22, 1.16],
  closeCase: [1000, 1.2, 1.56],
  triage: [1002.6, 1.09, 1.37],
  schoolNotifications: [1018.9, 0.99, 1.42],
  openapi: [503, 0.89, 1.01],
  whoami: [478.1, 0.62, 0.52],
};

/** What the profile showed (2026-11-28, Node 20, the same bundles), beyond what the metafile lists per run. */
const FINDINGS = `What makes the init slow, beyond the baseline:

- **Bytes, not work.** After the fixes no function does notable work at load; the cost follows the bundle size: V8 must pre-parse every byte of the one-file bundle (even code that only runs later), and \`--enable-source-maps\` (NODE_OPTIONS of every function) makes Node read and parse the whole \`.map\` at load. CPU time of the require with and without source maps: baseline 89 → 76 ms, schoolsList 128 → 109 ms, planGet 157 → 135 ms, surveyRespond 191 → 156 ms. Without maps the typical zod + DynamoDB function is at about 1.4× CPU.
- **zod (444 KB in 41 of 46 bundles)**: \`import { z } from 'zod'\` is the whole classic namespace (locales included), which esbuild cannot tree-shake; alone it costs about 30 ms wall / 35 ms CPU. The gap from the baseline to the median function (about 1.6×) is mostly zod. Moving the edge schemas to \`zod/mini\` or sharing fewer schemas is not a cheap fix and was not done.
- **survey-core (1.4 MB)** was evaluated at load by every function importing lambdas/domain/campaigns/forms.ts (campaign reads, results, tokens, the clock): now required on first use. campaignGet, campaignResults, campaignTokens, surveyGet and campaignClock no longer bundle it at all (esbuild drops the unreachable require with the code that used it); campaignCreate, campaignFormPut and surveyRespond validate on every request, so for them the evaluation only moved from init to the first request, and the 1.4 MB still costs parse and source-map time at init (surveyRespond remains the worst function).
- **S3 SDK** (client-s3 + presigner + lib-storage, about 240 KB) was evaluated and its client built at load by every rectification function through lambdas/platform/evidence-store.ts, though most requests link no evidence: now required and built on first use (about 20 ms CPU less; the bytes remain).
- **exceljs** (ledgerExport, campaignExport) was already imported lazily; exceljs (246 KB) and its dependencies (readable-stream 158 KB and more) stay in their bundles all the same, so again bytes rather than work.`;

export const bench: BenchModule = {
  title: BENCH,
  async run(log) {
    const started = Date.now();
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cold-start-'));
    try {
      const envs = await deployedEnvironments();
      const names = (Object.keys(functionSpecs) as FunctionName[]).filter((n) => !functionSpecs[n].localOnly);
      const missingEnv = names.filter((n) => !envs.has(n));
      if (missingEnv.length) throw new Error(`not in the synthesized stack: ${missingEnv.join(', ')}`);
      log(`synthesized the stack for the environments (${((Date.now() - started) / 1000).toFixed(1)} s)`);

      const out = path.join(tmp, 'out');
      // The baseline's source resolves its import from the project root, as a handler file would.
      const baseline = (await bundleAll(out, { name: '_baseline', stdin: { contents: BASELINE_SOURCE, loader: 'ts', resolveDir: ROOT, sourcefile: 'baseline-handler.ts' } })).get('_baseline')!;
      const built = await bundleAll(out, Object.fromEntries(names.map((n) => [n, path.join(ROOT, functionSpecs[n].entry)])));
      const bundles = new Map<FunctionName, Bundle>(names.map((n) => [n, built.get(n)!]));
      log(`bundled ${names.length} functions and the baseline (${((Date.now() - started) / 1000).toFixed(1)} s)`);

      // One run of the baseline to warm up, then measure: baseline and function alternate.
      const baseEnv = { NODE_OPTIONS: '--enable-source-maps' };
      await initTime(baseline.file, baseEnv);
      const samples = new Map<FunctionName, { fn: Init[]; base: Init[] }>(names.map((n) => [n, { fn: [], base: [] }]));
      for (let r = 0; r < REPEATS; r++) {
        for (const name of r % 2 ? [...names].reverse() : names) {
          const s = samples.get(name)!;
          if ((r + names.indexOf(name)) % 2) {
            s.base.push(await initTime(baseline.file, baseEnv));
            s.fn.push(await initTime(bundles.get(name)!.file, envs.get(name)!));
          } else {
            s.fn.push(await initTime(bundles.get(name)!.file, envs.get(name)!));
            s.base.push(await initTime(baseline.file, baseEnv));
          }
        }
        log(`round ${r + 1}/${REPEATS} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
      }

      const rows: Row[] = names.map((name) => {
        const b = bundles.get(name)!;
        const expected = [...expectedClients(functionSpecs[name])].sort();
        const s = samples.get(name)!;
        const initMs = median(s.fn.map((i) => i.ms));
        const baselineMs = median(s.base.map((i) => i.ms));
        const cpuMs = median(s.fn.map((i) => i.cpuMs));
        const baselineCpuMs = median(s.base.map((i) => i.cpuMs));
        return { name, bundle: b, expected, unused: b.clients.filter((c) => !expected.includes(c)), initMs, baselineMs, ratio: initMs / baselineMs, cpuMs, baselineCpuMs, cpuRatio: cpuMs / baselineCpuMs };
      });
      const allBase = [...samples.values()].flatMap((s) => s.base);
      const baselineMs = median(allBase.map((i) => i.ms));
      const baselineCpuMs = median(allBase.map((i) => i.cpuMs));
      const byCpu = [...rows].sort((a, b) => b.cpuRatio - a.cpuRatio);
      const byRatio = [...rows].sort((a, b) => b.ratio - a.ratio);
      const worst = byRatio[0];
      const mid = byRatio[Math.floor(byRatio.length / 2)];
      const missed = byRatio.filter((r) => r.ratio > TARGET);
      const withUnused = rows.filter((r) => r.unused.length);
      const unmapped = rows.filter((r) => !r.bundle.mapped);
      const largest = [...rows].sort((a, b) => b.bundle.bytes - a.bundle.bytes)[0];
      for (const r of byRatio.slice(0, 5)) log(`${r.name}: ${f1(r.initMs)} ms vs ${f1(r.baselineMs)} ms = ${r.ratio.toFixed(2)}× (CPU ${r.cpuRatio.toFixed(2)}×), ${f1(kb(r.bundle.bytes))} KB`);

      const measurements: Measurement[] = [
        { bench: BENCH, metric: `module init, worst of ${rows.length} functions (${worst.name})`, value: worst.initMs, baseline: worst.baselineMs, unit: 'ms', ratio: worst.ratio, target: `<= ${TARGET}`, note: 'bare DynamoDB-client handler, same bundling' },
        { bench: BENCH, metric: `module init, median function (${mid.name})`, value: mid.initMs, baseline: mid.baselineMs, unit: 'ms', ratio: mid.ratio },
        { bench: BENCH, metric: `module init CPU time, worst (${byCpu[0].name})`, value: byCpu[0].cpuMs, baseline: byCpu[0].baselineCpuMs, unit: 'ms', ratio: byCpu[0].cpuRatio, target: `<= ${TARGET}`, note: 'process.cpuUsage() over the require: less sensitive to other load than wall time' },
        { bench: BENCH, metric: `module init CPU time, median (${byCpu[Math.floor(byCpu.length / 2)].name})`, value: byCpu[Math.floor(byCpu.length / 2)].cpuMs, baseline: byCpu[Math.floor(byCpu.length / 2)].baselineCpuMs, unit: 'ms', ratio: byCpu[Math.floor(byCpu.length / 2)].cpuRatio },
        { bench: BENCH, metric: `bundle size, largest (${largest.name})`, value: kb(largest.bundle.bytes), baseline: kb(baseline.bytes), unit: 'KB', ratio: largest.bundle.bytes / baseline.bytes },
        { bench: BENCH, metric: 'bundle size, median', value: median(rows.map((r) => kb(r.bundle.bytes))), baseline: kb(baseline.bytes), unit: 'KB', ratio: median(rows.map((r) => kb(r.bundle.bytes))) / kb(baseline.bytes) },
        // Counts judged as "ratio" so that any finding fails the table.
        { bench: BENCH, metric: 'functions bundling an SDK client their spec does not use', value: withUnused.length, unit: 'functions', ratio: withUnused.length, target: '<= 0' },
        { bench: BENCH, metric: 'bundles not minified with a source map (without sources)', value: unmapped.length, unit: 'functions', ratio: unmapped.length, target: '<= 0' },
      ];

      const table = [
        '| function | bundle KB | gzip KB | init ms | baseline ms | ratio | CPU ms | baseline CPU ms | CPU ratio | SDK clients in bundle | unused | largest packages (KB in bundle) |',
        '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | --- |',
        ...byRatio.map((r) =>
          `| ${r.name}${r.ratio > TARGET ? ' **(missed)**' : ''} | ${f1(kb(r.bundle.bytes))} | ${f1(kb(r.bundle.gzipBytes))} | ${f1(r.initMs)} | ${f1(r.baselineMs)} | ${r.ratio.toFixed(2)} | ${f1(r.cpuMs)} | ${f1(r.baselineCpuMs)} | ${r.cpuRatio.toFixed(2)} | ${r.bundle.clients.join(', ') || '–'} | ${r.unused.join(', ') || '–'} | ${r.bundle.packages.slice(0, 4).map(([p, n]) => `${p} ${f1(kb(n))}`).join(', ')} |`,
        ),
      ].join('\n');
      const profile = missed.length
        ? missed
            .map((r) => `- **${r.name}** (${r.ratio.toFixed(2)}×): ${r.bundle.packages.slice(0, 6).map(([p, n]) => `${p} ${f1(kb(n))} KB`).join(', ')}; project files: ${r.bundle.projectFiles.slice(0, 4).map(([p, n]) => `${p} ${f1(kb(n))} KB`).join(', ')}`)
            .join('\n')
        : 'Every function within the target.';
      const details = [
        `Method: each of the ${rows.length} deployed functions (lib/spec/functions.ts without localOnly) is bundled by esbuild's JS API with \`lambdaEsbuildOptions\` from lib/constructs/bundling.ts, the options object CDK's construct also uses (target node22, CJS, minified, source map without sources, AWS SDK bundled). Each bundle is then \`require\`d in a fresh \`node --enable-source-maps\` process with the function's Environment.Variables from the synthesized template (plausible values for references) and \`performance.now()\` around the require. The baseline is \`${BASELINE_SOURCE.replace(/\n/g, ' ').trim()}\`, bundled the same way (${f1(kb(baseline.bytes))} KB, ${f1(kb(baseline.gzipBytes))} KB gzip): ${REPEATS} measurements each, function and baseline alternating (order flipped every other pair and round) to cancel drift; medians, ratio per function against its own interleaved baseline runs. Baseline over all runs: ${f1(baselineMs)} ms wall, ${f1(baselineCpuMs)} ms CPU (medians of ${allBase.length}). Judged: wall time, as asked; CPU time (process.cpuUsage() over the require, every thread of the process) is reported beside it because the machine is shared and wall time also counts waiting for a core. Expected SDK clients come from the spec: tables or a stream → DynamoDB, startsWorkflows/describesWorkflows/sendsTaskResults → SFN, evidenceBucket → S3, sendsSms → SNS, contactCipher → KMS; clients are read from the metafile inputs.`,
        '',
        `Unused SDK clients: ${withUnused.length ? withUnused.map((r) => `${r.name} (${r.unused.join(', ')})`).join('; ') : 'none'}. Bundles without a proper source map: ${unmapped.length ? unmapped.map((r) => r.name).join(', ') : 'none'}.`,
        '',
        `Over ${TARGET}×: ${missed.length ? missed.map((r) => r.name).join(', ') : 'none'}. Where the bytes are:`,
        '',
        profile,
        '',
        table,
        '',
        FINDINGS,
        '',
        'Before and after the fixes (lazy survey-core in forms.ts, lazy S3 SDK in evidence-store.ts), functions sorted by their ratio before:',
        '',
        '| function | bundle KB before → now | ratio before → now | CPU ratio before → now |',
        '| --- | --- | --- | --- |',
        ...Object.entries(BEFORE)
          .sort((a, b) => b[1]![1] - a[1]![1])
          .flatMap(([name, before]) => {
            const now = rows.find((r) => r.name === name);
            return now && before ? [`| ${name} | ${f1(before[0])} → ${f1(kb(now.bundle.bytes))} | ${before[1].toFixed(2)} → ${now.ratio.toFixed(2)} | ${before[2].toFixed(2)} → ${now.cpuRatio.toFixed(2)} |`] : [];
          }),
      ].join('\n');
      return { measurements, details };
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  },
};
