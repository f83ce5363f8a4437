import type { Writable } from 'node:stream';
import type { WebSocket } from 'ws';
import { protocolError, type SmqProtocolError } from '../../protocol/errors.js';
import { CloseReason } from '../CloseReason.js';
import type { Transport, TransportSink } from './Transport.js';
import { EarlyEvents } from './EarlyEvents.js';
import { TickOutput } from './TickOutput.js';

/** A client sends nothing before Init but perhaps its Connect. */
const MAX_EARLY_MESSAGES = 4;

/** RFC 6455 first byte of an unfragmented binary message (FIN, opcode 2). */
const FIN_BINARY = 0x82;

/** Shared listeners that find their transport on the socket (no closures per connection). */
const kTransport = Symbol('smq.wsTransport');
type Tagged = WebSocket & { [kTransport]: WsTransport };

function onMessage(this: WebSocket, data: Buffer, isBinary: boolean): void {
  (this as Tagged)[kTransport].received(data, isBinary);
}
function onError(this: WebSocket, err: Error & { code?: string }): void {
  const tooBig = err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH';
  (this as Tagged)[kTransport].fault(tooBig ? CloseReason.FrameTooLarge : CloseReason.TransportError, err);
}
function onClose(this: WebSocket): void {
  (this as Tagged)[kTransport].closed();
}

/**
 * SMQ over WebSocket: one binary message (continuations reassembled by ws) per packet.
 *
 * Given the upgraded TCP socket, outbound messages bypass ws's per-message framing: the packets of
 * one tick are framed here (server frames are unmasked: a 2, 4 or 10 byte header) into one buffer
 * and written in one go at the end of the tick (TickOutput). ws still reads, answers pings and
 * closes; with perMessageDeflate off its sender writes straight to the socket too, so a frame of
 * ours never splits one of its frames. Without the socket, each packet goes through ws.send.
 */
export class WsTransport extends TickOutput implements Transport {
  readonly kind = 'ws';
  readonly connackReasons = true;
  readonly maxPacket = Number.POSITIVE_INFINITY;
  private sink: TransportSink | undefined;
  /** Events before start() (Init may be held): messages, an error, the close. Rare, so lazy. */
  private early: EarlyEvents<Buffer> | undefined;

  constructor(
    private readonly ws: WebSocket,
    readonly remoteIp: string,
    private readonly socket?: Writable,
  ) {
    super();
    (ws as Tagged)[kTransport] = this;
    // Listeners from the start: an error with none attached would crash the process.
    ws.on('message', onMessage);
    ws.on('error', onError);
    ws.on('close', onClose);
  }

  start(sink: TransportSink): void {
    this.sink = sink;
    const early = this.early;
    this.early = undefined;
    early?.replay(sink, (packet) => sink.onPacket(packet));
  }

  /** @internal From ws's 'message'. */
  received(data: Buffer, isBinary: boolean): void {
    if (!isBinary) {
      this.fault(CloseReason.ProtocolViolation, protocolError('SMQ_ERR_INVALID_TYPE', 'text frame'));
    } else if (this.sink) this.sink.onPacket(data);
    else if (!this.earlyEvents().data(data)) this.ws.terminate();
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
    return (this.early ??= new EarlyEvents<Buffer>(MAX_EARLY_MESSAGES, () => 1));
  }

  send(packet: Uint8Array): void {
    if (this.ws.readyState !== 1) return;
    if (this.socket === undefined) this.ws.send(packet);
    else this.hold(packet);
  }

  pendingBytes(): number {
    return this.ws.bufferedAmount + this.heldBytes;
  }

  close(flush: boolean): void {
    if (this.ws.readyState > 1) return;
    if (flush) {
      this.flushTick();
      this.ws.close(1000);
    } else {
      this.dropHeld();
      this.ws.terminate();
    }
  }

  protected override headerSize(length: number): number {
    return length < 126 ? 2 : length < 0x10000 ? 4 : 10;
  }

  protected override putHeader(out: Buffer, at: number, length: number): void {
    out[at] = FIN_BINARY;
    if (length < 126) out[at + 1] = length;
    else if (length < 0x10000) {
      out[at + 1] = 126;
      out.writeUInt16BE(length, at + 2);
    } else {
      out[at + 1] = 127;
      out.writeUInt32BE(Math.floor(length / 0x100000000), at + 2);
      out.writeUInt32BE(length >>> 0, at + 6);
    }
  }

  /** Nothing after our close frame or ws's: a message may not follow a Close (RFC 6455 5.5.1). */
  protected override canWrite(): boolean {
    return this.ws.readyState === 1 && !this.socket!.destroyed;
  }

  protected override writeOut(chunk: Uint8Array): void {
    this.socket!.write(chunk);
  }

  protected override cork(): void {
    this.socket!.cork();
  }

  protected override uncork(): void {
    this.socket!.uncork();
  }
}
