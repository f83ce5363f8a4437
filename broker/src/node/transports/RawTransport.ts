import type { Duplex } from 'node:stream';
import { RawFrameDecoder } from '../../protocol/framing.js';
import { MAX_FRAME } from '../../protocol/constants.js';
import { CloseReason } from '../CloseReason.js';
import type { Transport, TransportSink } from './Transport.js';

export interface RawTransportOptions {
  /** Bytes that arrived after the bootstrap request's blank line. */
  leftover?: Buffer;
  /** Only clients that asked for the HTTP status block (Python, Java, Lua) read Connack reasons. */
  connackReasons?: boolean;
}

/** Lingers this long after a flushing close for the peer to read, then the socket is destroyed. */
const FLUSH_LINGER_MS = 2000;

/**
 * SMQ over a raw byte stream (TCP after the HTTP bootstrap, or any Duplex): u16-length framing.
 * Writes within one tick are corked together so a fan-out reaches the kernel in one writev.
 */
export class RawTransport implements Transport {
  readonly kind = 'raw';
  readonly maxPacket = MAX_FRAME - 2;
  private corked = false;
  private decoder: RawFrameDecoder<Buffer> | undefined;

  readonly connackReasons: boolean;
  private readonly leftover: Buffer | undefined;

  constructor(
    private readonly stream: Duplex,
    readonly remoteIp: string,
    options: RawTransportOptions = {},
  ) {
    this.leftover = options.leftover;
    this.connackReasons = options.connackReasons ?? false;
  }

  start(sink: TransportSink): void {
    // Closed while Init was held: nothing will emit 'close' again.
    if (this.stream.destroyed) {
      sink.onTransportClosed();
      return;
    }
    const decoder = new RawFrameDecoder<Buffer>(
      (p) => sink.onPacket(p),
      (size) => Buffer.allocUnsafe(size),
    );
    this.decoder = decoder;
    const push = (chunk: Buffer): void => {
      const err = decoder.push(chunk);
      if (err) sink.onTransportFault(CloseReason.ProtocolViolation, err);
    };
    this.stream.on('data', push);
    this.stream.on('error', (err: Error) => sink.onTransportFault(CloseReason.TransportError, err));
    this.stream.on('close', () => sink.onTransportClosed());
    if (this.leftover && this.leftover.length > 0) push(this.leftover);
  }

  send(packet: Uint8Array): void {
    const s = this.stream;
    if (s.destroyed) return;
    if (!this.corked) {
      this.corked = true;
      s.cork();
      process.nextTick(uncork, this);
    }
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
    if (this.corked) uncork(this);
    s.end();
    setTimeout(() => s.destroy(), FLUSH_LINGER_MS).unref();
  }

  /** Ends the current cork batch (called on nextTick, or before a flushing close). */
  flushBatch(): void {
    if (!this.corked) return;
    this.corked = false;
    this.stream.uncork();
  }
}

function uncork(t: RawTransport): void {
  t.flushBatch();
}
