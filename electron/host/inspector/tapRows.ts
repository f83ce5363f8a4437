import type { NodeId, NodeLifecycleReason } from '../../../contract/hostContract.js';
import type { WireTapEvent } from '../../../broker/src/admin/adminWire.js';
import type { UnnumberedRow } from './TapRing.js';

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
        destUid: e.destUid ?? null,
        subtopic: e.subtopic ?? null,
        etid: e.ptid,
        uid: e.publisherUid ?? null,
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
        uid: e.uid,
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
        uid: e.uid ?? null,
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
        destUid: e.targetUid ?? null,
        etid: e.etid,
        uid: e.uid,
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
        uid: e.uid ?? null,
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
