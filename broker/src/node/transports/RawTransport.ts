import type { Duplex } from 'node:stream';
import { RawFrameDecoder } from '../../protocol/framing.js';
import { MAX_FRAME } from '../../protocol/constants.js';
import { CloseReason } from '../CloseReason.js';
import type { Transport, TransportSink } from './Transport.js';
import { EarlyEvents } from './EarlyEvents.js';
import { TickBatch } from './TickBatch.js';

export interface RawTransportOptions {
  /** Bytes that arrived after the bootstrap request's blank line. */
  leftover?: Buffer;
  /** Only clients that asked for the HTTP status block (Python, Java, Lua) read Connack reasons. */
  connackReasons?: boolean;
}

/** A client sends nothing before Init but perhaps its Connect: more than this is not a client. */
const MAX_EARLY_BYTES = 64 * 1024;

/** Lingers this long after a flushing close for the peer to read, then the socket is destroyed. */
const FLUSH_LINGER_MS = 2000;

/**
 * SMQ over a raw byte stream (TCP after the HTTP bootstrap, or any Duplex): u16-length framing.
 * Writes within one tick are batched (TickBatch) so a fan-out reaches the kernel in one writev.
 */
export class RawTransport implements Transport {
  readonly kind = 'raw';
  readonly maxPacket = MAX_FRAME - 2;
  private readonly batch: TickBatch;
  private decoder: RawFrameDecoder<Buffer> | undefined;
  readonly connackReasons: boolean;
  /** Everything before start() (Init may be held): bytes, an error, the close. */
  private readonly early = new EarlyEvents<Buffer>(MAX_EARLY_BYTES, (c) => c.length);

  constructor(
    private readonly stream: Duplex,
    readonly remoteIp: string,
    options: RawTransportOptions = {},
  ) {
    this.connackReasons = options.connackReasons ?? false;
    this.batch = new TickBatch(stream);
    if (options.leftover && options.leftover.length > 0) this.early.data(options.leftover);
    // Listeners from the start: a socket error with none attached would crash the process.
    stream.on('data', (chunk: Buffer) => {
      if (this.decoder) this.push(chunk);
      else if (!this.early.data(chunk)) stream.destroy();
    });
    stream.on('error', (err: Error) => this.early.fault(CloseReason.TransportError, err));
    stream.on('close', () => this.early.closed());
    // The peer's FIN ends an SMQ connection: nothing can arrive after it. Waiting for 'close'
    // would wait for output to drain, forever when the peer has stopped reading.
    stream.on('end', () => this.early.closed());
  }

  start(sink: TransportSink): void {
    this.decoder = new RawFrameDecoder<Buffer>(
      (p) => sink.onPacket(p),
      (size) => Buffer.allocUnsafe(size),
    );
    this.early.start(sink, (chunk) => this.push(chunk));
  }

  private push(chunk: Buffer): void {
    const err = this.decoder!.push(chunk);
    if (err) this.early.fault(CloseReason.ProtocolViolation, err);
  }

  send(packet: Uint8Array): void {
    const s = this.stream;
    if (s.destroyed) return;
    this.batch.hold();
    const header = Buffer.allocUnsafe(2);
    header.writeUInt16BE(packet.length + 2, 0);
    s.write(header);
    s.write(packet);
  }

  pendingBytes(): number {
    return this.stream.writableLength;
  }

  close(flush: boolean): void {
    this.decoder?.stop();
    const s = this.stream;
    if (s.destroyed) return;
    if (!flush) {
      s.destroy();
      return;
    }
    this.batch.release();
    s.end();
    setTimeout(() => s.destroy(), FLUSH_LINGER_MS).unref();
  }
}
