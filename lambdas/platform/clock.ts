/**
 * The platform's notion of now. Domain code asks this, never Date directly, so tests and the local
 * runtime can move time (SLAs, deadlines, rounds) without waiting. In AWS it is the real time.
 *
 * PLATFORM_NOW (an ISO 8601 instant) starts the clock at that instant; it runs on from there. Tests pin
 * it (test/support/env.ts, and the date matrix of `npm test` at several dates); the one-machine runtime
 * honours it on a fresh DATA_DIR and keeps the offset there, so a restart never moves time back
 * (local/clock-state.ts).
 *
 * What AWS itself checks runs on the real time, not on this clock: SigV4 signatures (presigned S3
 * URLs), JWT expiry, DynamoDB TTL deletion.
 */
function startOffset(): number {
  const pinned = process.env.PLATFORM_NOW;
  if (!pinned) return 0;
  const at = Date.parse(pinned);
  if (Number.isNaN(at)) throw new Error(`PLATFORM_NOW must be an ISO 8601 instant, e.g. 2026-12-31T23:30:00+08:00; got ${pinned}`);
  return at - Date.now();
}

let offsetMs = startOffset();

export const clock = {
  now: (): Date => new Date(Date.now() + offsetMs),
  /** How far the clock runs ahead of the real time (negative: behind). */
  offsetMs: (): number => offsetMs,
  /** Tests and the one-machine runtime only. */
  setOffset(ms: number): void {
    offsetMs = ms;
  },
  /** Tests only: now is `instant`, and the clock runs on from there. */
  pin(instant: Date | string): void {
    const at = typeof instant === 'string' ? Date.parse(instant) : instant.getTime();
    if (Number.isNaN(at)) throw new Error(`not an instant: ${String(instant)}`);
    offsetMs = at - Date.now();
  },
};
