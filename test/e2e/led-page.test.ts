import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { Cluster } from '../../broker/src/cluster/index.js';
import { LedDevice } from '../../broker/src/devices/LedDevice.js';
import { screenshot } from '../helpers/browser.js';
import { TEST_TIMING, waitForMesh, type ClusterMember } from '../helpers/startCluster.js';
import { startNode } from '../helpers/startNode.js';
import { waitFor } from '../helpers/waitFor.js';
import { useBrowser } from './fixture/hostPage.js';

/*
 * The LED page every node serves, in Debian chromium: two pages on two nodes, each its own SMQ
 * client of the node that served it, and a simulated LED device (raw TCP, like the C device) on one
 * node.
 */

const tabs = useBrowser({ shots: 'led-page', viewport: { width: 1100, height: 640 } });
let pageDir: string;
let members: ClusterMember[] = [];
let devices: LedDevice[] = [];
let pages: Page[] = [];

beforeAll(() => {
  // The page as the sources are now, never a stale broker/dist/page from an earlier build.
  pageDir = mkdtempSync(path.join(tmpdir(), 'led-page-e2e-'));
  const script = fileURLToPath(new URL('../../broker/scripts/build-page.mjs', import.meta.url));
  execFileSync(process.execPath, [script, '--out', pageDir], { stdio: 'inherit' });
}, 60_000);

afterAll(() => {
  if (pageDir) rmSync(pageDir, { recursive: true, force: true });
});

/** Two nodes serving the freshly built page; linked (B dials A) unless `link` is false. */
async function startPair(link: boolean): Promise<[ClusterMember, ClusterMember]> {
  const start = async (name: string, peers: string[]): Promise<ClusterMember> => {
    const n = await startNode({ name }, { pageDir });
    const cluster = new Cluster(n.node, n.server, { secret: 'test-secret', timing: TEST_TIMING, peers });
    const close = async (): Promise<void> => {
      cluster.close();
      await n.close();
    };
    const m = { ...n, cluster, url: `ws://127.0.0.1:${n.port}`, close };
    members.push(m);
    return m;
  };
  const a = await start('n0', []);
  const b = await start('n1', link ? [a.url] : []);
  if (link) await waitForMesh([a, b]);
  return [a, b];
}

afterEach(async () => {
  // Pages first: a page left open would keep reconnecting to the closed nodes.
  await Promise.all(pages.map((p) => p.close()));
  pages = [];
  for (const d of devices) d.kill();
  devices = [];
  await Promise.all(members.map((m) => m.close()));
  members = [];
});

function startDevice(m: ClusterMember, name: string): LedDevice {
  const d = new LedDevice({ urls: `http://127.0.0.1:${m.port}/smq.lsp`, name, temp: 215 });
  devices.push(d);
  return d;
}

async function openPage(m: ClusterMember, before?: (page: Page) => Promise<void>): Promise<Page> {
  const page = await tabs.newPage();
  pages.push(page);
  await before?.(page);
  await page.goto(`http://127.0.0.1:${m.port}/`);
  await page.locator('#conn[data-state="connected"]').waitFor({ timeout: 10_000 });
  return page;
}

const deviceItem = (page: Page, devname: string) => page.locator(`.device[data-devname="${devname}"]`);
const ledButton = (page: Page, ledId: number) => page.locator(`#leds .led[data-led-id="${ledId}"]`);
const pressed = (page: Page, ledId: number) => ledButton(page, ledId).getAttribute('aria-pressed');

