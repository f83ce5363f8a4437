import { MAX_FRAME } from './constants.js';
import { protocolError, type SmqProtocolError } from './errors.js';
import { allocBytes, readU16, writeU16 } from './bytes.js';

/**
 * Raw-TCP framing: a u16 total length counting its own two bytes (below 3 is invalid), then the packet.
 * Returns [header, packet] so the writer sends both under cork() without copying the packet.
 */
export function frame<P extends Uint8Array>(packet: P): [Uint8Array, P] {
  const size = packet.length + 2;
  if (size > MAX_FRAME) throw new RangeError(`packet of ${packet.length} bytes does not fit a frame`);
  if (packet.length === 0) throw new RangeError('an empty packet cannot be framed (length 2 is invalid)');
  const header = allocBytes(2);
  writeU16(header, size, 0);
  return [header, packet];
}

/** One contiguous framed packet, for tests and for writers that want a single write. */
export function frameToBuffer(packet: Uint8Array): Uint8Array {
  const [header] = frame(packet);
  const out = allocBytes(2 + packet.length);
  out.set(header, 0);
  out.set(packet, 2);
  return out;
}

const READ_LENGTH = 0;
const READ_BODY = 1;

/** Allocates `size` bytes of the chunks' kind, for a packet that straddles chunks and is copied. */
export type ChunkAllocator<T extends Uint8Array> = (size: number) => T;

/**
 * Incremental raw-TCP frame decoder: an explicit state machine over a chunk list.
 * Packets are views (subarray) into the received chunks when a packet lies in one chunk, so they
 * are of the chunks' own class (a Node Buffer in, Buffer views out); a packet that straddles
 * chunks is copied into `alloc(size)`. Chunks that are plain Uint8Arrays need no allocator.
 */
export class RawFrameDecoder<T extends Uint8Array = Uint8Array> {
  private chunks: T[] = [];
  private buffered = 0;
  private state = READ_LENGTH;
  private bodyLength = 0;
  private stopped = false;
  private readonly alloc: ChunkAllocator<T>;

  constructor(
    private readonly onPacket: (packet: T) => void,
    ...alloc: Uint8Array extends T ? [alloc?: ChunkAllocator<T>] : [alloc: ChunkAllocator<T>]
  ) {
    this.alloc = alloc[0] ?? ((size) => allocBytes(size) as T);
  }

  /** Stops delivery at once, also in the middle of a push (the session closed). */
  stop(): void {
    this.stopped = true;
    this.chunks = [];
    this.buffered = 0;
  }

  /** Feeds bytes; returns the first framing error (decoding then stops for good). */
  push(chunk: T): SmqProtocolError | undefined {
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
      const size = readU16(first, 0);
      this.consume(2);
      return size;
    }
    return readU16(this.consume(2), 0);
  }

  private consume(n: number): T {
    this.buffered -= n;
    const first = this.chunks[0]!;
    if (n === first.length) {
      this.chunks.shift();
      return first;
    }
    // subarray() builds its view with the chunk's own constructor (species), so it is a T.
    if (n < first.length) {
      this.chunks[0] = first.subarray(n) as T;
      return first.subarray(0, n) as T;
    }
    const out = this.alloc(n);
    let o = 0;
    while (o < n) {
      const c = this.chunks[0]!;
      const take = Math.min(c.length, n - o);
      out.set(take === c.length ? c : c.subarray(0, take), o);
      o += take;
      if (take === c.length) this.chunks.shift();
      else this.chunks[0] = c.subarray(take) as T;
    }
    return out;
  }
}
