/**
 * `npm run bench`: every benchmark under bench/, one after the other (never in parallel: they would
 * measure each other), a table on stdout and bench/RESULTS.md. Not part of `npm test`.
 *   npm run bench                 all of them
 *   npm run bench -- cold-start   only those whose file name contains one of the arguments
 */
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { meets, table, type BenchModule, type Measurement } from './lib/report';

const BENCHES = ['submission', 'surveys', 'cold-start', 'workflow', 'cost-model'];

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const chosen = BENCHES.filter((b) => !only.length || only.some((o) => b.includes(o)));
  const measurements: Measurement[] = [];
  const sections: string[] = [];
  const started = new Date();
  for (const name of chosen) {
    const mod = (await import(`./${name}`)) as { bench: BenchModule };
    const t0 = Date.now();
    process.stdout.write(`\n== ${mod.bench.title}\n`);
    const out = await mod.bench.run((line) => process.stdout.write(`   ${line}\n`));
    measurements.push(...out.measurements);
    sections.push(`## ${mod.bench.title}\n\n${table(out.measurements)}\n\n${out.details ?? ''}\n\n_(${((Date.now() - t0) / 1000).toFixed(0)} s)_`);
  }
  const missed = measurements.filter((m) => meets(m) === false);
  process.stdout.write(`\n${table(measurements)}\n\n${missed.length ? `${missed.length} target(s) missed` : 'every target met'}\n`);
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, load ${loadavg().map((l) => l.toFixed(1)).join(' ')} at the end, Node ${process.version}`;
  const results = [
    '# Benchmark results',
    '',
    `Written by \`npm run bench${only.length ? ` -- ${only.join(' ')}` : ''}\` on ${started.toISOString()} (${machine}). Every figure is judged as a ratio`,
    'against a baseline measured in the same run, because the machine is shared and noisy.',
    '',
    table(measurements),
    '',
    ...sections,
    '',
  ].join('\n');
  if (!only.length) writeFileSync(join(__dirname, 'RESULTS.md'), results);
  else writeFileSync(join(__dirname, `RESULTS.partial.md`), results);
  process.exitCode = missed.length ? 1 : 0;
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 2;
});
