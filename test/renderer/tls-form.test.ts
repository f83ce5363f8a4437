import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { clearScreenshots, launchBrowser, screenshot, type Browser } from '../helpers/browser.js';
import { waitFor } from '../helpers/waitFor.js';
import { FakeHost } from './fakeHost.js';
import { serveRenderer, type ServedRenderer } from './serveRenderer.js';

/* The create-cluster form's TLS checkbox (built page in Debian chromium, against a fake host). */
const built = existsSync('dist/renderer/index.html');

describe('the local cluster form', () => {
  let host: FakeHost;
  let served: ServedRenderer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    if (!built)
      throw new Error('dist/renderer is not built: run npx vite build --config renderer/vite.config.ts');
    await clearScreenshots('tls-');
    host = new FakeHost();
    served = await serveRenderer(host);
    browser = await launchBrowser({ colorScheme: 'light' });
    page = await browser.newPage();
    await page.goto(served.url);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await served?.close();
    host?.close();
  });

  it('asks for a TLS cluster when the TLS box is ticked (unticked by default)', async () => {
    await page.getByRole('heading', { name: 'No cluster yet' }).waitFor();
    const box = page.getByRole('checkbox', { name: 'TLS' });
    expect(await box.isChecked()).toBe(false);
    await box.check();
    await screenshot(page, 'tls-create-form');
    await page.getByRole('button', { name: 'New local cluster' }).click();
    await waitFor(() => host.calls.some((c) => c.cmd === 'createCluster'), { what: 'createCluster' });
    expect(host.calls.find((c) => c.cmd === 'createCluster')!.args).toEqual({ nodes: 3, tls: true });
  });
});
