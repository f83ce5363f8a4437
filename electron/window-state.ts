import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The window's size and place, remembered in the data folder across launches. */
export interface WindowState {
  width: number;
  height: number;
  x?: number;
  y?: number;
  maximized: boolean;
}

export const DEFAULT_WINDOW: WindowState = { width: 1280, height: 820, maximized: false };
const MIN = { width: 640, height: 480 };
const MAX = 16384;
const FILE = 'window.json';

/** The saved state, or the default when the file is missing or not a sane state. */
export function loadWindowState(dir: string): WindowState {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(join(dir, FILE), 'utf8'));
  } catch {
    return { ...DEFAULT_WINDOW };
  }
  if (typeof raw !== 'object' || raw === null) return { ...DEFAULT_WINDOW };
  const r = raw as Record<string, unknown>;
  const size = (v: unknown, min: number, fallback: number): number =>
    typeof v === 'number' && Number.isInteger(v) ? Math.min(Math.max(v, min), MAX) : fallback;
  const state: WindowState = {
    width: size(r.width, MIN.width, DEFAULT_WINDOW.width),
    height: size(r.height, MIN.height, DEFAULT_WINDOW.height),
    maximized: r.maximized === true,
  };
  const place = (v: unknown): v is number =>
    typeof v === 'number' && Number.isInteger(v) && Math.abs(v) < MAX;
  if (place(r.x) && place(r.y)) {
    state.x = r.x;
    state.y = r.y;
  }
  return state;
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** How much of the window's top edge must lie on a display for the saved place to be kept. */
const VISIBLE = { width: 120, height: 40 };

/**
 * The state to open with on these displays (their work areas): a saved place whose title bar
 * would not be on any display enough to grab it (a monitor unplugged, a resolution changed) is
 * dropped, and the window opens centred on the primary display. A window larger than every
 * display shrinks to the largest work area.
 */
export function fitToDisplays(state: WindowState, workAreas: readonly Rect[]): WindowState {
  if (workAreas.length === 0) return state;
  const fitted: WindowState = {
    ...state,
    width: Math.max(MIN.width, Math.min(state.width, Math.max(...workAreas.map((a) => a.width)))),
    height: Math.max(MIN.height, Math.min(state.height, Math.max(...workAreas.map((a) => a.height)))),
  };
  if (state.x === undefined || state.y === undefined) return fitted;
  const { x, y } = state;
  const titleBar: Rect = { x, y, width: fitted.width, height: VISIBLE.height };
  const onScreen = workAreas.some((a) => {
    const w = Math.min(titleBar.x + titleBar.width, a.x + a.width) - Math.max(titleBar.x, a.x);
    const h = Math.min(titleBar.y + titleBar.height, a.y + a.height) - Math.max(titleBar.y, a.y);
    return w >= VISIBLE.width && h >= VISIBLE.height / 2;
  });
  if (onScreen) return fitted;
  delete fitted.x;
  delete fitted.y;
  return fitted;
}

/** Written whole to a temporary file, then renamed: a crash never leaves half a file. */
export function saveWindowState(dir: string, state: WindowState): void {
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `${FILE}.tmp`);
  writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(tmp, join(dir, FILE));
}
