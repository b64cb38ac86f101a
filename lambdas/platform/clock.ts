/**
 * The platform's notion of now. Domain code asks this, never Date directly, so tests and the local
 * runtime can move time (SLAs, deadlines) without waiting.
 */
let offsetMs = 0;

export const clock = {
  now: (): Date => new Date(Date.now() + offsetMs),
  /** Tests and the one-machine runtime only. */
  setOffset(ms: number): void {
    offsetMs = ms;
  },
};

/** The district's civil date and year (UTC+08:00, no daylight saving). */
export function districtDate(d: Date): string {
  return new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

/** ISO 8601 with the district's offset, e.g. 2026-11-28T20:32:47.123+08:00. */
export function districtTimestamp(d: Date): string {
  return new Date(d.getTime() + 8 * 3600_000).toISOString().replace('Z', '+08:00');
}
