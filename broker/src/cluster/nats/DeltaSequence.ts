/**
 * What a node knows of one peer's delta numbering. Core NATS delivers at most once, so a lost
 * delta must be noticed (its number is skipped) and repaired by a snapshot, never guessed around.
 * One NATS connection per node keeps a sender's messages in order, so a snapshot stamped S
 * arrives after every delta up to S and before every delta after it.
 */
export class DeltaSequence {
  /** The number of the last delta applied; undefined while a snapshot is awaited. */
  private last: number | undefined;

  get awaitingSnapshot(): boolean {
    return this.last === undefined;
  }

  /** A delta numbered `seq`: apply it, skip it (a repeat, or the snapshot will cover it), or a gap. */
  delta(seq: number): 'apply' | 'skip' | 'gap' {
    if (this.last === undefined || seq <= this.last) return 'skip';
    if (seq !== this.last + 1) return 'gap';
    this.last = seq;
    return 'apply';
  }

  /** A snapshot stamped `seq` (the last delta it includes): false when older than what we applied. */
  snapshot(seq: number): boolean {
    if (this.last !== undefined && seq < this.last) return false;
    this.last = seq;
    return true;
  }

  /** Any other message stamped `seq`: true when it shows a delta we never got. */
  revealsGap(seq: number): boolean {
    return this.last !== undefined && seq > this.last;
  }

  /** Forget the numbering (a gap, or a reconnect to NATS): wait for a snapshot. */
  lose(): void {
    this.last = undefined;
  }
}
