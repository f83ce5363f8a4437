import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { connectClient, type SmqClient } from '../../../broker/src/index.js';
import { clearScreenshots, launchBrowser, screenshot, type Browser } from '../../helpers/browser.js';
import { Child } from '../../helpers/ChildProcess.js';
import { spawnNode } from '../../helpers/nodeProcess.js';
import { waitFor } from '../../helpers/waitFor.js';
import { FakeHost } from '../fakeHost.js';
import { serveRenderer, type ServedRenderer } from '../serveRenderer.js';

/*
 * The composer's own SMQ client, against a fake host whose n1 is a real node and whose n2 is a
 * port nobody listens on: Send works only while the client is connected, and says why when not.
 */
const built = existsSync('dist/renderer/index.html');
const FAKE_ORIGINS = Array.from({ length: 9 }, (_, i) => `http://127.0.0.1:${18081 + i}`);

describe('the composer’s connection', () => {
  let host: FakeHost;
  let served: ServedRenderer;
  let browser: Browser;
  let page: Page;
  let subscriber: SmqClient;
  const got: string[] = [];

  const composer = (): Locator => page.getByRole('form', { name: 'Publish a message' });
  const send = (): Locator => composer().getByRole('button', { name: 'Send', exact: true });

  beforeAll(async () => {
    if (!built)
      throw new Error('dist/renderer is not built: run npx vite build --config renderer/vite.config.ts');
    await clearScreenshots('ui-composer-link-');
    const node = await spawnNode('composer');
    subscriber = connectClient(`ws://127.0.0.1:${node.port}/smq.lsp`);
    await subscriber.subscribe('/composer/test', { datatype: 'text', onmsg: (m) => void got.push(m) });
    host = new FakeHost({ ticks: false });
    served = await serveRenderer(host, undefined, [...FAKE_ORIGINS, `http://127.0.0.1:${node.port}`]);
    browser = await launchBrowser({ colorScheme: 'light', viewport: { width: 1440, height: 900 } });
    page = await browser.newPage();
    await page.goto(served.url);
    await page.getByRole('button', { name: 'New local cluster' }).click();
    await page.getByTestId('node-card-n3').waitFor();
    host.patchNode('n1', {
      port: node.port,
      wsUrl: `ws://127.0.0.1:${node.port}/smq.lsp`,
      rawUrl: `http://127.0.0.1:${node.port}/smq.lsp`,
    });
    await page
      .getByRole('navigation', { name: 'Views' })
      .getByRole('link', { name: /^Inspector/ })
      .click();
    await page.getByRole('button', { name: 'Publish…' }).click();
    await composer().waitFor();
  }, 60_000);

  afterAll(async () => {
    subscriber?.disconnect();
    await browser?.close();
    await served?.close();
    host?.close();
    await Child.killAll();
  });

  it('keeps Send off and says why while the client cannot reach its node', async () => {
    await composer().getByRole('combobox', { name: 'From node', exact: true }).selectOption('n2');
    const failed = composer().getByTestId('composer-link-failed');
    await failed.waitFor({ timeout: 15_000 });
    expect(await failed.textContent()).toMatch(/^not connected to n2: /);
    expect(await send().isDisabled()).toBe(true);
    expect(await composer().getByRole('status').textContent()).not.toMatch(/sent/);
    await screenshot(page, 'ui-composer-link-failed');
  });

  it('sends through a connected client, and only then reports "sent"', async () => {
    await composer().getByRole('combobox', { name: 'From node', exact: true }).selectOption('n1');
    await composer().getByText('connected', { exact: true }).waitFor({ timeout: 15_000 });
    await composer().getByRole('button', { name: 'Text', exact: true }).click();
    await composer().getByRole('textbox', { name: 'Payload' }).fill('over the wire');
    await send().click();
    await waitFor(() => got.includes('over the wire'), { timeout: 10_000, what: 'the message delivered' });
    expect(await composer().getByRole('status').textContent()).toMatch(/sent 13 bytes to \/composer\/test/);
    await screenshot(page, 'ui-composer-link-connected');
  });
});
