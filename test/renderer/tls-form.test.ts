import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { clearScreenshots, launchBrowser, screenshot, type Browser } from '../helpers/browser.js';
import { waitFor } from '../helpers/waitFor.js';
import { FAKE_CA_FILE, FakeHost } from './fakeHost.js';
import { serveRenderer, type ServedRenderer } from './serveRenderer.js';

/*
 * The create-cluster form's TLS checkbox, and how a TLS cluster then reads: a TLS badge on the
 * cluster and its nodes, and "Connect a device" naming the CA devices must trust (built page in
 * Debian chromium, against a fake host).
 */
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

  it('marks a TLS cluster and its nodes, and tells a device on one where the CA is and how to pass it', async () => {
    await page.getByTestId('node-card-n3').waitFor();
    expect(await page.getByTestId('cluster-tls').textContent()).toBe('TLS');
    for (const id of ['n1', 'n2', 'n3'])
      expect(await page.getByTestId(`node-tls-${id}`).textContent()).toBe('TLS');

    await page.getByTestId('connect-n1').click();
    const panel = page.getByTestId('connect-panel-n1');
    await panel.waitFor();
    expect(await panel.getByTestId('copy-ca-n1-text').textContent()).toBe(FAKE_CA_FILE);
    expect(await panel.getByTestId('copy-devices-n1-text').textContent()).toBe(
      `npx smq-devices --url https://127.0.0.1:18081/smq.lsp --count 1 --ca ${FAKE_CA_FILE}`,
    );
    const text = (await panel.textContent()) ?? '';
    expect(text).toContain('Devices must trust this CA');
    expect(text).not.toContain('Java needs https://');
    await screenshot(page, 'tls-connect-device');
    await panel.getByRole('button', { name: 'Close' }).click();
    await panel.waitFor({ state: 'detached' });
  });

  it('shows neither the badge nor a CA on a cluster without TLS, and keeps the Java hint there', async () => {
    await host.call('destroyCluster', {});
    await host.call('createCluster', { nodes: 2 });
    await page.getByTestId('node-card-n2').waitFor();
    await page.getByTestId('node-card-n3').waitFor({ state: 'detached' });
    expect(await page.getByTestId('cluster-tls').count()).toBe(0);
    expect(await page.getByTestId('node-tls-n1').count()).toBe(0);
    await page.getByTestId('connect-n1').click();
    const panel = page.getByTestId('connect-panel-n1');
    await panel.waitFor();
    expect(await panel.getByTestId('copy-ca-n1-text').count()).toBe(0);
    expect(await panel.textContent()).toContain('Java needs https://, a TLS node');
  });
});
