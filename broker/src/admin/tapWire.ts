import type { LinkCloseReason } from '../cluster/LinkCloseReason.js';
import type { CloseReason } from '../node/CloseReason.js';
import type { DropReason } from '../node/options.js';
import type { ChangeTarget, TapEvent } from '../node/tap.js';
import type { TransportKind } from '../node/transports/Transport.js';

/**
 * Tap events as the admin WebSocket sends them (part of adminWire, which re-exports this module):
 * types and pure encode functions only.
 */

export interface WirePublishEvent {
  kind: 'publish';
  time: number;
  destKind: 'topic' | 'etid' | 'unknown';
  dest: number;
  topic?: string;
  subtid: number;
  subtopic?: string;
  /** Publisher ETID as the node saw it in the packet. */
  ptid: number;
  /** Publisher uid (hex); absent for the server-side client and for publishes from a peer. */
  publisherUid?: string;
  /** One-to-one destination uid (hex), when the destination is a session on this node. */
  destUid?: string;
  /** The peer node name it came from over a cluster link; absent when published on this node. */
  via?: string;
  receivers: number;
  dropped?: DropReason;
  /** Full payload size in bytes. */
  size: number;
  /** The first min(size, captureBytes) payload bytes, base64. */
  head: string;
  /** True when size > this socket's captureBytes. */
  truncated: boolean;
}

export interface WireSessionEvent {
  kind: 'session';
  time: number;
  event: 'open' | 'close';
  etid: number;
  uid: string;
  ip: string;
  transport: TransportKind;
  /**
   * The Connect info text (the client writes it: the rest of its Connect packet), cut at
   * TAP_INFO_BYTES and then ending in TAP_CUT_MARK.
   */
  info: string;
  reason?: CloseReason;
  detail?: string;
}

export interface WireSubscriptionEvent {
  kind: 'subscription';
  time: number;
  event: 'subscribe' | 'unsubscribe';
  etid: number;
  uid?: string;
  tid: number;
  topic?: string;
  /** Local subscribers of the topic after the change. */
  subscribers: number;
}

export interface WireObserveEvent {
  kind: 'observe';
  time: number;
  event: 'observe' | 'unobserve';
  /** The observer. */
  etid: number;
  uid: string;
  id: number;
  target: ChangeTarget;
  topic?: string;
  /** For an ETID: the node its client is on. */
  owner?: string;
  targetUid?: string;
}

export interface WireChangeEvent {
  kind: 'change';
  time: number;
  /** The observer the Change went to. */
  etid: number;
  uid?: string;
  id: number;
  target: ChangeTarget;
  topic?: string;
  count: number;
}

export interface WireLinkEvent {
  kind: 'link';
  time: number;
  event: 'up' | 'down';
  peer: string;
  peerNodeId: string;
  reason?: LinkCloseReason;
}

/** The most UTF-8 bytes of a session's Connect info a tap event carries. */
export const TAP_INFO_BYTES = 256;
/** Ends an info the tap cut, so the cut shows. */
export const TAP_CUT_MARK = '…';

/** `info` as a tap event carries it: at most TAP_INFO_BYTES of it, with TAP_CUT_MARK when cut. */
export function tapInfo(info: string): string {
  const bytes = Buffer.from(info, 'utf8');
  if (bytes.length <= TAP_INFO_BYTES) return info;
  // A character split by the cut decodes as U+FFFD: drop it.
  return (
    bytes
      .subarray(0, TAP_INFO_BYTES)
      .toString('utf8')
      .replace(/\uFFFD$/, '') + TAP_CUT_MARK
  );
}

export type WireTapEvent =
  | WirePublishEvent
  | WireSessionEvent
  | WireSubscriptionEvent
  | WireObserveEvent
  | WireChangeEvent
  | WireLinkEvent;

/** A tap event as one socket sends it, its head cut at that socket's captureBytes. */
export function encodeTapEvent(e: TapEvent, captureBytes: number): WireTapEvent {
  switch (e.kind) {
    case 'publish': {
      const cut = e.payload.length > captureBytes;
      const w: WirePublishEvent = {
        kind: 'publish',
        time: e.time,
        destKind: e.destKind,
        dest: e.dest,
        subtid: e.subtid,
        ptid: e.ptid,
        receivers: e.receivers,
        size: e.size,
        head: (cut ? e.payload.subarray(0, captureBytes) : e.payload).toString('base64'),
        truncated: cut,
      };
      if (e.topic !== undefined) w.topic = e.topic;
      if (e.subtopic !== undefined) w.subtopic = e.subtopic;
      if (e.publisherUid !== undefined) w.publisherUid = e.publisherUid;
      if (e.destUid !== undefined) w.destUid = e.destUid;
      if (e.via !== undefined) w.via = e.via;
      if (e.dropped !== undefined) w.dropped = e.dropped;
      return w;
    }
    case 'session': {
      const w: WireSessionEvent = {
        kind: 'session',
        time: e.time,
        event: e.event,
        etid: e.etid,
        uid: e.uid,
        ip: e.ip,
        transport: e.transport,
        info: tapInfo(e.info),
      };
      if (e.reason !== undefined) w.reason = e.reason;
      if (e.detail !== undefined) w.detail = e.detail;
      return w;
    }
    case 'subscription': {
      const w: WireSubscriptionEvent = {
        kind: 'subscription',
        time: e.time,
        event: e.event,
        etid: e.etid,
        tid: e.tid,
        subscribers: e.subscribers,
      };
      if (e.uid !== undefined) w.uid = e.uid;
      if (e.topic !== undefined) w.topic = e.topic;
      return w;
    }
    case 'observe': {
      const w: WireObserveEvent = {
        kind: 'observe',
        time: e.time,
        event: e.event,
        etid: e.etid,
        uid: e.uid,
        id: e.id,
        target: e.target,
      };
      if (e.topic !== undefined) w.topic = e.topic;
      if (e.owner !== undefined) w.owner = e.owner;
      if (e.targetUid !== undefined) w.targetUid = e.targetUid;
      return w;
    }
    case 'change': {
      const w: WireChangeEvent = {
        kind: 'change',
        time: e.time,
        etid: e.etid,
        id: e.id,
        target: e.target,
        count: e.count,
      };
      if (e.uid !== undefined) w.uid = e.uid;
      if (e.topic !== undefined) w.topic = e.topic;
      return w;
    }
    case 'link': {
      const w: WireLinkEvent = {
        kind: 'link',
        time: e.time,
        event: e.event,
        peer: e.peer,
        peerNodeId: e.peerNodeId,
      };
      if (e.reason !== undefined) w.reason = e.reason;
      return w;
    }
  }
}

/**
 * An encoded event's JSON size, roughly (fixed fields as a constant, strings by their length), for
 * the per-socket byte budget: every string a client or peer chooses counts.
 */
export function wireEventBytes(e: WireTapEvent): number {
  switch (e.kind) {
    case 'publish':
      return 320 + e.head.length + (e.topic?.length ?? 0) + (e.subtopic?.length ?? 0);
    case 'session':
      return 256 + e.info.length + (e.detail?.length ?? 0);
    case 'link':
      return 256 + e.peer.length;
    default:
      return 256 + (e.topic?.length ?? 0);
  }
}
