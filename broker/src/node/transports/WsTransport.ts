import type { WebSocket } from 'ws';
import { protocolError } from '../../protocol/errors.js';
import { CloseReason } from '../CloseReason.js';
import type { Transport, TransportSink } from './Transport.js';

/** SMQ over WebSocket: one binary message (continuations reassembled by ws) per packet. */
export class WsTransport implements Transport {
  readonly kind = 'ws';
  readonly connackReasons = true;
  readonly maxPacket = Number.POSITIVE_INFINITY;

  constructor(
    private readonly ws: WebSocket,
    readonly remoteIp: string,
  ) {}

  start(sink: TransportSink): void {
    // Closed while Init was held: nothing will emit 'close' again.
    if (this.ws.readyState > 1) {
      sink.onTransportClosed();
      return;
    }
    this.ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (isBinary) sink.onPacket(data);
      else
        sink.onTransportFault(
          CloseReason.ProtocolViolation,
          protocolError('SMQ_ERR_INVALID_TYPE', 'text frame'),
        );
    });
    this.ws.on('error', (err: Error & { code?: string }) => {
      const tooBig = err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH';
      sink.onTransportFault(tooBig ? CloseReason.FrameTooLarge : CloseReason.TransportError, err);
    });
    this.ws.on('close', () => sink.onTransportClosed());
  }

  send(packet: Uint8Array): void {
    if (this.ws.readyState === 1) this.ws.send(packet);
  }

  pendingBytes(): number {
    return this.ws.bufferedAmount;
  }

  close(flush: boolean): void {
    if (this.ws.readyState > 1) return;
    if (flush) this.ws.close(1000);
    else this.ws.terminate();
  }
}
