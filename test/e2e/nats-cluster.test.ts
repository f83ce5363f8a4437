import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { runBrowserMode, type BrowserMode } from '../../electron/host/browserMode.js';
import { findNatsServer } from '../../electron/host/control/NatsServerProcess.js';
import { clearScreenshots, launchBrowser, screenshot, type Browser } from '../helpers/browser.js';
import { waitFor } from '../helpers/waitFor.js';

/*
 * Issue #12, the app: the real host in browser mode creates a local cluster on NATS from the form
 * (the host starts nats-server), the topology draws the NATS hub with every node around it, node
 * cards show each node's NATS state, and two LED panels on two nodes stay in sync over NATS.
 * And the host keeps that nats-server up: killed, the hub shows it restarting, then running on the
 * same port, and the panels are in sync again; killed with its port taken by another program, it
 * moves to a free port and the nodes restart onto it.
 */

/** Binds `port` on loopback (as another program would), retrying while the killed server's socket is released. */
async function holdPort(port: number): Promise<Server> {
  return waitFor(
    () =>
      new Promise<Server | undefined>((resolve) => {
        // It hangs up on whoever dials (the nodes' NATS clients): they retry at once.
        const s = createServer((socket) => socket.destroy());
        s.once('error', () => resolve(undefined));
        s.listen(port, '127.0.0.1', () => resolve(s));
      }),
    { timeout: 5000, interval: 2, what: `port ${port} free to take` },
  );
}

const RENDERER = path.resolve('dist/renderer');
const STEP_MS = 60_000;

