import type { Writable } from 'node:stream';

/**
 * Corks a socket at the first write of a tick and uncorks it on the next one, so everything a
 * fan-out writes to one receiver in a tick reaches the kernel in one writev, not one syscall each.
 */
export class TickBatch {
  private corked = false;

  constructor(private readonly socket: Writable) {}

  /** Call before each write. */
  hold(): void {
    if (this.corked) return;
    this.corked = true;
    this.socket.cork();
    process.nextTick(release, this);
  }

  /** Ends the batch now (on nextTick, or before a close that must flush). */
  release(): void {
    if (!this.corked) return;
    this.corked = false;
    this.socket.uncork();
  }
}

function release(b: TickBatch): void {
  b.release();
}
