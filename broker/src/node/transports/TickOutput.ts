/**
 * Output held until the end of the tick, then written as one buffer per connection.
 *
 * A fan-out hands each receiver its packets one at a time. Writing each to its socket (even corked)
 * costs a stream entry, a header Buffer and a share of a writev per packet, and a per-socket
 * nextTick; at 10k deliveries/s that garbage is what grows V8's young generation (issue #9, W3).
 * Here a transport keeps the packets it was given in this tick (one slot, an array from the second
 * on), and one nextTick shared by every transport frames them into one buffer and writes it: one
 * write per receiver per tick, and nothing allocated per packet. Large batches are written without
 * copying (header and packet as they are, under cork).
 */

/** Past this many framed bytes a batch is written under cork instead of copied into one buffer. */
const COPY_LIMIT = 16 * 1024;

interface Due {
  flushTick(): void;
}

const due: Due[] = [];
let scheduled = false;

function flushDue(): void {
  let i = 0;
  try {
    // A flush can make more output (an error path that closes a session and tells its observers):
    // those join this same pass.
    for (; i < due.length; i++) due[i]!.flushTick();
  } finally {
    if (i + 1 < due.length) {
      // One threw: the rest keep their place for another pass.
      due.splice(0, i + 1);
      process.nextTick(flushDue);
    } else {
      due.length = 0;
      scheduled = false;
    }
  }
}

function flushAtTickEnd(d: Due): void {
  due.push(d);
  if (!scheduled) {
    scheduled = true;
    process.nextTick(flushDue);
  }
}

/**
 * The held packets of one connection. Subclasses say how a packet is framed and where the bytes go.
 */
export abstract class TickOutput implements Due {
  private first: Uint8Array | undefined;
  private more: Uint8Array[] | undefined;
  /** Bytes held for the end of the tick, framing included. */
  protected heldBytes = 0;

  /** Framing bytes in front of a packet of `length` bytes. */
  protected abstract headerSize(length: number): number;
  /** Writes the framing of a packet of `length` bytes at `out[at]`. */
  protected abstract putHeader(out: Buffer, at: number, length: number): void;
  /** False when held output can no longer go anywhere (the socket is gone or closing): it is dropped. */
  protected abstract canWrite(): boolean;
  protected abstract writeOut(chunk: Uint8Array): void;
  protected abstract cork(): void;
  protected abstract uncork(): void;

  /** Holds a packet for the end-of-tick write. */
  protected hold(packet: Uint8Array): void {
    if (this.first === undefined) {
      this.first = packet;
      flushAtTickEnd(this);
    } else (this.more ??= []).push(packet);
    this.heldBytes += this.headerSize(packet.length) + packet.length;
  }

  /** Forgets held output (a close that does not flush). */
  protected dropHeld(): void {
    this.first = undefined;
    this.more = undefined;
    this.heldBytes = 0;
  }

  /** Writes what is held now; also called early, by a close that lets queued packets out first. */
  flushTick(): void {
    const first = this.first;
    if (first === undefined) return;
    const more = this.more;
    const total = this.heldBytes;
    this.dropHeld();
    if (!this.canWrite()) return;
    if (total <= COPY_LIMIT) {
      const out = Buffer.allocUnsafe(total);
      let at = this.put(out, 0, first);
      if (more !== undefined) for (let i = 0; i < more.length; i++) at = this.put(out, at, more[i]!);
      this.writeOut(out);
      return;
    }
    this.cork();
    this.writeFramed(first);
    if (more !== undefined) for (let i = 0; i < more.length; i++) this.writeFramed(more[i]!);
    this.uncork();
  }

  private put(out: Buffer, at: number, packet: Uint8Array): number {
    const h = this.headerSize(packet.length);
    this.putHeader(out, at, packet.length);
    out.set(packet, at + h);
    return at + h + packet.length;
  }

  private writeFramed(packet: Uint8Array): void {
    const header = Buffer.allocUnsafe(this.headerSize(packet.length));
    this.putHeader(header, 0, packet.length);
    this.writeOut(header);
    this.writeOut(packet);
  }
}
