import type { NodeId } from '../../../contract/hostContract.js';
import type { WireTapEvent } from '../../../broker/src/admin/adminWire.js';
import type { UnnumberedRow } from './TapRing.js';

const EMPTY = {
  via: null,
  destKind: null,
  dest: 0,
  topic: null,
  destUid: null,
  subtopic: null,
  uid: null,
  receivers: 0,
  dropped: null,
  size: 0,
  payload: '',
  truncated: false,
  reason: null,
  detail: null,
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
        captureBytes,
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
        captureBytes,
      };
  }
}
