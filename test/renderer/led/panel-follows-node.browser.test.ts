import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchBrowser, screenshot, type Browser } from '../../helpers/browser.js';
import { waitFor } from '../../helpers/waitFor.js';
import { FakeHost } from '../fakeHost.js';
import { serveRenderer, type ServedRenderer } from '../serveRenderer.js';

/*
 * The built page against the fake host: an LED panel open on n1 when n1 is bound to another
 * address shows n1's new URL and opens its WebSocket there. The new origin is not in the page's
 * CSP yet, so the CSP guard reloads once, and the panel survives the reload.
 */
const built = existsSync('dist/renderer/index.html');

describe('an LED panel whose node is bound to another address', () => {
  let host: FakeHost;
  let served: ServedRenderer;
  let browser: Browser;
  let page: Page;
  const sockets: string[] = [];
  let loads = 0;
  // The host's CSP lists its cluster's node origins as they are when a page loads.
  const origins = ['http://127.0.0.1:18081', 'http://127.0.0.1:18082'];

  beforeAll(async () => {
    if (!built)
      throw new Error('dist/renderer is not built: run npx vite build --config renderer/vite.config.ts');
    host = new FakeHost({ ticks: false });
    await host.call('createCluster', { nodes: 2 });
    served = await serveRenderer(host, undefined, origins);
    browser = await launchBrowser({ colorScheme: 'light' });
    page = await browser.newPage();
    page.on('websocket', (ws) => sockets.push(ws.url()));
    page.on('load', () => loads++);
    await page.goto(served.url);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await served?.close();
    host?.close();
  });

  it('shows the node’s new URL and connects there, after the CSP reload too', async () => {
    const oldUrl = 'ws://127.0.0.1:18081/smq.lsp';
    const newUrl = 'ws://192.0.2.2:18081/smq.lsp';
    await page.getByRole('link', { name: /LED panels/ }).click();
    await page.getByTestId('panel-node-select').selectOption('n1');
    await page.getByRole('button', { name: 'Open panel' }).click();
    const panel = page.getByTestId('led-panel-n1');
    await expect.poll(() => panel.locator('.led-panel-url').textContent()).toBe(oldUrl);
    await waitFor(() => sockets.includes(oldUrl), { timeout: 15_000, what: 'the panel’s socket to n1' });

    origins.push('http://192.0.2.2:18081');
    await host.call('bindNode', { nodeId: 'n1', host: '192.0.2.2' });
    await waitFor(() => sockets.includes(newUrl), { timeout: 30_000, what: `a socket to ${newUrl}` });
    await expect.poll(() => panel.locator('.led-panel-url').textContent(), { timeout: 15_000 }).toBe(newUrl);
    expect(await page.getByTestId('led-panel-n1').count()).toBe(1);
    expect(loads, 'the first load and the CSP guard’s one reload').toBe(2);
    await screenshot(page, 'renderer-panel-moved');
    // It stays on the new URL: no socket to the old one after the first to the new one.
    const from = sockets.indexOf(newUrl);
    await waitFor(() => sockets.slice(from).filter((u) => u === newUrl).length >= 2, {
      timeout: 20_000,
      what: 'the panel retrying its new URL',
    });
    expect(sockets.slice(from)).not.toContain(oldUrl);
  }, 90_000);
});
