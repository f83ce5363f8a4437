import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_WINDOW,
  fitToDisplays,
  loadWindowState,
  saveWindowState,
} from '../../electron/window-state.js';

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

describe('window state on the displays there are now', () => {
  const laptop = { x: 0, y: 0, width: 1920, height: 1040 };
  const rightMonitor = { x: 1920, y: -200, width: 2560, height: 1400 };
  const saved = { width: 1200, height: 800, maximized: false };

  it('keeps a place on a display, including a second one', () => {
    expect(fitToDisplays({ ...saved, x: 100, y: 50 }, [laptop])).toEqual({ ...saved, x: 100, y: 50 });
    expect(fitToDisplays({ ...saved, x: 2400, y: -100, maximized: true }, [laptop, rightMonitor])).toEqual({
      ...saved,
      x: 2400,
      y: -100,
      maximized: true,
    });
  });

  it('drops a place off every display (a monitor unplugged): the window opens centred', () => {
    expect(fitToDisplays({ ...saved, x: 2400, y: -100, maximized: true }, [laptop])).toEqual({
      ...saved,
      maximized: true,
    });
    expect(fitToDisplays({ ...saved, x: -5000, y: 40 }, [laptop])).toEqual(saved);
    // Only a sliver of the title bar on screen is not enough to grab the window.
    expect(fitToDisplays({ ...saved, x: 1850, y: 40 }, [laptop])).toEqual(saved);
    expect(fitToDisplays({ ...saved, x: 100, y: 1030 }, [laptop])).toEqual(saved);
    // A title bar above the top edge cannot be grabbed either.
    expect(fitToDisplays({ ...saved, x: 100, y: -300 }, [laptop])).toEqual(saved);
  });

  it('shrinks a window larger than every display, never under the minimum', () => {
    expect(fitToDisplays({ width: 3000, height: 2000, maximized: false }, [laptop])).toEqual({
      width: 1920,
      height: 1040,
      maximized: false,
    });
    expect(
      fitToDisplays({ width: 900, height: 700, maximized: false }, [{ x: 0, y: 0, width: 500, height: 400 }]),
    ).toEqual({ width: 640, height: 480, maximized: false });
  });
});
