import type { SmqProtocolError } from '../../protocol/errors.js';
import type { CloseReason } from '../CloseReason.js';

export type TransportKind = 'raw' | 'ws';

/** What a transport reports to its session. */
export interface TransportSink {
  onPacket(packet: Buffer): void;
  /** The transport found the bytes unusable (bad framing, text frame, oversized message). */
  onTransportFault(reason: CloseReason, error: SmqProtocolError | Error): void;
  /** The underlying socket is gone, for whatever reason. */
  onTransportClosed(): void;
}

/** One SMQ connection's byte path: packets in, packets out, with no knowledge of the protocol. */
export interface Transport {
  readonly kind: TransportKind;
  readonly remoteIp: string;
  /**
   * Whether a Connack refusal may carry its reason text. The published C client reads the return
   * code from buf[3] after moving the reason text over the header, so for it any reason of 1..3
   * bytes reads as "accepted" and a longer one as its 4th character: C clients get none. The same
   * clients are the ones told Connack 2 on a handshake timeout; C-style ones are just closed.
   */
  readonly connackReasons: boolean;
  /** Largest packet this transport can carry (raw TCP: a u16 frame length counting itself). */
  readonly maxPacket: number;
  start(sink: TransportSink): void;
  send(packet: Uint8Array): void;
  /** Bytes written but not yet handed to the kernel: the slow-consumer measure. */
  pendingBytes(): number;
  /** Plain close, never an SMQ Disconnect. `flush` lets queued packets (a Connack refusal) out first. */
  close(flush: boolean): void;
}

/** Init's IP text: IPv4 dotted form without an IPv4-mapped prefix (spec, Session 1). */
export function initIp(address: string | undefined): string {
  if (!address) return '0.0.0.0';
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}
