/** setTimeout/clearTimeout, injectable for tests; the platform's by default (browser or Node). */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const platformTimers: Timers = {
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>),
};

/**
 * When a display says Hello again (issue #8 point 14). The display observes /m2m/led/display,
 * whose subscribers are the devices, cluster-wide. Devices that connect announce themselves (devinfo
 * to the device topic), so a rising count alone needs no Hello; devices that were there all along
 * but out of sight (a cluster link that healed) do not, and only a Hello brings them back.
 *
 * So: every change of the count (re)starts a debounce timer; when neither the count nor the
 * devices known have moved for that long, the display compares the two. If the gap is larger than
 * the gap that remained after its last Hello (subscribers that never answer one), it says Hello.
 * A fleet of 1,000 devices starting up keeps the timer going while it announces itself: no Hello at
 * all, rather than one per device.
 */
export class HelloPolicy {
  private count: number | undefined;
  /** Subscribers a Hello did not turn into known devices; measured one debounce after each Hello. */
  private residual = 0;
  private timer: unknown;
  private settleTimer: unknown;
  /** The count moved while a Hello was being answered: that change still needs a decision. */
  private movedWhileSettling = false;
  /** Devices known when the debounce timer started: if that moves, devices are still arriving. */
  private knownAtStart = 0;

  constructor(
    private readonly debounceMs: number,
    /** Devices the display knows now. */
    private readonly known: () => number,
    private readonly sayHello: () => void,
    private readonly timers: Timers = platformTimers,
  ) {}

  /** The display just said Hello (at start, after a reconnect, or because this policy asked). */
  said(): void {
    this.cancel();
    this.movedWhileSettling = false;
    // Answers take a moment; what is still missing after that is what a Hello cannot fix.
    this.settleTimer = this.timers.setTimeout(() => {
      this.settleTimer = undefined;
      if (this.movedWhileSettling) this.restart();
      else this.residual = Math.max(0, (this.count ?? 0) - this.known());
    }, this.debounceMs);
  }

  /** Change(tid, count) of /m2m/led/display. */
  countChanged(count: number): void {
    const before = this.count;
    this.count = count;
    if (this.settleTimer === undefined) this.restart();
    // The first count (the answer to Observe) is where we start from, not a move.
    else if (before !== undefined && before !== count) this.movedWhileSettling = true;
  }

  cancel(): void {
    for (const t of [this.timer, this.settleTimer]) if (t !== undefined) this.timers.clearTimeout(t);
    this.timer = this.settleTimer = undefined;
  }

  private restart(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.knownAtStart = this.known();
    this.timer = this.timers.setTimeout(() => this.decide(), this.debounceMs);
  }

  private decide(): void {
    this.timer = undefined;
    // Devices still announcing themselves: not quiet yet, look again later.
    if (this.known() !== this.knownAtStart) return this.restart();
    const gap = (this.count ?? 0) - this.known();
    if (gap > this.residual) this.sayHello();
    // Fewer silent subscribers than before (one left): a later gap is measured from here.
    else this.residual = Math.max(0, gap);
  }
}
