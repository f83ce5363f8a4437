import type { TapRow } from '../../../../contract/hostContract.js';
import type { UnnumberedRow } from '../../../../electron/host/inspector/TapRing.js';

/** A publish row with defaults; override what a test is about. */
export function publishRow(over: Partial<TapRow> = {}): UnnumberedRow {
  return {
    timeMs: 1_700_000_000_000,
    kind: 'publish',
    nodeId: 'n1',
    via: null,
    destKind: 'topic',
    dest: 2,
    topic: '/m2m/led/device',
    destUid: null,
    subtopic: null,
    etid: 3,
    uid: '02:00:5e:00:00:01',
    receivers: 1,
    dropped: null,
    size: 4,
    payload: Buffer.from('ping').toString('base64'),
    truncated: false,
    captureBytes: 4096,
    reason: null,
    detail: null,
    info: null,
    peer: null,
    ...over,
  };
}
