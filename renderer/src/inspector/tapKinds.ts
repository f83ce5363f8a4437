import {
  etidHex,
  TAP_ROW_KINDS,
  tapDestination,
  type TapRow,
  type TapRowKind,
} from '../../../contract/hostContract.js';

/** The "Show" chips, in groups that belong together; plurals: things to list, not verbs. */
export const KIND_GROUPS: { label: string; kinds: { kind: TapRowKind; label: string }[] }[] = [
  { label: 'Messages', kinds: [{ kind: 'publish', label: 'Publishes' }] },
  {
    label: 'Sessions',
    kinds: [
      { kind: 'open', label: 'Connects' },
      { kind: 'close', label: 'Closes' },
    ],
  },
  {
    label: 'Subscriptions',
    kinds: [
      { kind: 'subscribe', label: 'Subscribes' },
      { kind: 'unsubscribe', label: 'Unsubscribes' },
    ],
  },
  {
    label: 'Observers',
    kinds: [
      { kind: 'observe', label: 'Observes' },
      { kind: 'unobserve', label: 'Unobserves' },
      { kind: 'change', label: 'Changes' },
    ],
  },
  {
    label: 'Cluster',
    kinds: [
      { kind: 'linkUp', label: 'Links up' },
      { kind: 'linkDown', label: 'Links down' },
      { kind: 'nodeStart', label: 'Node starts' },
      { kind: 'nodeStop', label: 'Node stops' },
    ],
  },
];

export const ALL_KINDS: readonly TapRowKind[] = TAP_ROW_KINDS;

/** A row's kind as one short word or two, for the list. */
export const KIND_LABEL: Record<TapRowKind, string> = {
  publish: 'publish',
  open: 'connect',
  close: 'close',
  subscribe: 'subscribe',
  unsubscribe: 'unsubscribe',
  observe: 'observe',
  unobserve: 'unobserve',
  change: 'Change',
  linkUp: 'link up',
  linkDown: 'link down',
  nodeStart: 'node start',
  nodeStop: 'node stop',
};

/** Rows about the cluster itself have no client: no ETID to show. */
export const hasClient = (row: TapRow): boolean =>
  row.kind !== 'linkUp' && row.kind !== 'linkDown' && row.kind !== 'nodeStart' && row.kind !== 'nodeStop';

/** What an observe, unobserve or Change is about: the topic, or the ETID and where it lives. */
function observed(row: TapRow): string {
  if (row.destKind === 'topic') return row.topic ?? `TID ${row.dest}`;
  const where = row.peer && row.peer !== row.nodeId ? ` on ${row.peer}` : '';
  return `ETID ${etidHex(row.dest)}${row.destUid ? ` (${row.destUid})` : ''}${where}`;
}

/** The list's last column for a lifecycle row: what happened, in a few words. */
export function rowSummary(row: TapRow): string {
  switch (row.kind) {
    case 'publish':
      return '';
    case 'open':
      return [row.info && `"${row.info}"`, row.detail].filter(Boolean).join(' · ');
    case 'close':
      return [row.reason, row.detail].filter(Boolean).join(' · ');
    case 'subscribe':
    case 'unsubscribe':
      return `${row.receivers} ${row.receivers === 1 ? 'subscriber' : 'subscribers'} here now`;
    case 'observe':
      return row.destKind === 'unknown'
        ? `${etidHex(row.dest)}: neither topic nor live ETID, answered Change(0)`
        : observed(row);
    case 'unobserve':
      return observed(row);
    case 'change':
      if (row.destKind === 'topic') return `${observed(row)}: ${row.receivers} cluster-wide`;
      return `${observed(row)}: gone (0)`;
    // The subject column names the peer already.
    case 'linkUp':
      return 'linked';
    case 'linkDown':
      return row.reason ?? 'unknown reason';
    case 'nodeStart':
    case 'nodeStop':
      return [row.reason, row.detail].filter(Boolean).join(' · ');
  }
}

/** The list's "Topic / ETID" column: the topic or ETID a row is about, a link's far end. */
export function rowSubject(row: TapRow): string {
  if (row.kind === 'linkUp' || row.kind === 'linkDown') return `↔ ${row.peer ?? '?'}`;
  if (row.kind === 'observe' || row.kind === 'unobserve' || row.kind === 'change') return observed(row);
  return tapDestination(row);
}

/** The detail pane's fields for a lifecycle row, label then value, in reading order. */
export function lifecycleFields(row: TapRow): [string, string][] {
  const fields: [string, string | null | false][] = [
    ['Event', row.kind === 'change' ? 'Change sent' : KIND_LABEL[row.kind]],
    [
      row.kind === 'change' ? 'Sent to' : 'Client',
      hasClient(row) && `${etidHex(row.etid)}${row.uid ? ` · uid ${row.uid}` : ''}`,
    ],
    ['Info', row.info !== null && (row.info === '' ? '(empty)' : row.info)],
    ['Topic', (row.kind === 'subscribe' || row.kind === 'unsubscribe') && tapDestination(row)],
    ['Subscribers here', (row.kind === 'subscribe' || row.kind === 'unsubscribe') && String(row.receivers)],
    ['Observes', (row.kind === 'observe' || row.kind === 'unobserve') && rowSummary(row)],
    ['About', row.kind === 'change' && observed(row)],
    ['Count', row.kind === 'change' && String(row.receivers)],
    ['Peer', (row.kind === 'linkUp' || row.kind === 'linkDown') && row.peer],
    ['Reason', row.reason],
    ['Detail', row.detail],
  ];
  return fields.filter((f): f is [string, string] => typeof f[1] === 'string' && f[1] !== '');
}