describe.skipIf(!findNatsServer())('a NATS cluster from the UI (real host, nats-server, nodes)', () => {
  let mode: BrowserMode;
  let browser: Browser;
  let page: Page;
  let dataDir: string;
  const printed: string[] = [];
  const hostLog: string[] = [];
  const pageErrors: string[] = [];
  let step = 0;
  const shot = (name: string): Promise<string> =>
    screenshot(page, `nats-${String(++step).padStart(2, '0')}-${name}`);
  const panel = (nodeId: string): Locator => page.getByTestId(`led-panel-${nodeId}`);
  /** Clicks an LED on n1's panel twice: n2's panel follows each time. */
  const toggleInSync = async (timeout = 10_000): Promise<void> => {
    const device = (await panel('n1')
      .locator('[data-testid^="panel-device-"] .led-device-name')
      .first()
      .textContent())!;
    const inA = panel('n1').getByTestId(`led-${device}-1`);
    const inB = panel('n2').getByTestId(`led-${device}-1`);
    for (let i = 0; i < 2; i++) {
      const after = (await inB.getAttribute('aria-pressed')) === 'true' ? 'false' : 'true';
      await inA.click();
      await expect.poll(() => inB.getAttribute('aria-pressed'), { timeout }).toBe(after);
      await expect.poll(() => inA.getAttribute('aria-pressed')).toBe(after);
    }
  };
  const go = async (view: 'Cluster' | 'Devices' | 'LED panels'): Promise<void> => {
    await page
      .getByRole('navigation', { name: 'Views' })
      .getByRole('link', { name: new RegExp(`^${view}`) })
      .click();
  };

  beforeAll(async () => {
    if (!existsSync(path.join(RENDERER, 'index.html')))
      throw new Error('dist/renderer is not built: run npx vite build --config renderer/vite.config.ts');
    await clearScreenshots('nats-');
    dataDir = await mkdtemp(path.join(tmpdir(), 'smq-cc-e2e-nats-'));
    mode = await runBrowserMode({
      dataDir,
      port: 0,
      rendererDir: RENDERER,
      print: (line) => printed.push(line),
      warn: (line) => hostLog.push(line),
    });
    browser = await launchBrowser({ colorScheme: 'light' });
    page = await browser.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(/(http:\/\/\S+)/.exec(printed[0]!)![1]!);
    await page.getByRole('heading', { name: 'No cluster yet' }).waitFor();
  }, STEP_MS);

  afterAll(async () => {
    await browser?.close().catch((e: unknown) => console.error(e));
    await mode?.close().catch((e: unknown) => console.error(e));
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
    if (hostLog.length) console.log(`host log:\n  ${hostLog.join('\n  ')}`);
  }, STEP_MS);

  it(
    'creates a 3-node NATS cluster from the form; the topology draws the hub with the nodes around it',
    async () => {
      const form = page.getByRole('form', { name: 'Local cluster' });
      const nats = form.getByRole('radio', { name: 'NATS' });
      await expect.poll(() => nats.isEnabled(), { timeout: 10_000 }).toBe(true);
      await nats.check();
      await form.getByLabel('NATS URL (optional)').waitFor();
      await shot('form');
      await form.getByRole('button', { name: 'New local cluster' }).click();
      for (const id of ['n1', 'n2', 'n3'])
        await page
          .locator(`[data-testid="node-state-${id}"]`, { hasText: 'up' })
          .waitFor({ timeout: 30_000 });
      await page.locator('[data-testid="topo-nats-hub"][data-state="up"]').waitFor({ timeout: 30_000 });
      for (const id of ['n1', 'n2', 'n3']) {
        const spoke = page.getByTestId(`topo-nats-${id}`);
        await page.locator(`[data-testid="topo-nats-${id}"][data-state="up"]`).waitFor({ timeout: 30_000 });
        await expect.poll(() => spoke.textContent(), { timeout: 15_000 }).toMatch(/ms$/);
        expect(await spoke.getAttribute('title')).toMatch(
          new RegExp(
            `^${id} to NATS: connected to 127\\.0\\.0\\.1:\\d+ · RTT .+ · 0 reconnects · .+ pending$`,
          ),
        );
        await expect
          .poll(() => page.getByTestId(`node-nats-${id}`).textContent())
          .toMatch(/^NATS connected to 127\.0\.0\.1:\d+ · RTT /);
      }
      // No mesh links are drawn: only the three spokes.
      expect(await page.locator('[data-testid^="topo-link-n"]').count()).toBe(0);
      // The hub sits inside the triangle of nodes: left of n2/n3's right edge, right of their left.
      const hub = (await page.getByTestId('topo-nats-hub').boundingBox())!;
      const boxes = await Promise.all(
        ['n1', 'n2', 'n3'].map(async (id) => (await page.getByTestId(`topo-node-${id}`).boundingBox())!),
      );
      const cx = hub.x + hub.width / 2;
      const cy = hub.y + hub.height / 2;
      expect(Math.min(...boxes.map((b) => b.x))).toBeLessThan(cx);
      expect(Math.max(...boxes.map((b) => b.x + b.width))).toBeGreaterThan(cx);
      expect(Math.min(...boxes.map((b) => b.y))).toBeLessThan(cy);
      expect(Math.max(...boxes.map((b) => b.y + b.height))).toBeGreaterThan(cy);
      await shot('topology-hub');
    },
    STEP_MS * 2,
  );

  it(
    'adds devices and keeps LED panels on n1 and n2 in sync over NATS',
    async () => {
      await go('Devices');
      const form = page.getByRole('form', { name: 'Add devices' });
      await form.getByLabel('Count').fill('3');
      await form.getByRole('button', { name: 'Add devices' }).click();
      await go('LED panels');
      const open = page.getByRole('form', { name: 'Open LED panel' });
      for (const id of ['n1', 'n2']) {
        await open.getByLabel('Node').selectOption(id);
        await open.getByRole('button', { name: 'Open panel' }).click();
        await panel(id).waitFor();
      }
      for (const id of ['n1', 'n2']) {
        await panel(id)
          .locator('[data-testid="panel-connection"][data-state="connected"]')
          .waitFor({ timeout: 20_000 });
        await expect
          .poll(() => panel(id).getByTestId('panel-device-count').textContent(), { timeout: 30_000 })
          .toBe('3');
      }
      await toggleInSync();
      await shot('led-synced');
      await go('Cluster');
      await page.getByTestId('node-nats-n1').waitFor();
      await shot('cluster-cards');
      expect(pageErrors).toEqual([]);
    },
    STEP_MS * 2,
  );

  /** The hub's server as its tooltip tells: pid, URL and port. */
  const hubServer = async (): Promise<{ pid: number; url: string; port: string }> => {
    const title = (await page.getByTestId('topo-nats-hub').getAttribute('title'))!;
    const [, url, port] = /^NATS server (nats:\/\/127\.0\.0\.1:(\d+)),/.exec(title)!;
    return { pid: Number(/pid (\d+)/.exec(title)![1]), url: url!, port: port! };
  };
  const hubIn = (state: string): Locator =>
    page.locator(`[data-testid="topo-nats-hub"][data-state="${state}"]`);
  const spokesUp = async (): Promise<void> => {
    for (const id of ['n1', 'n2', 'n3'])
      await page.locator(`[data-testid="topo-nats-${id}"][data-state="up"]`).waitFor({ timeout: 60_000 });
  };

  it(
    'shows a killed nats-server restarting, then running on its port, and the panels sync again',
    async () => {
      await hubIn('up').waitFor({ timeout: 30_000 });
      expect(await page.getByTestId('topo-nats-hub-state').textContent()).toBe('local · running');
      const before = await hubServer();
      expect(await page.getByTestId('topo-nats-hub-detail').textContent()).toBe(`127.0.0.1:${before.port}`);

      process.kill(before.pid, 'SIGKILL');
      await hubIn('restarting').waitFor({ timeout: 15_000 });
      expect(await page.getByTestId('topo-nats-hub-state').textContent()).toBe('local · restarting 1/5');
      expect(await page.getByTestId('topo-nats-hub-detail').textContent()).toBe('NatsCrashed · SIGKILL');
      await shot('hub-restarting');

      await hubIn('up').waitFor({ timeout: 30_000 });
      const after = await hubServer();
      expect(after.url).toBe(before.url);
      expect(after.pid).not.toBe(before.pid);
      expect(await page.getByTestId('topo-nats-hub').getAttribute('title')).toContain(
        'last run ended by SIGKILL',
      );
      await spokesUp();
      await shot('hub-running-again');

      await go('LED panels');
      await toggleInSync(30_000);
      await shot('led-synced-after-restart');
      await go('Cluster');
      expect(pageErrors).toEqual([]);
    },
    STEP_MS * 2,
  );

  it(
    'moves a nats-server whose port another program took, and the nodes restart onto it',
    async () => {
      await hubIn('up').waitFor({ timeout: 30_000 });
      const before = await hubServer();
      process.kill(before.pid, 'SIGKILL');
      const holder = await holdPort(Number(before.port));
      try {
        await page
          .locator('[data-testid="topo-nats-hub"][data-state="restarting"]', {
            has: page.getByTestId('topo-nats-hub-detail').getByText('PortInUse · exit 1'),
          })
          .waitFor({ timeout: 15_000 });
        expect(await page.getByTestId('topo-nats-hub').getAttribute('title')).toMatch(
          /PortInUse: port \d+ is taken by another program/,
        );
        await shot('hub-port-taken');
        await hubIn('up').waitFor({ timeout: 30_000 });
        const moved = await hubServer();
        expect(moved.port).not.toBe(before.port);
        await expect
          .poll(() => page.getByTestId('node-nats-n1').textContent(), { timeout: 60_000 })
          .toMatch(new RegExp(`^NATS connected to 127\\.0\\.0\\.1:${moved.port} `));
        await spokesUp();
        await shot('hub-moved');

        await go('LED panels');
        for (const id of ['n1', 'n2'])
          await panel(id)
            .locator('[data-testid="panel-connection"][data-state="connected"]')
            .waitFor({ timeout: 30_000 });
        await toggleInSync(30_000);
        await shot('led-synced-after-move');
        await go('Cluster');
        expect(pageErrors).toEqual([]);
      } finally {
        await new Promise((r) => holder.close(r));
      }
    },
    STEP_MS * 2,
  );
});
