import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchBrowser, type Browser } from '../helpers/browser.js';
import { FakeHost } from './fakeHost.js';
import { serveRenderer, type ServedRenderer } from './serveRenderer.js';

/*
 * The layout lives in localStorage of the page's origin: a new tab of the same browser profile
 * (what a relaunch on the same host port gives) opens on the view shown last, with the split sizes
 * the user set. A new tab shares no sessionStorage, so this also shows which storage holds it.
 */
const built = existsSync('dist/renderer/index.html');

describe('layout remembered for the origin', () => {
  let host: FakeHost;
  let served: ServedRenderer;
  let browser: Browser;
  let page: Page;
  let origin: string;

  const links = (p: Page) => p.getByRole('separator', { name: 'Resize the links panel' });
  const topology = (p: Page) => p.getByRole('separator', { name: 'Resize the topology' });

  beforeAll(async () => {
    if (!built)
      throw new Error('dist/renderer is not built: run npx vite build --config renderer/vite.config.ts');
    host = new FakeHost();
    served = await serveRenderer(host);
    browser = await launchBrowser({ colorScheme: 'light' });
    page = await browser.newPage();
    await page.goto(served.url);
    origin = new URL(page.url()).origin;
    await page.getByRole('button', { name: 'New local cluster' }).click();
    await page.getByTestId('node-card-n3').waitFor();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await served?.close();
    host?.close();
  });

  it('split sizes change by keyboard (arrow keys on a separator) and by dragging', async () => {
    expect(await links(page).getAttribute('aria-valuenow')).toBe('440');
    const panel = page.locator('#links-panel');
    const before = (await panel.boundingBox())!.width;
    await links(page).focus();
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('Shift+ArrowLeft');
    expect(await links(page).getAttribute('aria-valuenow')).toBe(String(440 + 16 + 64));
    expect((await panel.boundingBox())!.width).toBeCloseTo(before + 80, 0);

    const bar = (await topology(page).boundingBox())!;
    await page.mouse.move(bar.x + bar.width / 2, bar.y + bar.height / 2);
    await page.mouse.down();
    await page.mouse.move(bar.x + bar.width / 2, bar.y + bar.height / 2 + 60, { steps: 4 });
    await page.mouse.up();
    expect(await topology(page).getAttribute('aria-valuenow')).toBe('420');
    expect((await page.locator('#topology-panel').boundingBox())!.height).toBeCloseTo(420, 0);
  });

  it('a new tab on the same origin opens on the last view with the same split sizes', async () => {
    await page
      .getByRole('navigation', { name: 'Views' })
      .getByRole('link', { name: /^Devices/ })
      .click();
    const tab = await browser.context.newPage();
    // No #hash in the URL: the view comes from the layout.
    await tab.goto(`${origin}/`);
    await tab.getByRole('heading', { name: 'Devices', level: 2 }).waitFor();
    expect(await tab.getByRole('link', { name: /^Devices/ }).getAttribute('aria-current')).toBe('page');
    await tab.getByRole('link', { name: /^Cluster/ }).click();
    expect(await links(tab).getAttribute('aria-valuenow')).toBe('520');
    expect(await topology(tab).getAttribute('aria-valuenow')).toBe('420');
    await tab.close();
  });
});
