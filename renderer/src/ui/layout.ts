/*
 * The page's layout, remembered in localStorage of the host's origin (http://127.0.0.1:PORT): the
 * active view, split sizes, the last load form. The host keeps its port across launches, so the
 * origin, and with it this layout, survives a restart of the app. (Open LED panels are kept by
 * PanelSet, under their own key in the same storage.)
 */

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
}

export type LayoutStorage = Pick<Storage, 'getItem' | 'setItem'>;

const EMPTY: Layout = { view: null, linksWidth: null, topHeight: null, load: null };

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
  };
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