describe('the LED page on every node', () => {
  it('an LED clicked on node A lights on node B, and a killed device leaves both pages', async () => {
    const [a, b] = await startPair(true);
    const device = startDevice(a, 'kitchen');
    const pageA = await openPage(a);
    const pageB = await openPage(b);
    expect(await pageA.locator('#node-name').textContent()).toBe('n0');
    expect(await pageB.locator('#node-name').textContent()).toBe('n1');

    for (const page of [pageA, pageB]) {
      await deviceItem(page, 'kitchen').waitFor({ timeout: 10_000 });
      await ledButton(page, 1).waitFor();
      expect(await pressed(page, 1)).toBe('false');
      expect(await page.locator('#dev-temp').textContent()).toBe('21.5 °C');
      expect(await page.locator('#dev-ip').textContent()).toBe(device.state.ipaddr);
    }
    await screenshot(pageA, 'led-page-1-node-A-device-shown');
    await screenshot(pageB, 'led-page-1-node-B-device-shown');

    await ledButton(pageA, 1).click();
    await waitFor(async () => (await pressed(pageB, 1)) === 'true', {
      what: 'LED 1 lit on the page of node B',
    });
    expect(device.state.leds.find((l) => l.id === 1)?.on).toBe(true);
    await waitFor(async () => (await pressed(pageA, 1)) === 'true', {
      what: 'LED 1 lit on the page of node A',
    });
    // Only the clicked LED changed, on both pages.
    for (const page of [pageA, pageB])
      for (const id of [2, 3, 4]) expect(await pressed(page, id)).toBe('false');
    await ledButton(pageB, 3).click();
    await waitFor(async () => (await pressed(pageA, 3)) === 'true', {
      what: 'LED 3 lit on the page of node A',
    });
    expect(device.state.leds.map((l) => l.on)).toEqual([true, false, true, false]);
    await pageB.mouse.move(0, 0);
    await screenshot(pageA, 'led-page-2-node-A-leds-1-3-on');
    await screenshot(pageB, 'led-page-2-node-B-leds-1-3-on');
    await pageB.emulateMedia({ colorScheme: 'dark' });
    await screenshot(pageB, 'led-page-2-node-B-leds-1-3-on-dark');

    device.kill();
    for (const page of [pageA, pageB]) {
      await deviceItem(page, 'kitchen').waitFor({ state: 'detached', timeout: 10_000 });
      expect(await page.locator('#device-panel').isHidden()).toBe(true);
      expect(await page.locator('#no-devices').isVisible()).toBe(true);
    }
    await screenshot(pageA, 'led-page-3-node-A-device-gone');
    await screenshot(pageB, 'led-page-3-node-B-device-gone');
  }, 60_000);

  it('shows the LED state the device reports, never the click itself', async () => {
    const [a, b] = await startPair(true);
    const device = startDevice(a, 'kitchen');
    // Page A's SMQ WebSocket runs through the test, which can drop what the page sends.
    let dropFromA = false;
    const pageA = await openPage(a, (page) =>
      page.routeWebSocket(/\/smq\.lsp$/, (ws) => {
        const server = ws.connectToServer();
        ws.onMessage((m) => (dropFromA ? undefined : server.send(m)));
        server.onMessage((m) => ws.send(m));
      }),
    );
    const pageB = await openPage(b);
    for (const page of [pageA, pageB]) await ledButton(page, 1).waitFor({ timeout: 10_000 });

    dropFromA = true;
    await ledButton(pageA, 2).click();
    expect(await pressed(pageA, 2)).toBe('false');
    // The positive signal: a command from B reaches the device, and its broadcast reaches A.
    await ledButton(pageB, 4).click();
    await waitFor(async () => (await pressed(pageA, 4)) === 'true', { what: 'LED 4 lit on page A' });
    expect(await pressed(pageA, 2)).toBe('false');
    expect(device.state.leds.map((l) => l.on)).toEqual([false, false, false, true]);
    await screenshot(pageA, 'led-page-5-node-A-command-lost');

    dropFromA = false;
    await ledButton(pageA, 2).click();
    await waitFor(async () => (await pressed(pageB, 2)) === 'true', { what: 'LED 2 lit on page B' });
    expect(device.state.leds.map((l) => l.on)).toEqual([false, true, false, true]);
  }, 60_000);

  it('negative control: with the nodes unlinked, the page on B never sees the device on A', async () => {
    const [a, b] = await startPair(false);
    startDevice(a, 'kitchen');
    const pageA = await openPage(a);
    const pageB = await openPage(b);
    await deviceItem(pageA, 'kitchen').waitFor({ timeout: 10_000 });
    // The positive signal: a device that connected to B after 'kitchen' reached A reaches B's page.
    startDevice(b, 'porch');
    await deviceItem(pageB, 'porch').waitFor({ timeout: 10_000 });
    // A fresh page on B says Hello again: porch answers it; kitchen, linked, would too.
    await pageB.reload();
    await deviceItem(pageB, 'porch').waitFor({ timeout: 10_000 });
    expect(await deviceItem(pageB, 'kitchen').count()).toBe(0);
    expect(await deviceItem(pageA, 'porch').count()).toBe(0);
    expect(await pageB.locator('#device-count').textContent()).toBe('1');
    await screenshot(pageA, 'led-page-4-unlinked-node-A');
    await screenshot(pageB, 'led-page-4-unlinked-node-B');
  }, 60_000);
});
