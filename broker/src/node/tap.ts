import type { CloseReason } from './CloseReason.js';
import type { DropReason } from './options.js';
import type { TopicTable } from './TopicTable.js';
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
  /** Publisher uid as hex; undefined for the server-side client and for publishes from a peer. */
  publisherUid: string | undefined;
  /** Uid (hex) of the one-to-one destination when it is a session on this node. */
  destUid: string | undefined;
  receivers: number;
  /** Payload size in bytes (full size, even when `head` is cut). */
  size: number;
  /** The first tapCaptureBytes of the payload (a copy: safe to keep). */
  head: Buffer;
  truncated: boolean;
  /**
   * The whole payload, borrowed: a view into the routed packet, no copy. Read it during the 'tap'
   * call and copy what you keep (the admin socket takes each subscriber's own head from it).
   */
  payload: Buffer;
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

/** A local subscriber came or went (a repeated Subscribe, which changes nothing, is not reported). */
export interface TapSubscriptionEvent {
  kind: 'subscription';
  node: string;
  time: number;
  event: 'subscribe' | 'unsubscribe';
  /** The subscriber's ETID (1 for the node's server-side client). */
  etid: number;
  /** Subscriber uid as hex; undefined for the server-side client. */
  uid: string | undefined;
  tid: number;
  topic: string | undefined;
  /** Local subscribers of the topic after the change. */
  subscribers: number;
}

export type TapEvent = TapPublishEvent | TapSessionEvent | TapSubscriptionEvent;

/** The subscription event for `sub` (a session, or the server client without a uid) on `tid`. */
export function subscriptionTap(
  node: { readonly name: string; readonly topics: TopicTable },
  sub: { readonly etid: number; readonly uid?: Buffer },
  tid: number,
  event: TapSubscriptionEvent['event'],
): TapSubscriptionEvent {
  return {
    kind: 'subscription',
    node: node.name,
    time: Date.now(),
    event,
    etid: sub.etid,
    uid: sub.uid?.toString('hex'),
    tid,
    topic: node.topics.names.nameOf(tid)?.toString('utf8'),
    subscribers: node.topics.count(tid),
  };
}
