import type { NodeId, NodeLifecycleReason } from '../../../contract/hostContract.js';
import type { WireTapEvent } from '../../../broker/src/admin/adminWire.js';
import { formatUid } from '../../../broker/src/devices/uid.js';
import type { UnnumberedRow } from './TapRing.js';

/**
 * A node's uid as the wire carries it (plain hex, "0253625e9f6e") in the one form every view and
 * export shows: colon hex, "02:53:62:5e:9f:6e", as the Devices view does.
 */
export function uidText(hex: string): string;
export function uidText(hex: string | undefined): string | null;
export function uidText(hex: string | undefined): string | null {
  return hex === undefined ? null : formatUid(Buffer.from(hex, 'hex'));
}

const EMPTY = {
  via: null,
  destKind: null,
  dest: 0,
  topic: null,
  destUid: null,
  subtopic: null,
  etid: 0,
  uid: null,
  receivers: 0,
  dropped: null,
  size: 0,
  payload: '',
  truncated: false,
  captureBytes: 0,
  reason: null,
  detail: null,
  info: null,
  peer: null,
} as const;

/** One node's admin-wire tap event as an inspector row (the ring numbers it). */
export function tapRow(nodeId: NodeId, e: WireTapEvent, captureBytes: number): UnnumberedRow {
  switch (e.kind) {
    case 'publish':
      return {
        ...EMPTY,
        timeMs: e.time,
        kind: 'publish',
        nodeId,
        via: e.via ?? null,
        destKind: e.destKind,
        dest: e.dest,
        topic: e.topic ?? null,
        destUid: uidText(e.destUid),
        subtopic: e.subtopic ?? null,
        etid: e.ptid,
        uid: uidText(e.publisherUid),
        receivers: e.receivers,
        dropped: e.dropped ?? null,
        size: e.size,
        payload: e.head,
        truncated: e.truncated,
        captureBytes,
      };
    case 'session':
      return {
        ...EMPTY,
        timeMs: e.time,
        kind: e.event,
        nodeId,
        etid: e.etid,
        uid: uidText(e.uid),
        reason: e.reason ?? null,
        detail: [`${e.transport} from ${e.ip}`, e.detail].filter(Boolean).join(': '),
        info: e.info,
      };
    case 'subscription':
      return {
        ...EMPTY,
        timeMs: e.time,
        kind: e.event,
        nodeId,
        destKind: 'topic',
        dest: e.tid,
        topic: e.topic ?? null,
        etid: e.etid,
        uid: uidText(e.uid),
        receivers: e.subscribers,
      };
    case 'observe':
      return {
        ...EMPTY,
        timeMs: e.time,
        kind: e.event,
        nodeId,
        destKind: e.target,
        dest: e.id,
        topic: e.topic ?? null,
        destUid: uidText(e.targetUid),
        etid: e.etid,
        uid: uidText(e.uid),
        peer: e.owner ?? null,
      };
    case 'change':
      return {
        ...EMPTY,
        timeMs: e.time,
        kind: 'change',
        nodeId,
        destKind: e.target,
        dest: e.id,
        topic: e.topic ?? null,
        etid: e.etid,
        uid: uidText(e.uid),
        receivers: e.count,
      };
    case 'link':
      return {
        ...EMPTY,
        timeMs: e.time,
        kind: e.event === 'up' ? 'linkUp' : 'linkDown',
        nodeId,
        reason: e.reason ?? null,
        peer: e.peer,
      };
  }
}

/** A node start or stop as the host saw it (a node cannot report its own death). */
export function nodeRow(
  nodeId: NodeId,
  kind: 'nodeStart' | 'nodeStop',
  reason: NodeLifecycleReason,
  detail: string | null,
  timeMs = Date.now(),
): UnnumberedRow {
  return { ...EMPTY, timeMs, kind, nodeId, reason, detail };
}
