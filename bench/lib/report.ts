/**
 * What every benchmark reports: a figure, the baseline measured in the same run, their ratio and the
 * target the ratio must meet. The machine is shared and noisy, so only ratios are judged.
 */
export interface Measurement {
  /** The benchmark, e.g. "citizen submission". */
  bench: string;
  /** What was measured, e.g. "throughput (req/s), 16 clients". */
  metric: string;
  value: number;
  /** The same figure for the baseline, measured in the same run (absent for figures reported only). */
  baseline?: number;
  unit: string;
  /** value / baseline. */
  ratio?: number;
  /** The target on the ratio, e.g. ">= 0.6" or "<= 2"; absent for figures reported without a target. */
  target?: `>= ${number}` | `<= ${number}`;
  /** A short note: the baseline, conditions, what the figure means. */
  note?: string;
}

export interface BenchModule {
  /** Shown in the table and as the section title in RESULTS.md. */
  title: string;
  run(log: (line: string) => void): Promise<{ measurements: Measurement[]; /** Markdown for RESULTS.md: method, profile, before/after. */ details?: string }>;
}

export const withRatio = (m: Omit<Measurement, 'ratio'>): Measurement => ({ ...m, ...(m.baseline ? { ratio: m.value / m.baseline } : {}) });

export function meets(m: Measurement): boolean | undefined {
  if (!m.target || m.ratio === undefined) return undefined;
  const [op, n] = m.target.split(' ') as ['>=' | '<=', string];
  return op === '>=' ? m.ratio >= Number(n) : m.ratio <= Number(n);
}

/** Percentile (nearest rank) of a list of numbers. */
export function percentile(values: number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export const median = (values: number[]) => percentile(values, 50);

const fmt = (n: number | undefined, digits = 2) => (n === undefined || Number.isNaN(n) ? '' : Math.abs(n) >= 100 ? n.toFixed(0) : n.toFixed(digits));

export function table(measurements: Measurement[]): string {
  const rows = measurements.map((m) => {
    const ok = meets(m);
    return [m.bench, m.metric, `${fmt(m.value)} ${m.unit}`, m.baseline === undefined ? '' : `${fmt(m.baseline)} ${m.unit}`, fmt(m.ratio), m.target ?? '', ok === undefined ? '' : ok ? 'met' : 'MISSED'];
  });
  const header = ['benchmark', 'metric', 'value', 'baseline', 'ratio', 'target', ''];
  return [header, header.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
}
