import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_WINDOW, loadWindowState, saveWindowState } from '../../electron/window-state.js';

describe('window state', () => {
  it('round-trips through the data folder', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'smq-ws-')), 'not-yet');
    expect(loadWindowState(dir)).toEqual(DEFAULT_WINDOW);
    saveWindowState(dir, { width: 900, height: 700, x: -5, y: 10, maximized: true });
    expect(loadWindowState(dir)).toEqual({ width: 900, height: 700, x: -5, y: 10, maximized: true });
    expect(readFileSync(join(dir, 'window.json'), 'utf8')).toMatch(/\n$/);
  });

  it('falls back to sane sizes for a broken or hostile file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'smq-ws-'));
    writeFileSync(join(dir, 'window.json'), '{not json');
    expect(loadWindowState(dir)).toEqual(DEFAULT_WINDOW);
    writeFileSync(
      join(dir, 'window.json'),
      JSON.stringify({ width: 10, height: 1e9, x: 'a', y: 3, maximized: 'yes' }),
    );
    expect(loadWindowState(dir)).toEqual({ width: 640, height: 16384, maximized: false });
  });
});
