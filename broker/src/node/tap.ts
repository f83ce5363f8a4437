import type { CloseReason } from './CloseReason.js';
import type { DropReason } from './options.js';
import type { TransportKind } from './transports/Transport.js';

/** One routed Publish, as the traffic inspector sees it. */
export interface TapPublishEvent {
  kind: 'publish';
  node: string;
  time: number;
  destKind: 'topic' | 'etid' | 'unknown';
  dest: number;
  /** Topic name for destKind 'topic'. */
  topic: string | undefined;
  subtid: number;
  subtopic: string | undefined;
  ptid: number;
  /** Publisher uid as hex; undefined for the server-side client. */
  publisherUid: string | undefined;
  receivers: number;
  /** Payload size in bytes (full size, even when `head` is cut). */
  size: number;
  /** The first tapCaptureBytes of the payload (a copy). */
  head: Buffer;
  truncated: boolean;
  dropped: DropReason | undefined;
  /** The peer node it came from over a cluster link; undefined when published on this node. */
  via: string | undefined;
}

/** A connection opened (Connack accepted) or closed, with its typed reason. */
export interface TapSessionEvent {
  kind: 'session';
  node: string;
  time: number;
  event: 'open' | 'close';
  etid: number;
  uid: string;
  ip: string;
  transport: TransportKind;
  reason: CloseReason | undefined;
  detail: string | undefined;
}

export type TapEvent = TapPublishEvent | TapSessionEvent;
