import {
  etidHex,
  TAP_ROW_KINDS,
  tapDestination,
  type TapRow,
  type TapRowKind,
} from '../../../contract/hostContract.js';

/**
 * The "Show" chips, in groups that belong together; plurals: things to list, not verbs. `makes`:
 * what brings a group's rows, for the empty list.
 */
export const KIND_GROUPS: { label: string; makes: string; kinds: { kind: TapRowKind; label: string }[] }[] = [
  {
    label: 'Messages',
    makes: 'start devices or a load run, click an LED in a panel, or publish with any SMQ client',
    kinds: [{ kind: 'publish', label: 'Publishes' }],
  },
  {
    label: 'Sessions',
    makes: 'connect or disconnect a client or device',
    kinds: [
      { kind: 'open', label: 'Connects' },
      { kind: 'close', label: 'Closes' },
    ],
  },
  {
    label: 'Subscriptions',
    makes: 'subscribe or unsubscribe with any SMQ client',
    kinds: [
      { kind: 'subscribe', label: 'Subscribes' },
      { kind: 'unsubscribe', label: 'Unsubscribes' },
    ],
  },
  {
    label: 'Observers',
    makes: 'observe a topic or a client’s ETID',
    kinds: [
      { kind: 'observe', label: 'Observes' },
      { kind: 'unobserve', label: 'Unobserves' },
      { kind: 'change', label: 'Changes' },
    ],
  },
  {
    label: 'Cluster',
    makes: 'start, stop or kill a node, or cut a link',
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

/** "a, b or c"; with sep "; ": "a; b; or c", for items that hold commas themselves. */
const orList = (items: readonly string[], sep = ', '): string =>
  items.length < 2
    ? (items[0] ?? '')
    : `${items.slice(0, -1).join(sep)}${sep === ', ' ? ' ' : sep}or ${items.at(-1)!}`;

/**
 * The empty list's heading and hint for the kinds shown (none: every kind): messages when
 * publishes are on, else the chosen events and what makes them. `filtered`: rows were tapped,
 * none matched.
 */
export function emptyListText(
  kinds: readonly TapRowKind[] | undefined,
  filtered: boolean,
): { title: string; hint: string } {
  const shown = kinds?.length ? kinds : ALL_KINDS;
  const match = filtered ? ' that match the filter' : '';
  if (shown.includes('publish'))
    return {
      title: `No messages yet${match}.`,
      hint: `Messages show when you ${KIND_GROUPS[0]!.makes}: every message routed by a node of this cluster shows here, one-to-one messages and drops included.`,
    };
  const chips = KIND_GROUPS.flatMap((g) => g.kinds).filter((k) => shown.includes(k.kind));
  const makes = KIND_GROUPS.filter((g) => g.kinds.some((k) => shown.includes(k.kind))).map((g) => g.makes);
  const named =
    chips.length <= 3 ? orList(chips.map((k) => k.label.toLowerCase())) : 'events of the chosen kinds';
  return {
    title: `No ${named} yet${match}.`,
    hint: `They show when you ${orList(makes, '; ')}. Publishes are hidden: turn on Publishes under Show to see messages.`,
  };
}

/** The list's Details column: a publish's payload head, what a lifecycle event was about. */
export const rowDetails = (row: TapRow, preview: (base64: string) => string): string =>
  row.kind === 'publish' ? preview(row.payload) : rowSummary(row);

/** Rows about the cluster itself have no client: no ETID to show. */
export const hasClient = (row: TapRow): boolean =>
  row.kind !== 'linkUp' && row.kind !== 'linkDown' && row.kind !== 'nodeStart' && row.kind !== 'nodeStop';

/** What an observe, unobserve or Change is about: the topic, or the ETID and where it lives. */
function observed(row: TapRow): string {
  if (row.destKind === 'topic') return row.topic ?? `TID ${etidHex(row.dest)}`;
  const where = row.peer && row.peer !== row.nodeId ? ` on ${row.peer}` : '';
  return `ETID ${etidHex(row.dest)}${row.destUid ? ` (${row.destUid})` : ''}${where}`;
}

/** The Details column of a lifecycle row: what happened, in a few words. */
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
