/**
 * The platform's clock, as the console uses it. "Today" and "now" are the platform's, never the browser's:
 * a school PC's clock can be wrong, and tests and demos run the platform at a pinned date. GET /api/health
 * answers the platform's `now`; the browser keeps the difference to its own clock (the skew) and adds it.
 * The same answer carries the warnings an operator must act on (a year with no working-day calendar).
 */
import { useEffect, useState, useSyncExternalStore } from 'react';
import { api, type HealthWarning } from './api';

export interface ServerTimeState {
  /** The platform's clock minus the browser's, in milliseconds. */
  skewMs: number;
  /** True once the platform answered; false while asking, or after a failure (then the skew is the last known, 0 at first). */
  synced: boolean;
  /** True once the first request finished, answered or not: pages waiting for a date stop waiting then. */
  settled: boolean;
  warnings: HealthWarning[];
}

// The skew drifts only as fast as the two clocks do; a few minutes keeps the warnings fresh too.
const REFRESH_MS = 5 * 60_000;
const DISTRICT_OFFSET_MS = 8 * 3600_000; // district time is UTC+08:00, no daylight saving

let state: ServerTimeState = { skewMs: 0, synced: false, settled: false, warnings: [] };
const listeners = new Set<() => void>();
let inFlight: Promise<void> | undefined;

function publish(next: ServerTimeState): void {
  state = next;
  for (const l of listeners) l();
}

/** Milliseconds since the epoch on the platform's clock: what Date.now() would be if the browser's clock were the platform's. */
export const serverNow = (): number => Date.now() + state.skewMs;

/** The district's civil date (YYYY-MM-DD) on the platform's clock, `days` after today. */
export const districtDate = (days = 0): string => new Date(serverNow() + DISTRICT_OFFSET_MS + days * 86_400_000).toISOString().slice(0, 10);

/** A datetime-local value ("YYYY-MM-DDTHH:mm") in district time, `ms` after the platform's now. */
export const districtLocal = (ms = 0): string => new Date(serverNow() + ms + DISTRICT_OFFSET_MS).toISOString().slice(0, 16);

/** Asks the platform for its time and warnings now (one request at a time); never throws. */
export function syncServerTime(): Promise<void> {
  inFlight ??= (async () => {
    const sent = Date.now();
    try {
      const health = await api.health();
      const received = Date.now();
      const at = Date.parse(health.now);
      if (Number.isNaN(at)) throw new Error(`health: now is not an instant: ${health.now}`);
      // The answer was made somewhere between sending and receiving: the midpoint halves the latency's error.
      publish({ skewMs: at - (sent + received) / 2, synced: true, settled: true, warnings: health.warnings ?? [] });
    } catch {
      // The platform is unhealthy (503) or unreachable: keep the last known skew and warnings, retry at the next refresh.
      publish({ ...state, synced: false, settled: true });
    } finally {
      inFlight = undefined;
    }
  })();
  return inFlight;
}

/** Syncs at start, every few minutes, and when the tab comes back (a PC waking from sleep); answers a stop function. */
export function startServerTime(): () => void {
  void syncServerTime();
  const timer = window.setInterval(() => void syncServerTime(), REFRESH_MS);
  const onVisible = () => {
    if (document.visibilityState === 'visible') void syncServerTime();
  };
  document.addEventListener('visibilitychange', onVisible);
  return () => {
    window.clearInterval(timer);
    document.removeEventListener('visibilitychange', onVisible);
  };
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The clock's state, re-rendering when the platform answers. */
export const useServerTime = (): ServerTimeState => useSyncExternalStore(subscribe, () => state);

/**
 * A form value whose default comes from the platform's clock (today's date, an hour from now…): empty
 * until the first health answer settles, then the default, unless the user typed something first or
 * `given` (e.g. from the URL) was set.
 */
export function useClockDefault(compute: () => string, given?: string): [string, (v: string) => void] {
  const { settled } = useServerTime();
  const [value, setValue] = useState<string | undefined>(() => given ?? (settled ? compute() : undefined));
  useEffect(() => {
    // Taken once: a later re-sync or the minutes passing never change what the form shows.
    if (value === undefined && settled) setValue(compute());
  }, [settled, value, compute]);
  return [value ?? '', setValue];
}
