// All engine deadlines (Wait states, task timeouts and heartbeats, execution timeouts) are absolute times
// on the injectable clock `now()`. One timer polls for the nearest one (at most every second, so a clock
// moved by a test is noticed even without wake()), and wake() checks at once. Nothing here uses a
// setTimeout duration as the deadline itself, so a replay never restarts a countdown.
interface Entry {
  at: number;
  fire: () => void;
}

const MAX_POLL_MS = 1000;
const MIN_POLL_MS = 5;

export class DeadlineScheduler {
  private readonly entries = new Set<Entry>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly now: () => number) {}

  /** Calls fire() once now() >= at; returns a function that cancels it. */
  at(at: number, fire: () => void): () => void {
    const entry: Entry = { at, fire };
    this.entries.add(entry);
    this.reschedule();
    return () => {
      this.entries.delete(entry);
    };
  }

  /** Fires everything that is due, then re-arms the poll for the next deadline. */
  wake(): void {
    if (this.stopped) return;
    const t = this.now();
    for (const entry of [...this.entries]) {
      if (entry.at <= t && this.entries.delete(entry)) entry.fire();
    }
    this.reschedule();
  }

  stop(): void {
    this.stopped = true;
    this.entries.clear();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private reschedule(): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.entries.size === 0) return;
    let nearest = Infinity;
    for (const e of this.entries) nearest = Math.min(nearest, e.at);
    const delay = Math.max(MIN_POLL_MS, Math.min(MAX_POLL_MS, nearest - this.now()));
    this.timer = setTimeout(() => this.wake(), delay);
    // The HTTP server keeps a standalone engine alive; pending deadlines alone should not.
    this.timer.unref();
  }
}
