import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { clearScreenshots, launchBrowser, screenshot, type Browser } from '../helpers/browser.js';
import { FakeHost } from './fakeHost.js';
import { serveRenderer, type ServedRenderer } from './serveRenderer.js';

/*
 * The topology graph as drawn: with four nodes every link label can be read (none on another, on a
 * node, or on the crossing of the two diagonals), and the graph refits when its panel changes size
 * (the splitter, the window), so no node is cut off until a reload.
 */
const built = existsSync('dist/renderer/index.html');

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}
const overlaps = (a: Box, b: Box): boolean =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
const inside = (a: Box, outer: Box): boolean =>
  a.x >= outer.x - 0.5 &&
  a.y >= outer.y - 0.5 &&
  a.x + a.width <= outer.x + outer.width + 0.5 &&
  a.y + a.height <= outer.y + outer.height + 0.5;
const centre = (b: Box): { x: number; y: number } => ({ x: b.x + b.width / 2, y: b.y + b.height / 2 });

describe('the topology graph', () => {
  let host: FakeHost;
  let served: ServedRenderer;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  const boxes = (selector: string): Promise<Box[]> =>
    page.locator(selector).evaluateAll((els) =>
      els.map((e) => {
        const r = e.getBoundingClientRect();
        return { x: r.x, y: r.y, width: r.width, height: r.height };
      }),
    );
  const graphBox = async (): Promise<Box> => (await page.locator('.topology-graph').boundingBox())!;
  /** Nodes that are not wholly inside the graph's panel. */
  const cutOff = async (): Promise<string[]> => {
    const graph = await graphBox();
    const out: string[] = [];
    for (const id of ['n1', 'n2', 'n3', 'n4']) {
      const b = await page.getByTestId(`topo-node-${id}`).boundingBox();
      if (!b || !inside(b, graph)) out.push(id);
    }
    return out;
  };

  /** How wide n1 to n2 is drawn: the graph's zoom. */
  const span = async (): Promise<number> => {
    const a = (await page.getByTestId('topo-node-n1').boundingBox())!;
    const b = (await page.getByTestId('topo-node-n2').boundingBox())!;
    return b.x + b.width - a.x;
  };
  /** The span once it has stayed the same for ten frames (a refit is done). */
  const settledSpan = (): Promise<number> =>
    page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          const read = (): number =>
            document.querySelector('[data-testid="topo-node-n2"]')!.getBoundingClientRect().right -
            document.querySelector('[data-testid="topo-node-n1"]')!.getBoundingClientRect().left;
          let last = read();
          let same = 0;
          const frame = (): void => {
            const now = read();
            same = now === last ? same + 1 : 0;
            last = now;
            if (same >= 10) resolve(now);
            else requestAnimationFrame(frame);
          };
          requestAnimationFrame(frame);
        }),
    );

  beforeAll(async () => {
    if (!built)
      throw new Error('dist/renderer is not built: run npx vite build --config renderer/vite.config.ts');
    await clearScreenshots('ui-topology-');
    host = new FakeHost({ ticks: false });
    served = await serveRenderer(host);
    browser = await launchBrowser({ colorScheme: 'light', viewport: { width: 1440, height: 900 } });
    page = await browser.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(served.url);
    await page.getByRole('button', { name: 'New local cluster' }).click();
    await page.getByTestId('node-card-n3').waitFor();
    await page.getByTestId('add-node').click();
    await page.getByTestId('topo-link-n3~n4').waitFor();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await served?.close();
    host?.close();
  });

  it('with four nodes, no link label covers another label, a node, or the crossing of the diagonals', async () => {
    await expect.poll(cutOff).toEqual([]);
    const labels = await boxes('[data-testid^="topo-link-"]');
    expect(labels).toHaveLength(6);
    for (let i = 0; i < labels.length; i++)
      for (let j = i + 1; j < labels.length; j++)
        expect(overlaps(labels[i]!, labels[j]!), `${i}/${j}`).toBe(false);
    const nodes = await boxes('[data-testid^="topo-node-"]');
    for (const l of labels) for (const n of nodes) expect(overlaps(l, n)).toBe(false);
    // Where n1–n3 and n2–n4 cross: no label sits on it.
    const [n1, n2, n3, n4] = await Promise.all(
      ['n1', 'n2', 'n3', 'n4'].map(async (id) =>
        centre((await page.getByTestId(`topo-node-${id}`).boundingBox())!),
      ),
    );
    const den = (n3!.x - n1!.x) * (n4!.y - n2!.y) - (n3!.y - n1!.y) * (n4!.x - n2!.x);
    const t = ((n2!.x - n1!.x) * (n4!.y - n2!.y) - (n2!.y - n1!.y) * (n4!.x - n2!.x)) / den;
    const x = { x: n1!.x + t * (n3!.x - n1!.x) - 4, y: n1!.y + t * (n3!.y - n1!.y) - 4, width: 8, height: 8 };
    for (const l of labels) expect(overlaps(l, x)).toBe(false);
    await screenshot(page, 'ui-topology-4-nodes');
  });

  it('refits when the links panel is dragged wider, and when the window shrinks', async () => {
    const separator = page.getByRole('separator', { name: 'Resize the links panel' });
    const start = await settledSpan();
    const bar = (await separator.boundingBox())!;
    await page.mouse.move(bar.x + bar.width / 2, bar.y + bar.height / 2);
    await page.mouse.down();
    await page.mouse.move(bar.x + bar.width / 2 - 400, bar.y + bar.height / 2, { steps: 8 });
    await page.mouse.up();
    expect(await separator.getAttribute('aria-valuenow')).toBe('840');
    await expect.poll(cutOff).toEqual([]);
    expect(await settledSpan()).toBeLessThan(start - 20);
    await screenshot(page, 'ui-topology-narrow');

    // The links panel back to its narrowest: the graph grows back (at least) to where it began.
    await separator.focus();
    await page.keyboard.press('Home');
    await expect.poll(span).toBeGreaterThanOrEqual(start - 0.5);
    const wide = await settledSpan();
    // A smaller window: the graph shrinks to fit…
    await page.setViewportSize({ width: 1100, height: 700 });
    await expect.poll(span).toBeLessThan(wide - 20);
    await expect.poll(cutOff).toEqual([]);
    await screenshot(page, 'ui-topology-small-window');
    // …and grows back with the window rather than staying small in a corner.
    await page.setViewportSize({ width: 1440, height: 900 });
    await expect.poll(span).toBeCloseTo(wide, 0);
    await expect.poll(cutOff).toEqual([]);
  });

  it('ran without page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
