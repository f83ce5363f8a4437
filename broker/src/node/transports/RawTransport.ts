import type { Duplex } from 'node:stream';
import { RawFrameDecoder } from '../../protocol/framing.js';
import { MAX_FRAME } from '../../protocol/constants.js';
import type { SmqProtocolError } from '../../protocol/errors.js';
import { CloseReason } from '../CloseReason.js';
import type { Transport, TransportSink } from './Transport.js';
import { EarlyEvents } from './EarlyEvents.js';
import { TickOutput } from './TickOutput.js';

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
 * The stream's listeners are shared functions that find their transport on the stream, not four
 * closures per connection (issue #9: memory per held connection).
 */
const kTransport = Symbol('smq.rawTransport');
type Tagged = Duplex & { [kTransport]: RawTransport };

function onData(this: Duplex, chunk: Buffer): void {
  (this as Tagged)[kTransport].received(chunk);
}
function onError(this: Duplex, err: Error): void {
  (this as Tagged)[kTransport].fault(CloseReason.TransportError, err);
}
/** The peer's FIN ends an SMQ connection: nothing can arrive after it ('close' would wait for output). */
function onEndOrClose(this: Duplex): void {
  (this as Tagged)[kTransport].closed();
}

function allocBuffer(size: number): Buffer {
  return Buffer.allocUnsafe(size);
}

/**
 * SMQ over a raw byte stream (TCP after the HTTP bootstrap, or any Duplex): u16-length framing.
 * Packets sent within one tick go out framed in one write at its end (TickOutput).
 */
export class RawTransport extends TickOutput implements Transport {
  readonly kind = 'raw';
  readonly maxPacket = MAX_FRAME - 2;
  readonly connackReasons: boolean;
  private sink: TransportSink | undefined;
  private decoder: RawFrameDecoder<Buffer> | undefined;
  /** Events before start() (Init may be held): bytes, an error, the close. Rare, so lazy. */
  private early: EarlyEvents<Buffer> | undefined;

  constructor(
    private readonly stream: Duplex,
    readonly remoteIp: string,
    options: RawTransportOptions = {},
  ) {
    super();
    this.connackReasons = options.connackReasons ?? false;
    if (options.leftover && options.leftover.length > 0) this.earlyEvents().data(options.leftover);
    (stream as Tagged)[kTransport] = this;
    // Listeners from the start: a socket error with none attached would crash the process.
    stream.on('data', onData);
    stream.on('error', onError);
    stream.on('close', onEndOrClose);
    stream.on('end', onEndOrClose);
  }

  start(sink: TransportSink): void {
    this.sink = sink;
    this.decoder = new RawFrameDecoder<Buffer>((p) => sink.onPacket(p), allocBuffer);
    const early = this.early;
    this.early = undefined;
    early?.replay(sink, (chunk) => this.push(chunk));
  }

  /** @internal From the stream's 'data'. */
  received(chunk: Buffer): void {
    if (this.decoder) this.push(chunk);
    else if (!this.earlyEvents().data(chunk)) this.stream.destroy();
  }

  /** @internal */
  fault(reason: CloseReason, error: SmqProtocolError | Error): void {
    if (this.sink) this.sink.onTransportFault(reason, error);
    else this.earlyEvents().fault(reason, error);
  }

  /** @internal */
  closed(): void {
    if (this.sink) this.sink.onTransportClosed();
    else this.earlyEvents().closed();
  }

  private earlyEvents(): EarlyEvents<Buffer> {
    return (this.early ??= new EarlyEvents<Buffer>(MAX_EARLY_BYTES, (c) => c.length));
  }

  private push(chunk: Buffer): void {
    const err = this.decoder!.push(chunk);
    if (err) this.fault(CloseReason.ProtocolViolation, err);
  }

  send(packet: Uint8Array): void {
    if (!this.stream.destroyed) this.hold(packet);
  }

  pendingBytes(): number {
    return this.stream.writableLength + this.heldBytes;
  }

  close(flush: boolean): void {
    this.decoder?.stop();
    const s = this.stream;
    if (s.destroyed) return;
    if (!flush) {
      this.dropHeld();
      s.destroy();
      return;
    }
    this.flushTick();
    s.end();
    setTimeout(() => s.destroy(), FLUSH_LINGER_MS).unref();
  }

  protected override headerSize(): number {
    return 2;
  }

  protected override putHeader(out: Buffer, at: number, length: number): void {
    out.writeUInt16BE(length + 2, at);
  }

  protected override canWrite(): boolean {
    return !this.stream.destroyed && this.stream.writable;
  }

  protected override writeOut(chunk: Uint8Array): void {
    this.stream.write(chunk);
  }

  protected override cork(): void {
    this.stream.cork();
  }

  protected override uncork(): void {
    this.stream.uncork();
  }
}
