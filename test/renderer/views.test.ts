import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { clearScreenshots, launchBrowser, screenshot, type Browser } from '../helpers/browser.js';
import { waitFor } from '../helpers/waitFor.js';
import { FakeHost } from './fakeHost.js';
import { serveRenderer, type ServedRenderer } from './serveRenderer.js';

/*
 * The built page (dist/renderer) in Debian chromium, under the host's CSP, against an in-memory
 * HostApi: what each view asks the host for and how it shows the answers. The real host and real
 * nodes are exercised by test/e2e/cluster.test.ts.
 */
const built = existsSync('dist/renderer/index.html');

describe('renderer views against a fake host', () => {
  let host: FakeHost;
  let served: ServedRenderer;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    // Not a skip: a missing build is a broken pipeline, and a skipped UI test would hide it.
    if (!built)
      throw new Error('dist/renderer is not built: run npx vite build --config renderer/vite.config.ts');
    await clearScreenshots('renderer-');
    host = new FakeHost();
    served = await serveRenderer(host);
    browser = await launchBrowser({ colorScheme: 'light' });
    page = await browser.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => {
      // A CSP violation is reported on the console: the page must need no inline script or eval.
      if (/Content Security Policy/i.test(m.text())) pageErrors.push(m.text());
    });
    await page.goto(served.url);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await served?.close();
    host?.close();
  });

  it('shows the empty state and creates a 3-node cluster from it', async () => {
    await page.getByRole('heading', { name: 'No cluster yet' }).waitFor();
    await screenshot(page, 'renderer-empty-light');
    await page.getByRole('button', { name: 'New local cluster' }).click();
    await page.getByTestId('node-card-n3').waitFor();
    expect(host.calls.find((c) => c.cmd === 'createCluster')?.args).toEqual({ nodes: 3 });
    await expect.poll(() => page.getByTestId('topo-link-n1~n3').textContent()).toMatch(/ms$/);
    await screenshot(page, 'renderer-cluster-light');
  });

  it('names each node card’s buttons with its node, the visible text short', async () => {
    const cards = page.getByRole('article');
    for (const name of ['Stop', 'Restart', 'Kill', 'Start'])
      expect(await cards.getByRole('button', { name, exact: true }).count(), name).toBe(0);
    for (const id of ['n1', 'n2', 'n3']) {
      const card = page.getByTestId(`node-card-${id}`);
      for (const verb of ['Stop', 'Restart', 'Kill']) {
        const button = card.getByRole('button', { name: `${verb} ${id}`, exact: true });
        expect(await button.count(), `${verb} ${id}`).toBe(1);
        expect((await button.textContent())?.trim()).toBe(verb);
      }
    }
  });

  it('shows a host error code and message in a toast', async () => {
    host.failNext.set('addNode', { code: 'PortInUse', message: 'port 18084 is in use' });
    await page.getByTestId('add-node').click();
    const toast = page.getByRole('alert').filter({ hasText: 'Add node failed' });
    await toast.waitFor();
    expect(await toast.textContent()).toContain('PortInUse');
    expect(await toast.textContent()).toContain('port 18084 is in use');
    await screenshot(page, 'renderer-error-toast');
    await toast.getByRole('button', { name: 'Dismiss notification' }).click();
    await toast.waitFor({ state: 'detached' });
  });

  it('adds devices spread over the nodes and lists them', async () => {
    await page.getByRole('link', { name: /Devices/ }).click();
    await page.getByText('No devices yet.').waitFor();
    // Says what the host does (each device on a random node, failing over), not "round robin".
    const spread = page.getByRole('combobox', { name: 'Spread', exact: true });
    expect(await spread.locator('option:checked').textContent()).toBe('Random node per device');
    expect(await page.locator('.view').textContent()).not.toMatch(/round robin/i);
    await page.getByRole('button', { name: 'Add devices' }).click();
    await page.getByTestId('device-led-1-4').waitFor();
    expect(host.calls.find((c) => c.cmd === 'startFleet')?.args).toEqual({
      count: 4,
      spread: { kind: 'random' },
    });
    expect(await page.getByTestId('device-node-led-1-1').textContent()).toBe('n1');
    await screenshot(page, 'renderer-devices-light');
  });

  it('kills a node from its card: banner, topology and devices follow the snapshot', async () => {
    await page.getByRole('link', { name: /Cluster/ }).click();
    await page.getByTestId('kill-n2').click();
    const banner = page.getByTestId('cluster-banner');
    await banner.waitFor();
    expect(await banner.textContent()).toContain('n2 (killed)');
    expect(await page.getByTestId('topo-node-n2').getAttribute('data-state')).toBe('killed');
    expect(await page.getByTestId('topo-link-n1~n2').getAttribute('data-state')).toBe('down');
    await screenshot(page, 'renderer-node-killed-light');
    await page.getByRole('link', { name: /Devices/ }).click();
    await waitFor(async () => (await page.getByTestId('device-node-led-1-2').textContent()) !== 'n2', {
      what: 'device moved off n2',
    });
    await page.getByRole('link', { name: /Cluster/ }).click();
    await page.getByTestId('start-n2').click();
    await banner.waitFor({ state: 'detached' });
  });

  it('lists the clients of a node and disconnects one', async () => {
    await page.getByRole('link', { name: /Clients/ }).click();
    await page
      .getByRole('button', { name: /^Disconnect client/ })
      .first()
      .waitFor();
    const rows = await page.getByRole('table', { name: 'Clients of n1' }).getByRole('row').count();
    expect(rows).toBeGreaterThan(1);
    await screenshot(page, 'renderer-clients-light');
    await page
      .getByRole('button', { name: /^Disconnect client/ })
      .first()
      .click();
    await waitFor(() => host.calls.some((c) => c.cmd === 'disconnectClient'), {
      what: 'disconnectClient call',
    });
  });

  it('switches to the dark theme and remembers it across a reload', async () => {
    await page.getByRole('link', { name: /Cluster/ }).click();
    await page.getByRole('button', { name: 'Switch to dark theme' }).click();
    expect(await page.evaluate('document.documentElement.dataset.theme')).toBe('dark');
    await page.reload();
    await page.getByTestId('node-card-n1').waitFor();
    expect(await page.evaluate('document.documentElement.dataset.theme')).toBe('dark');
    const bg = await page.evaluate('getComputedStyle(document.body).backgroundColor');
    expect(bg).toBe('rgb(13, 16, 20)');
    await screenshot(page, 'renderer-cluster-dark');
    await page.getByRole('link', { name: /Devices/ }).click();
    await page.getByTestId('device-led-1-1').waitFor();
    await screenshot(page, 'renderer-devices-dark');
    await page.getByRole('link', { name: /LED panels/ }).click();
    await page.getByText('No panels open.').waitFor();
    await screenshot(page, 'renderer-panels-empty-dark');
  });

  it('keeps a fleet of 2,000 devices virtual: few rows in the DOM, any row reachable', async () => {
    await host.call('startFleet', { count: 2000, namePrefix: 'bulk-', spread: { kind: 'random' } });
    await page.getByRole('link', { name: /Devices/ }).click();
    const table = page.getByRole('table', { name: 'Devices' });
    await expect.poll(() => table.getAttribute('aria-rowcount')).toBe(String(2004 + 1));
    const rendered = await table.getByRole('row').count();
    expect(rendered).toBeLessThan(80);
    await screenshot(page, 'renderer-devices-2000-dark');
    await page.getByRole('searchbox', { name: 'Filter devices' }).fill('bulk-1999');
    await page.getByTestId('device-bulk-1999').waitFor();
    await page.getByRole('searchbox', { name: 'Filter devices' }).fill('');
  });

  it('ran without page errors or CSP violations', () => {
    expect(pageErrors).toEqual([]);
  });
});
