/*
 * The page's layout, remembered in localStorage of the host's origin (http://127.0.0.1:PORT): the
 * active view, split sizes, the last load form, the inspector's filter and the composer (open or
 * not, and its draft). The host keeps its port across launches, so the origin, and with it this
 * layout, survives a restart of the app, and the reload the CSP guard makes when a new node's origin
 * must enter the page's policy (led/cspGuard.ts). (Open LED panels are kept by PanelSet, under their
 * own key in the same storage.)
 */
import type { TapFilter } from '../../../contract/hostContract.js';
import type { PayloadFormat } from '../composer/payloadInput.js';

const KEY = 'smq.layout';

export interface LoadFormLayout {
  nodeIds: string[];
  publishers: number;
  subscribers: number;
  rate: number;
  payloadBytes: number;
  durationSec: number;
}

export interface Layout {
  /** The view id last shown (an unknown id falls back to the first view). */
  view: string | null;
  /** Width of the links panel beside the topology, px. */
  linksWidth: number | null;
  /** Height of the topology row, px. */
  topHeight: number | null;
  load: LoadFormLayout | null;
  /** The inspector's last filter (event kinds included); null: never set, the view's default. */
  inspectorFilter: TapFilter | null;
  /** Whether the composer was open in the inspector. */
  composerOpen: boolean | null;
  composerDraft: ComposerDraft | null;
}

/** What the composer keeps of an unsent message across a reload. */
export interface ComposerDraft {
  /** Send to a topic, or to one client (its ETID, as the select's value). */
  kind: 'topic' | 'etid';
  topic: string;
  etid: string;
  subtopic: string;
  format: PayloadFormat;
  payload: string;
}

/** Longest draft payload kept (a hex dump of the largest SMQ payload, with spaces, fits). */
export const MAX_DRAFT_CHARS = 200_000;

export type LayoutStorage = Pick<Storage, 'getItem' | 'setItem'>;

const EMPTY: Layout = {
  view: null,
  linksWidth: null,
  topHeight: null,
  load: null,
  inspectorFilter: null,
  composerOpen: null,
  composerDraft: null,
};

export function pageStorage(): LayoutStorage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

const num = (v: unknown, min: number, max: number): number | null =>
  typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max ? v : null;

/** The saved layout; fields that are missing or not sane come back null. */
export function readLayout(storage: LayoutStorage | null = pageStorage()): Layout {
  let raw: unknown;
  try {
    raw = JSON.parse(storage?.getItem(KEY) ?? 'null');
  } catch {
    return { ...EMPTY };
  }
  if (typeof raw !== 'object' || raw === null) return { ...EMPTY };
  const r = raw as Record<string, unknown>;
  return {
    view: typeof r.view === 'string' && /^[a-z-]{1,32}$/.test(r.view) ? r.view : null,
    linksWidth: num(r.linksWidth, 120, 4000),
    topHeight: num(r.topHeight, 120, 4000),
    load: loadForm(r.load),
    inspectorFilter: tapFilter(r.inspectorFilter),
    composerOpen: typeof r.composerOpen === 'boolean' ? r.composerOpen : null,
    composerDraft: composerDraft(r.composerDraft),
  };
}

const str = (v: unknown, max = 1000): v is string => typeof v === 'string' && v.length <= max;
const strings = (v: unknown): string[] | undefined =>
  Array.isArray(v) && v.length <= 256 && v.every((x) => str(x, 200)) ? (v as string[]) : undefined;

const TAP_KINDS: readonly string[] = ['publish', 'open', 'close', 'subscribe', 'unsubscribe'];

/** A saved TapFilter with only the fields it may hold, each of its type; anything else is dropped. */
function tapFilter(v: unknown): TapFilter | null {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return null;
  const r = v as Record<string, unknown>;
  const f: TapFilter = {};
  const nodeIds = strings(r.nodeIds);
  if (nodeIds) f.nodeIds = nodeIds;
  if (str(r.topic)) f.topic = r.topic;
  if (str(r.subtopic)) f.subtopic = r.subtopic;
  if (str(r.publisher)) f.publisher = r.publisher;
  if (r.origin === 'local' || r.origin === 'link') f.origin = r.origin;
  if (r.target === 'topic' || r.target === 'etid') f.target = r.target;
  if (r.droppedOnly === true) f.droppedOnly = true;
  const kinds = strings(r.kinds)?.filter((k) => TAP_KINDS.includes(k));
  if (kinds) f.kinds = kinds as TapFilter['kinds'];
  return f;
}

function composerDraft(v: unknown): ComposerDraft | null {
  if (typeof v !== 'object' || v === null) return null;
  const r = v as Record<string, unknown>;
  const format = r.format === 'text' || r.format === 'json' || r.format === 'hex' ? r.format : null;
  if (!format || !str(r.topic) || !str(r.subtopic) || !str(r.payload, MAX_DRAFT_CHARS)) return null;
  // Drafts saved before the target kind was kept send to a topic.
  const kind = r.kind === 'etid' ? 'etid' : 'topic';
  const etid = str(r.etid, 20) ? r.etid : '';
  return { kind, topic: r.topic, etid, subtopic: r.subtopic, format, payload: r.payload };
}

function loadForm(v: unknown): LoadFormLayout | null {
  if (typeof v !== 'object' || v === null) return null;
  const r = v as Record<string, unknown>;
  const nodeIds = Array.isArray(r.nodeIds) ? r.nodeIds.filter((x): x is string => typeof x === 'string') : [];
  const fields = {
    publishers: num(r.publishers, 0, 1e9),
    subscribers: num(r.subscribers, 0, 1e9),
    rate: num(r.rate, 0, 1e9),
    payloadBytes: num(r.payloadBytes, 0, 1e9),
    durationSec: num(r.durationSec, 0, 1e9),
  };
  if (Object.values(fields).some((x) => x === null)) return null;
  return { nodeIds, ...(fields as Omit<LoadFormLayout, 'nodeIds'>) };
}

/** Merges `patch` into the saved layout. Storage full or disabled: the layout is just not kept. */
export function saveLayout(patch: Partial<Layout>, storage: LayoutStorage | null = pageStorage()): void {
  try {
    storage?.setItem(KEY, JSON.stringify({ ...readLayout(storage), ...patch }));
  } catch {
    // Nothing to do: the page works the same, it only forgets.
  }
}
