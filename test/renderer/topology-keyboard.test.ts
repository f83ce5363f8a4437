import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { clearScreenshots, launchBrowser, screenshot, type Browser } from '../helpers/browser.js';
import { waitFor } from '../helpers/waitFor.js';
import { FakeHost } from './fakeHost.js';
import { serveRenderer, type ServedRenderer } from './serveRenderer.js';

/*
 * The topology graph without a mouse: nodes and links are in the Tab order with labels that state
 * their state, Enter/Space opens their actions (which take focus), Escape gives focus back, and the
 * focus ring can be seen in both themes.
 */
const built = existsSync('dist/renderer/index.html');

describe('topology by keyboard', () => {
  let host: FakeHost;
  let served: ServedRenderer;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  /** The focused element: its aria-label, or its text. */
  const focused = (): Promise<string> =>
    page.evaluate(() => {
      const el = document.activeElement;
      return el?.getAttribute('aria-label') ?? el?.textContent?.trim() ?? '';
    });
  /** Presses `key` until the focused element's label matches (at most `max` times). */
  async function tabTo(match: RegExp, key = 'Tab', max = 40): Promise<string> {
    for (let i = 0; i < max; i++) {
      const label = await focused();
      if (match.test(label)) return label;
      await page.keyboard.press(key);
    }
    throw new Error(`never focused ${match} with ${key}; ended on ${await focused()}`);
  }
  /** The outline the focused node shows (its card, `.topo-node`, carries the ring). */
  const ringOfFocusedNode = (): Promise<string> =>
    page.evaluate(() => {
      const n = document.activeElement?.querySelector('.topo-node');
      if (!n) return 'none';
      const s = getComputedStyle(n);
      return s.outlineStyle === 'none' || s.outlineWidth === '0px'
        ? 'none'
        : `${s.outlineWidth} ${s.outlineColor}`;
    });

  beforeAll(async () => {
    if (!built)
      throw new Error('dist/renderer is not built: run npx vite build --config renderer/vite.config.ts');
    await clearScreenshots('renderer-topology-');
    host = new FakeHost();
    served = await serveRenderer(host);
    browser = await launchBrowser({ colorScheme: 'light' });
    page = await browser.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(served.url);
    await page.getByRole('button', { name: 'New local cluster' }).click();
    await page.getByTestId('node-card-n3').waitFor();
    await host.call('startFleet', { count: 3, spread: { kind: 'random' } });
    await page.locator('[data-testid="topo-node-n1"]').waitFor();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await served?.close();
    host?.close();
  });

  it('Tab reaches every node and link, each labelled with its state', async () => {
    await page.getByRole('button', { name: 'Destroy cluster' }).focus();
    const seen: string[] = [];
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press('Tab');
      const label = await focused();
      if (/^(node|link) /.test(label)) seen.push(label);
    }
    expect(seen.filter((l) => l.startsWith('link'))).toEqual([
      'link n1 to n2, up, RTT 0.50 ms',
      'link n1 to n3, up, RTT 0.70 ms',
      'link n2 to n3, up, RTT 0.90 ms',
    ]);
    const nodes = seen.filter((l) => l.startsWith('node'));
    expect(nodes).toHaveLength(3);
    expect(nodes[0]).toMatch(/^node n1, up, 1 client, \d+(\.\d)? msg\/s$/);
    expect(nodes[1]).toMatch(/^node n2, up, 1 client, /);
  });

  it('snapshots do not redraw the graph: a focused link keeps its element and the focus', async () => {
    await tabTo(/^link n1 to n2,/, 'Shift+Tab');
    await page.evaluate(() => ((document.activeElement as Element & { mark?: number }).mark = 1));
    // Two host ticks (each a new snapshot) change n1's byte counters.
    const bytes = page.getByTestId('node-card-n1').locator('.metrics');
    for (let i = 0; i < 2; i++) {
      const before = await bytes.textContent();
      await expect.poll(() => bytes.textContent(), { timeout: 5000 }).not.toBe(before);
    }
    expect(await page.evaluate(() => (document.activeElement as Element & { mark?: number }).mark)).toBe(1);
    expect(await focused()).toMatch(/^link n1 to n2,/);
  });

  it('Enter on a node opens its actions and moves focus into them; Escape gives focus back', async () => {
    await tabTo(/^node n2,/, 'Shift+Tab');
    expect(await ringOfFocusedNode()).not.toBe('none');
    await screenshot(page, 'renderer-topology-node-focus-light');
    await page.keyboard.press('Enter');
    const actions = page.getByRole('group', { name: 'n2 actions' });
    await actions.waitFor();
    expect(await focused()).toBe('Stop');
    expect(await page.locator('.react-flow__node[data-id="n2"]').getAttribute('aria-expanded')).toBe('true');
    await screenshot(page, 'renderer-topology-node-actions-light');
    await page.keyboard.press('Escape');
    await actions.waitFor({ state: 'detached' });
    await expect.poll(focused).toMatch(/^node n2, up/);
  });

  it('an action runs from there by keyboard: Kill on n2 (Space), and the label says killed', async () => {
    await page.keyboard.press(' ');
    await page.getByRole('group', { name: 'n2 actions' }).waitFor();
    await tabTo(/^Kill$/);
    await page.keyboard.press(' ');
    await waitFor(() => host.calls.some((c) => c.cmd === 'killNode'), { what: 'killNode' });
    expect(host.calls.find((c) => c.cmd === 'killNode')?.args).toEqual({ nodeId: 'n2' });
    await expect
      .poll(() => page.locator('.react-flow__node[data-id="n2"]').getAttribute('aria-label'))
      .toBe('node n2, killed');
    // Kill is disabled now: focus stays in the strip, on Start, which takes its place.
    await expect.poll(focused).toBe('Start');
    await page.keyboard.press('Enter');
    await waitFor(() => host.calls.some((c) => c.cmd === 'startNode'), { what: 'startNode' });
    await expect
      .poll(() => page.locator('.react-flow__node[data-id="n2"]').getAttribute('aria-label'))
      .toMatch(/^node n2, up/);
    expect(await focused()).toMatch(/^(Stop|Restart|Kill|Start)$/);
    await page.keyboard.press('Escape');
    await expect.poll(focused).toMatch(/^node n2, up/);
  });

  it('Enter on a link offers cut (then restore); the focused link shows a ring in the dark theme too', async () => {
    await page.getByRole('button', { name: 'Switch to dark theme' }).click();
    await page.getByRole('button', { name: 'Destroy cluster' }).focus();
    await tabTo(/^link n1 to n3,/);
    const halo = await page.evaluate(() => {
      const p = document.activeElement?.querySelector('.react-flow__edge-interaction');
      return p ? getComputedStyle(p).strokeOpacity : '0';
    });
    expect(Number(halo)).toBeGreaterThan(0);
    await screenshot(page, 'renderer-topology-link-focus-dark');
    await page.keyboard.press('Enter');
    await page.getByRole('group', { name: 'n1 ↔ n3 actions' }).waitFor();
    expect(await focused()).toBe('Cut link');
    await page.keyboard.press('Enter');
    await waitFor(() => host.calls.some((c) => c.cmd === 'cutLink'), { what: 'cutLink' });
    expect(host.calls.find((c) => c.cmd === 'cutLink')?.args).toEqual({ a: 'n1', b: 'n3' });
    const restore = page
      .getByRole('group', { name: 'n1 ↔ n3 actions' })
      .getByRole('button', { name: 'Restore link' });
    await restore.waitFor();
    await screenshot(page, 'renderer-topology-link-actions-dark');
    await restore.focus();
    await page.keyboard.press('Enter');
    await waitFor(() => host.calls.some((c) => c.cmd === 'restoreLink'), { what: 'restoreLink' });
    await page.keyboard.press('Escape');
    await expect.poll(focused).toMatch(/^link n1 to n3,/);
    await tabTo(/^node n1,/);
    expect(await ringOfFocusedNode()).not.toBe('none');
    await screenshot(page, 'renderer-topology-node-focus-dark');
    await page.getByRole('button', { name: 'Switch to light theme' }).click();
  });

  it('ran without page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
