import type { WebSocket } from 'ws';
import { protocolError } from '../../protocol/errors.js';
import { CloseReason } from '../CloseReason.js';
import type { Transport, TransportSink } from './Transport.js';
import { EarlyEvents } from './EarlyEvents.js';
import { TickBatch } from './TickBatch.js';
import type { Writable } from 'node:stream';

/** A client sends nothing before Init but perhaps its Connect. */
const MAX_EARLY_MESSAGES = 4;

/** SMQ over WebSocket: one binary message (continuations reassembled by ws) per packet. */
export class WsTransport implements Transport {
  readonly kind = 'ws';
  readonly connackReasons = true;
  readonly maxPacket = Number.POSITIVE_INFINITY;

  /** Everything before start() (Init may be held): messages, an error, the close. */
  private readonly early = new EarlyEvents<Buffer>(MAX_EARLY_MESSAGES, () => 1);

  private readonly batch: TickBatch | undefined;

  /** `socket`, the upgraded TCP socket, lets frames of one tick go out in one writev. */
  constructor(
    private readonly ws: WebSocket,
    readonly remoteIp: string,
    socket?: Writable,
  ) {
    this.batch = socket && new TickBatch(socket);
    // Listeners from the start: an error with none attached would crash the process.
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (!isBinary) {
        this.early.fault(CloseReason.ProtocolViolation, protocolError('SMQ_ERR_INVALID_TYPE', 'text frame'));
      } else if (!this.early.data(data)) ws.terminate();
    });
    ws.on('error', (err: Error & { code?: string }) => {
      const tooBig = err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH';
      this.early.fault(tooBig ? CloseReason.FrameTooLarge : CloseReason.TransportError, err);
    });
    ws.on('close', () => this.early.closed());
  }

  start(sink: TransportSink): void {
    this.early.start(sink, (packet) => sink.onPacket(packet));
  }

  send(packet: Uint8Array): void {
    if (this.ws.readyState !== 1) return;
    this.batch?.hold();
    this.ws.send(packet);
  }

  pendingBytes(): number {
    return this.ws.bufferedAmount;
  }

  close(flush: boolean): void {
    if (this.ws.readyState > 1) return;
    this.batch?.release();
    if (flush) this.ws.close(1000);
    else this.ws.terminate();
  }
}
