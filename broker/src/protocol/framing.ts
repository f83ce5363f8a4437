import { MAX_FRAME } from './constants.js';
import { protocolError, type SmqProtocolError } from './errors.js';

/**
 * Raw-TCP framing: a u16 total length counting its own two bytes (below 3 is invalid), then the packet.
 * Returns [header, packet] so the writer sends both under cork() without copying the packet.
 */
export function frame(packet: Buffer): [Buffer, Buffer] {
  const size = packet.length + 2;
  if (size > MAX_FRAME) throw new RangeError(`packet of ${packet.length} bytes does not fit a frame`);
  if (packet.length === 0) throw new RangeError('an empty packet cannot be framed (length 2 is invalid)');
  const header = Buffer.allocUnsafe(2);
  header.writeUInt16BE(size, 0);
  return [header, packet];
}

/** One contiguous framed buffer, for tests and for writers that want a single write. */
export function frameToBuffer(packet: Buffer): Buffer {
  return Buffer.concat(frame(packet));
}

const READ_LENGTH = 0;
const READ_BODY = 1;

/**
 * Incremental raw-TCP frame decoder: an explicit state machine over a chunk list.
 * Packets are views into the received chunks when a packet lies in one chunk, copies otherwise.
 */
export class RawFrameDecoder {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private state = READ_LENGTH;
  private bodyLength = 0;
  private stopped = false;

  constructor(private readonly onPacket: (packet: Buffer) => void) {}

  /** Stops delivery at once, also in the middle of a push (the session closed). */
  stop(): void {
    this.stopped = true;
    this.chunks = [];
    this.buffered = 0;
  }

  /** Feeds bytes; returns the first framing error (decoding then stops for good). */
  push(chunk: Buffer): SmqProtocolError | undefined {
    if (this.stopped) return undefined;
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    while (!this.stopped) {
      if (this.state === READ_LENGTH) {
        if (this.buffered < 2) return undefined;
        const size = this.readLength();
        if (size < 3) {
          this.stop();
          return protocolError('SMQ_ERR_BAD_FRAME_LENGTH', `frame length ${size}, below 3`);
        }
        this.bodyLength = size - 2;
        this.state = READ_BODY;
      } else {
        if (this.buffered < this.bodyLength) return undefined;
        const packet = this.consume(this.bodyLength);
        this.state = READ_LENGTH;
        this.onPacket(packet);
      }
    }
    return undefined;
  }

  private readLength(): number {
    const first = this.chunks[0]!;
    if (first.length >= 2) {
      const size = first.readUInt16BE(0);
      this.consume(2);
      return size;
    }
    return this.consume(2).readUInt16BE(0);
  }

  private consume(n: number): Buffer {
    this.buffered -= n;
    const first = this.chunks[0]!;
    if (n === first.length) {
      this.chunks.shift();
      return first;
    }
    if (n < first.length) {
      this.chunks[0] = first.subarray(n);
      return first.subarray(0, n);
    }
    const out = Buffer.allocUnsafe(n);
    let o = 0;
    while (o < n) {
      const c = this.chunks[0]!;
      const take = Math.min(c.length, n - o);
      c.copy(out, o, 0, take);
      o += take;
      if (take === c.length) this.chunks.shift();
      else this.chunks[0] = c.subarray(take);
    }
    return out;
  }
}
