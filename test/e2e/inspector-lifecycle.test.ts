import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { runBrowserMode, type BrowserMode } from '../../electron/host/browserMode.js';
import type { HostConnection } from '../../electron/host/control/HostConnection.js';
import { etidHex, type ClusterSnapshot } from '../../contract/hostContract.js';
import { connectClient, type SmqClient } from '../../broker/src/index.js';
import { clearScreenshots, launchBrowser, screenshot, type Browser } from '../helpers/browser.js';
import { waitFor } from '../helpers/waitFor.js';

/*
 * Issue #11, "What must show": lifecycle events in the inspector for a connect, a subscribe and a
 * node kill. The real host in browser mode with a 3-node local cluster, Debian chromium: chips
 * turned on, a client's connect (with its info) and subscribe rows, a display on another node
 * observing it, then n2 killed: its node-stop row, the survivors' link-down rows, and the Change
 * n1 sends the display. Then, with no Inspector open, n3 killed from the Cluster view of a fresh
 * browser: the Inspector opened afterwards offers the rows the host kept meanwhile.
 */

const RENDERER = path.resolve('dist/renderer');

/** Today's time in ms of the HH:MM:SS.mmm a row starts with (the list shows local time). */
function clockMs(rowText: string): number {
  const [h, m, s, ms] = /^(\d\d):(\d\d):(\d\d)\.(\d{3})/.exec(rowText)!.slice(1).map(Number);
  return new Date().setHours(h!, m!, s!, ms!);
}
const STEP_MS = 60_000;

