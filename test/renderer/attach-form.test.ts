import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { clearScreenshots, launchBrowser, screenshot, type Browser } from '../helpers/browser.js';
import { waitFor } from '../helpers/waitFor.js';
import { FakeHost } from './fakeHost.js';
import { serveRenderer, type ServedRenderer } from './serveRenderer.js';

/*
 * The Attach form's CA file (nodes on a private CA): sent to the host only when given, the host's
 * refusal shown as it is typed, and the remote cluster then naming the CA it is verified with
 * (built page in Debian chromium, against a fake host).
 */
const built = existsSync('dist/renderer/index.html');
const URLS = 'https://127.0.0.1:8443, https://127.0.0.1:8444';
const TOKEN = 'remote-admin-token-0123456789';
const CA_FILE = '/home/lab/private-ca.pem';
const REFUSED =
  'https://127.0.0.1:8443 presented a certificate the host refused: UNABLE_TO_VERIFY_LEAF_SIGNATURE. ' +
  'If a private CA signed it, attach with that CA file';

describe('the Attach form', () => {
  let host: FakeHost;
  let served: ServedRenderer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    if (!built)
      throw new Error('dist/renderer is not built: run npx vite build --config renderer/vite.config.ts');
    await clearScreenshots('attach-');
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

  const attachCalls = (): Record<string, unknown>[] =>
    host.calls.filter((c) => c.cmd === 'attachCluster').map((c) => c.args as Record<string, unknown>);

  it('sends no CA when the field is empty, and shows a refused certificate as TlsVerifyFailed', async () => {
    await page.getByRole('heading', { name: 'No cluster yet' }).waitFor();
    await page.getByLabel('Node URLs').fill(URLS);
    await page.getByLabel('Admin token').fill(TOKEN);
    host.failNext.set('attachCluster', { code: 'TlsVerifyFailed', message: REFUSED });
    await page.getByRole('button', { name: 'Attach to a cluster' }).click();
    const alert = page.getByTestId('attach-error');
    await alert.waitFor();
    expect(await alert.textContent()).toBe(`TlsVerifyFailed ${REFUSED}`);
    expect(attachCalls()).toEqual([
      { urls: ['https://127.0.0.1:8443', 'https://127.0.0.1:8444'], adminToken: TOKEN },
    ]);
    await screenshot(page, 'attach-tls-refused');
  });

  it('sends the CA file path with the attach, and the remote cluster then names it', async () => {
    await page.getByLabel('CA file (optional)').fill(`  ${CA_FILE} `);
    await page.getByRole('button', { name: 'Attach to a cluster' }).click();
    await page.getByTestId('cluster-remote').waitFor();
    expect(attachCalls()[1]).toEqual({
      urls: ['https://127.0.0.1:8443', 'https://127.0.0.1:8444'],
      adminToken: TOKEN,
      caFile: CA_FILE,
    });
    await waitFor(async () => (await page.getByTestId('cluster-ca').textContent()) === `CA ${CA_FILE}`, {
      what: 'the CA named in the cluster toolbar',
    });
    // The host's own certificate (renewable) is a local TLS cluster's, not this one's.
    expect(await page.getByRole('button', { name: /certificate/i }).count()).toBe(0);
    await screenshot(page, 'attach-tls-attached');
  });

  it('asks before an attach replaces a saved profile, and offers remote-2 when remote is taken', async () => {
    await host.call('destroyCluster', {});
    host.profiles = [
      {
        name: 'remote',
        kind: 'remote',
        transport: 'mesh',
        tls: true,
        nodes: 2,
        lastUsedMs: Date.now() - 60_000,
        active: false,
      },
    ];
    await page.goto(served.url);
    await page.getByTestId('profile-remote').waitFor();
    const profile = page.getByLabel('Profile name');
    expect(await profile.getAttribute('placeholder')).toBe('remote-2');
    await page.getByLabel('Node URLs').fill(URLS);
    await page.getByLabel('Admin token').fill(TOKEN);
    await profile.fill('remote');
    await page.getByRole('button', { name: 'Attach to a cluster' }).click();
    await page.getByRole('alert').filter({ hasText: 'A profile named remote is saved already' }).waitFor();
    expect(attachCalls()).toHaveLength(2);
    await screenshot(page, 'attach-replace-ask');
    await page.getByRole('button', { name: 'Replace remote' }).click();
    await page.getByTestId('cluster-remote').waitFor();
    expect(attachCalls()[2]).toEqual({
      urls: ['https://127.0.0.1:8443', 'https://127.0.0.1:8444'],
      adminToken: TOKEN,
      profile: 'remote',
      replace: true,
    });
  });
});
