import type { LinkCloseReason } from '../cluster/LinkCloseReason.js';
import type { CloseReason } from './CloseReason.js';
import type { DropReason } from './options.js';
import type { Session } from './Session.js';
import type { SmqNode } from './SmqNode.js';
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
  /** The Connect info text (a device's name, for the C LED example). */
  info: string;
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

/**
 * A client began or stopped observing an id (spec rule 7). An Unobserve of an id it did not observe
 * changes nothing and is not reported.
 */
export interface TapObserveEvent {
  kind: 'observe';
  node: string;
  time: number;
  event: 'observe' | 'unobserve';
  /** The observer's ETID and uid (hex). */
  etid: number;
  uid: string;
  id: number;
  /** 'unknown': neither a topic nor a live ETID, answered Change(id, 0) and not registered. */
  target: ChangeTarget;
  topic: string | undefined;
  /** For an ETID: the node its client is on (this node, or a peer for a remote ETID). */
  owner: string | undefined;
  /** For an ETID of a session on this node: its uid (hex). */
  targetUid: string | undefined;
}

/** What a Change is about: 'unknown' answers an Observe of an id that is neither topic nor live ETID. */
export type ChangeTarget = 'topic' | 'etid' | 'unknown';

/** A Change packet went to an observer: a topic's cluster-wide count, or 0 for a gone ETID. */
export interface TapChangeEvent {
  kind: 'change';
  node: string;
  time: number;
  /** The observer it went to. */
  etid: number;
  uid: string | undefined;
  id: number;
  target: ChangeTarget;
  topic: string | undefined;
  count: number;
}

/** A cluster link to a peer came up or went down, as this node sees it. */
export interface TapLinkEvent {
  kind: 'link';
  node: string;
  time: number;
  event: 'up' | 'down';
  peer: string;
  peerNodeId: string;
  reason: LinkCloseReason | undefined;
}

export type TapEvent =
  TapPublishEvent | TapSessionEvent | TapSubscriptionEvent | TapObserveEvent | TapChangeEvent | TapLinkEvent;

/** Every tap event but publishes: what a lifecycle-only tap ('tapLifecycle' on the node) gets. */
export type TapLifecycleEvent = Exclude<TapEvent, TapPublishEvent>;

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

/** The Change event for a Change(id, count) sent to `observer` (a session, or anything with an ETID). */
export function changeTap(
  node: { readonly name: string; readonly topics: TopicTable },
  observer: { readonly etid: number; readonly uid?: Buffer },
  id: number,
  target: ChangeTarget,
  count: number,
): TapChangeEvent {
  return {
    kind: 'change',
    node: node.name,
    time: Date.now(),
    etid: observer.etid,
    uid: observer.uid?.toString('hex'),
    id,
    target,
    topic: target === 'topic' ? node.topics.names.nameOf(id)?.toString('utf8') : undefined,
    count,
  };
}

/** The observe/unobserve event for `s` and `id`, naming where an observed ETID lives. */
export function observeTap(
  node: SmqNode,
  s: Session,
  id: number,
  event: TapObserveEvent['event'],
  target: ChangeTarget,
): TapObserveEvent {
  const local = target === 'etid' ? node.sessionByEtid(id) : undefined;
  const owner =
    target !== 'etid' ? undefined : local || node.isServerEtid(id) ? node.name : node.cluster?.peerOf(id);
  return {
    kind: 'observe',
    node: node.name,
    time: Date.now(),
    event,
    etid: s.etid,
    uid: s.uid.toString('hex'),
    id,
    target,
    topic: target === 'topic' ? node.topics.names.nameOf(id)?.toString('utf8') : undefined,
    owner,
    targetUid: local?.uid.toString('hex'),
  };
}

/** A link event as `node` sees it; `reason` for a link that went down. */
export function linkTap(
  node: { readonly name: string },
  peer: { readonly name: string; readonly nodeId: string },
  event: TapLinkEvent['event'],
  reason: LinkCloseReason | undefined,
): TapLinkEvent {
  return {
    kind: 'link',
    node: node.name,
    time: Date.now(),
    event,
    peer: peer.name,
    peerNodeId: peer.nodeId,
    reason,
  };
}
