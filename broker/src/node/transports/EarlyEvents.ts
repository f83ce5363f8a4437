import type { SmqProtocolError } from '../../protocol/errors.js';
import type { CloseReason } from '../CloseReason.js';
import type { TransportSink } from './Transport.js';

/**
 * A transport's events that came before its session started reading (Init can be held while a
 * node joins its cluster): data in order, then any fault, then the close, replayed at the start.
 * Transports create one only when such an event comes, so most connections never hold one. Data
 * is bounded by `cap`.
 */
export class EarlyEvents<T> {
  private readonly held: T[] = [];
  private size = 0;
  private heldFault: [CloseReason, SmqProtocolError | Error] | undefined;
  private heldClose = false;

  constructor(
    private readonly cap: number,
    private readonly sizeOf: (item: T) => number,
  ) {}

  /** False when the early data is over the cap (the caller drops the connection). */
  data(item: T): boolean {
    this.size += this.sizeOf(item);
    if (this.size > this.cap) return false;
    this.held.push(item);
    return true;
  }

  fault(reason: CloseReason, error: SmqProtocolError | Error): void {
    this.heldFault ??= [reason, error];
  }

  closed(): void {
    this.heldClose = true;
  }

  /** Replays what was held: `deliver` for each item, then the fault, then the close. */
  replay(sink: TransportSink, deliver: (item: T) => void): void {
    for (const item of this.held) deliver(item);
    if (this.heldFault) sink.onTransportFault(...this.heldFault);
    if (this.heldClose) sink.onTransportClosed();
  }
}
