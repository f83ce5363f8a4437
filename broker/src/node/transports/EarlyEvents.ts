import type { SmqProtocolError } from '../../protocol/errors.js';
import type { CloseReason } from '../CloseReason.js';
import type { TransportSink } from './Transport.js';

/**
 * A transport's events, held until its session starts reading (Init can be held while a node
 * joins its cluster) and passed straight through afterwards: data in order, then any fault,
 * then the close. Data before the start is bounded by `cap`.
 */
export class EarlyEvents<T> {
  private sink: TransportSink | undefined;
  private deliver: ((item: T) => void) | undefined;
  private held: T[] = [];
  private size = 0;
  private heldFault: [CloseReason, SmqProtocolError | Error] | undefined;
  private heldClose = false;

  constructor(
    private readonly cap: number,
    private readonly sizeOf: (item: T) => number,
  ) {}

  /** False when the early data is over the cap (the caller drops the connection). */
  data(item: T): boolean {
    if (this.deliver) {
      this.deliver(item);
      return true;
    }
    this.size += this.sizeOf(item);
    if (this.size > this.cap) return false;
    this.held.push(item);
    return true;
  }

  fault(reason: CloseReason, error: SmqProtocolError | Error): void {
    if (this.sink) this.sink.onTransportFault(reason, error);
    else this.heldFault ??= [reason, error];
  }

  closed(): void {
    if (this.sink) this.sink.onTransportClosed();
    else this.heldClose = true;
  }

  start(sink: TransportSink, deliver: (item: T) => void): void {
    this.sink = sink;
    this.deliver = deliver;
    const held = this.held;
    this.held = [];
    for (const item of held) deliver(item);
    if (this.heldFault) sink.onTransportFault(...this.heldFault);
    if (this.heldClose) sink.onTransportClosed();
  }
}
