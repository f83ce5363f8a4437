import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { hostAddresses } from '../../electron/host/control/hostAddresses.js';
import { Child } from '../helpers/ChildProcess.js';
import { useHostPage } from './fixture/hostPage.js';

/*
 * Issue #11, "What must show": the "Connect a device" URLs work. The raw-TCP URL is taken from the
 * clipboard after the panel's Copy button, and a device of ours (smq-devices, a separate process,
 * the C LED example on the wire) started with it appears in the Devices view, marked real.
 */

const SMQ_DEVICES = path.resolve('node_modules/.bin/smq-devices');
const STEP_MS = 60_000;
const LAN = hostAddresses().find((a) => !a.internal && a.family === 'IPv4')?.address;

describe('connect a real device (browser mode, real host, real nodes)', () => {
  const host = useHostPage({ shots: 'connect', colorScheme: 'light', clipboard: true, timeoutMs: STEP_MS });
  const { go, shot, pageErrors } = host;
  let page: Page;
  beforeAll(() => {
    page = host.page;
  });
  afterAll(() => Child.killAll(), STEP_MS);

  /** Opens the node's panel, copies one of its values, and returns what the clipboard holds. */
  async function copyFromPanel(nodeId: string, which: 'raw' | 'ws' | 'cmd'): Promise<string> {
    const button = page.getByTestId(`copy-${which}-${nodeId}`);
    await button.click();
    await page.locator(`[data-testid="copy-${which}-${nodeId}"][data-copied]`).waitFor();
    return page.evaluate(() => navigator.clipboard.readText());
  }

  function startDevice(url: string, prefix: string): Child {
    return new Child(process.execPath, [SMQ_DEVICES, '--url', url, '--count', '1', '--name-prefix', prefix]);
  }

  it(
    'each node card opens "Connect a device": URLs with copy buttons, password scheme, the C command',
    async () => {
      await host.open();
      await page.getByRole('button', { name: 'New local cluster' }).click();
      for (const id of ['n1', 'n2', 'n3'])
        await page
          .locator(`[data-testid="node-state-${id}"]`, { hasText: 'up' })
          .waitFor({ timeout: 30_000 });
      await expect.poll(() => page.getByTestId('node-reach-n2').textContent()).toBe('this computer only');
      await page.getByTestId('connect-n2').click();
      const panel = page.getByTestId('connect-panel-n2');
      await panel.waitFor();
      const raw = await copyFromPanel('n2', 'raw');
      expect(raw).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/smq\.lsp$/);
      expect(await page.getByTestId('copy-raw-n2-text').textContent()).toBe(raw);
      const port = new URL(raw).port;
      expect(await copyFromPanel('n2', 'ws')).toBe(`ws://127.0.0.1:${port}/smq.lsp`);
      expect(await copyFromPanel('n2', 'cmd')).toBe(`LED-SMQ -b${raw}`);
      expect(await page.getByTestId('device-auth-n2').textContent()).toMatch(/^None\./);
      expect(await page.getByTestId('reach-n2').textContent()).toMatch(/^Only this computer/);
      await copyFromPanel('n2', 'raw');
      await shot('panel-n2');
      // The panel is modal: the theme switch is reached after closing it.
      await page.keyboard.press('Escape');
      await panel.waitFor({ state: 'detached' });
      await page.getByRole('button', { name: 'Switch to dark theme' }).click();
      await page.getByTestId('connect-n2').click();
      await shot('panel-n2-dark');
      await page.keyboard.press('Escape');
      await page.getByRole('button', { name: 'Switch to light theme' }).click();
    },
    STEP_MS,
  );

  it(
    'a device started with the copied raw-TCP URL appears in the Devices view, marked real',
    async () => {
      const raw = await page.evaluate(() => navigator.clipboard.readText());
      await page.getByTestId('connect-panel-n2').waitFor({ state: 'detached' });
      const device = startDevice(raw, 'desk');
      await device.line(/^desk-1 connected to /m, 15_000);

      await go('Devices');
      const form = page.getByRole('form', { name: 'Add devices' });
      await form.getByLabel('Count').fill('2');
      await form.getByRole('button', { name: 'Add devices' }).click();
      const row = page.getByTestId('device-desk-1');
      await row.waitFor({ timeout: 20_000 });
      await expect.poll(() => page.getByTestId('device-node-desk-1').textContent()).toBe('n2');
      expect(await row.locator('.badge', { hasText: 'real' }).count()).toBe(1);
      // The app's own devices are listed too, without the mark.
      await expect
        .poll(() => page.getByRole('table', { name: 'Devices' }).getByRole('row').count(), {
          timeout: 20_000,
        })
        .toBe(4);
      expect(await page.locator('[data-testid^="device-LED-"] .badge', { hasText: 'real' }).count()).toBe(0);
      await shot('devices-real-and-simulated');
    },
    STEP_MS,
  );

  it(
    'binds a node to a LAN address from the panel, with a warning, and a device reaches it there',
    async (ctx) => {
      if (!LAN) {
        console.log('skipped: this machine has no non-loopback IPv4 address to bind to');
        ctx.skip();
        return;
      }
      await go('Cluster');
      await page.getByTestId('connect-n3').click();
      await page.getByTestId('connect-panel-n3').waitFor();
      await page.getByLabel('Address to bind n3 to').selectOption(LAN);
      expect(await page.getByTestId('bind-warning-n3').textContent()).toContain(LAN);
      await shot('panel-n3-lan-warning');
      await page.getByTestId('bind-n3').click();
      await expect
        .poll(() => page.getByTestId('copy-raw-n3-text').textContent(), { timeout: 30_000 })
        .toMatch(new RegExp(`^http://${LAN.replace(/\./g, '\\.')}:\\d+/smq\\.lsp$`));
      await page.locator('[data-testid="node-state-n3"]', { hasText: 'up' }).waitFor({ timeout: 30_000 });
      const raw = await copyFromPanel('n3', 'raw');
      expect(raw).toContain(LAN);
      expect(await page.getByTestId('reach-n3').textContent()).toContain(LAN);
      await shot('panel-n3-bound');
      await page.keyboard.press('Escape');
      expect(await page.getByTestId('node-reach-n3').textContent()).toBe(`LAN ${LAN}`);
      await shot('cluster-n3-on-lan');

      const device = startDevice(raw, 'porch');
      await device.line(/^porch-1 connected to /m, 15_000);
      await go('Devices');
      await page.getByTestId('device-porch-1').waitFor({ timeout: 20_000 });
      await expect.poll(() => page.getByTestId('device-node-porch-1').textContent()).toBe('n3');
      await shot('devices-lan-device');
    },
    STEP_MS,
  );

  it('had no uncaught page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