describe('lifecycle events in the inspector (real host, 3 real nodes)', () => {
  let mode: BrowserMode;
  let ops: HostConnection;
  let browser: Browser;
  let page: Page;
  let dataDir: string;
  let snap: ClusterSnapshot;
  const clients: SmqClient[] = [];
  /** The lamp's ETID, as the display on n1 observes it. */
  let lampEtid = 0;

  const rows = (): Locator => page.getByRole('grid', { name: 'Tapped messages' }).locator('.tap-row');
  const chip = (name: string): Locator =>
    page.getByRole('group', { name: 'Show', exact: true }).getByRole('button', { name, exact: true });
  const detail = (): Locator => page.getByRole('complementary', { name: 'Message detail' });
  const wsUrl = (id: string): string => snap.nodes.find((n) => n.id === id)!.wsUrl;
  const client = (id: string, info: string): SmqClient => {
    const c = connectClient(wsUrl(id), { info, reconnect: false });
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    if (!existsSync(path.join(RENDERER, 'index.html')))
      throw new Error('dist/renderer is not built: npm run build');
    await clearScreenshots('inspector-lifecycle-');
    dataDir = await mkdtemp(path.join(tmpdir(), 'smq-cc-lifecycle-e2e-'));
    mode = await runBrowserMode({
      dataDir,
      port: 0,
      rendererDir: RENDERER,
      print: () => {},
      warn: () => {},
    });
    ops = mode.host.connect();
    snap = await ops.call('createCluster', { nodes: 3 });
    await waitFor(
      async () => (await ops.call('snapshot', {})).links.filter((l) => l.state === 'up').length === 3,
      { timeout: 30_000, what: 'the mesh up' },
    );
    browser = await launchBrowser({ colorScheme: 'dark' });
    page = await browser.newPage();
    await page.goto(mode.address.launchUrl);
    await page
      .getByRole('navigation', { name: 'Views' })
      .getByRole('link', { name: /^Inspector/ })
      .click();
    await rows()
      .or(page.getByText(/0 tapped/))
      .first()
      .waitFor();
  }, STEP_MS);

  afterAll(async () => {
    for (const c of clients) c.disconnect();
    ops?.close();
    await browser?.close().catch(() => undefined);
    await mode?.close().catch(() => undefined);
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  }, STEP_MS);

  it(
    'shows publishes only by default; the Connects and Subscribes chips bring a connect with its info and a subscribe',
    async () => {
      expect(await chip('Publishes').getAttribute('aria-pressed')).toBe('true');
      for (const name of ['Connects', 'Subscribes', 'Links down', 'Node stops'])
        expect(await chip(name).getAttribute('aria-pressed'), name).toBe('false');

      const lamp = client('n2', 'lamp-e2e');
      await lamp.subscribe('/e2e/lifecycle', { onmsg: () => undefined });
      // A publish after the connect and subscribe: once it shows, they were tapped too.
      lamp.publish('after the connect', '/e2e/lifecycle');
      await rows().filter({ hasText: '/e2e/lifecycle' }).first().waitFor({ timeout: 15_000 });
      expect(await rows().filter({ hasText: 'lamp-e2e' }).count()).toBe(0);
      expect(await rows().filter({ hasText: 'subscribe' }).count()).toBe(0);

      for (const name of ['Connects', 'Subscribes', 'Links down', 'Node stops']) await chip(name).click();
      // The host resends the ring's matching rows for the new filter: the earlier connect included.
      const connect = rows().filter({ hasText: 'lamp-e2e' });
      await connect.first().waitFor({ timeout: 10_000 });
      expect(await connect.first().textContent()).toMatch(/n2connect.*"lamp-e2e" · ws from 127\.0\.0\.1/);
      const subscribe = rows().filter({ hasText: 'subscribe' }).filter({ hasText: '/e2e/lifecycle' });
      await subscribe.first().waitFor({ timeout: 10_000 });
      expect(await subscribe.first().textContent()).toMatch(
        /n2subscribe\/e2e\/lifecycle.*1 subscriber here now/,
      );
      await screenshot(page, 'inspector-lifecycle-01-connect-subscribe');

      await connect.first().click();
      await expect.poll(() => detail().textContent()).toContain('lamp-e2e');
      expect(await detail().locator('dt').allTextContents()).toEqual([
        'Time',
        'Node',
        'Event',
        'Client',
        'Info',
        'Detail',
      ]);
      await screenshot(page, 'inspector-lifecycle-02-connect-detail');
    },
    STEP_MS,
  );

  it(
    'shows a display on n1 observing the lamp’s ETID on n2',
    async () => {
      await chip('Observes').click();
      await chip('Changes').click();
      const lamp = clients[0]!;
      const display = client('n1', 'display-e2e');
      await display.subscribe('/e2e/display', { onmsg: () => undefined });
      lampEtid = lamp.gettid();
      const etid = etidHex(lampEtid);
      // n1 learns the lamp's ETID over the link; until then an Observe is answered "unknown".
      const observed = rows()
        .filter({ hasText: 'observe' })
        .filter({ hasText: `ETID ${etid}` })
        .filter({ hasText: 'on n2' });
      await waitFor(
        async () => {
          display.observe(lampEtid, () => undefined);
          return (await observed.count()) > 0;
        },
        { timeout: 15_000, what: 'the observe row' },
      );
      expect(await observed.first().textContent()).toMatch(/^[\d:.]+n1/);
    },
    STEP_MS,
  );

  it(
    'shows a killed node’s node-stop row and the link-down rows of both survivors',
    async () => {
      // The mesh forming kept its own link rows (a duplicate link closed, say): only the new ones count.
      const down = rows().filter({ hasText: 'link down' });
      const before = await down.count();
      await ops.call('killNode', { nodeId: 'n2' });
      const stop = rows().filter({ hasText: 'node stop' });
      await stop.first().waitFor({ timeout: 15_000 });
      expect(await stop.first().textContent()).toMatch(/n2node stop.*Killed · SIGKILL from the host/);
      await expect.poll(() => down.count(), { timeout: 15_000 }).toBe(before + 2);
      const texts = (await down.allTextContents()).slice(before);
      for (const survivor of ['n1', 'n3'])
        expect(
          texts.some((t) => new RegExp(`${survivor}link down↔ n2.*TransportClosed`).test(t)),
          survivor,
        ).toBe(true);
      // n1 tells the display that the lamp is gone.
      const gone = rows()
        .filter({ hasText: 'Change' })
        .filter({ hasText: `ETID ${etidHex(lampEtid)}: gone (0)` });
      await gone.first().waitFor({ timeout: 15_000 });
      expect(await gone.first().textContent()).toMatch(/^[\d:.]+n1/);
      // The killed node's client was closed with it: no close row was asked for, none shows.
      expect(await rows().filter({ hasText: 'ClientClosed' }).count()).toBe(0);
      await screenshot(page, 'inspector-lifecycle-03-node-killed');

      await gone.first().click();
      await expect.poll(() => detail().textContent()).toContain('Change sent');
      await screenshot(page, 'inspector-lifecycle-04-change-detail');

      await stop.first().click();
      await expect.poll(() => detail().locator('h3').textContent()).toBe('node stop');
      expect(await detail().textContent()).toContain('Killed');
      await screenshot(page, 'inspector-lifecycle-05-node-stop-detail');
    },
    STEP_MS,
  );

  it(
    'keeps what happened while no Inspector was open: n3 killed from the Cluster view shows once it opens',
    async () => {
      // A fresh browser: no Inspector open anywhere, and the default filter (publishes only).
      await browser.close();
      await waitFor(() => ops.tapState().scope === 'lifecycle', { what: 'the taps back to lifecycle-only' });
      browser = await launchBrowser({ colorScheme: 'dark' });
      page = await browser.newPage();
      await page.goto(mode.address.launchUrl);
      const nav = page.getByRole('navigation', { name: 'Views' });
      await nav.getByRole('link', { name: /^Cluster/ }).click();
      const killedAt = Date.now();
      await page.getByTestId('kill-n3').click();
      await page
        .getByTestId('cluster-banner')
        .filter({ hasText: 'n3 (killed)' })
        .waitFor({ timeout: 15_000 });
      await expect
        .poll(() => page.getByTestId('topo-link-n1~n3').getAttribute('data-state'), { timeout: 15_000 })
        .not.toBe('up');
      expect(ops.tapState().scope).toBe('lifecycle');
      await screenshot(page, 'inspector-lifecycle-06-n3-killed-from-cluster');

      await nav.getByRole('link', { name: /^Inspector/ }).click();
      const hint = page.getByRole('status').filter({ hasText: 'from before you opened the Inspector' });
      await hint.waitFor({ timeout: 15_000 });
      expect(await hint.textContent()).toMatch(/^\d+ lifecycle events from before you opened the Inspector/);
      expect(await chip('Publishes').getAttribute('aria-pressed')).toBe('true');
      expect(await chip('Node stops').getAttribute('aria-pressed')).toBe('false');
      await screenshot(page, 'inspector-lifecycle-07-kept-hint');

      await hint.getByRole('button', { name: 'Show all kinds' }).click();
      await hint.waitFor({ state: 'detached' });
      expect(await chip('Node stops').getAttribute('aria-pressed')).toBe('true');
      const stop = rows().filter({ hasText: 'node stop' }).filter({ hasText: 'n3' });
      await stop.first().waitFor({ timeout: 10_000 });
      expect(await stop.first().textContent()).toMatch(/n3node stop.*Killed · SIGKILL from the host/);
      // n2 is down already: n1 is the one survivor that saw its link to n3 go, and its lifecycle-only
      // tap sent the row while nobody watched (an n1–n3 row from the mesh forming would be older).
      const down = rows().filter({ hasText: /n1link down↔ n3/ });
      await down.last().waitFor({ timeout: 10_000 });
      const last = (await down.last().textContent())!;
      expect(last).toMatch(/n1link down↔ n3.*TransportClosed/);
      expect(clockMs(last)).toBeGreaterThanOrEqual(killedAt);
      await screenshot(page, 'inspector-lifecycle-08-kept-rows');
    },
    STEP_MS,
  );
});
