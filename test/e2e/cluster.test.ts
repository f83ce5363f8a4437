import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useHostPage } from './fixture/hostPage.js';

/*
 * Issue #5, "What must show" 2: the REAL host in browser mode (ControlHost with nodes as child
 * processes, HostServer with the token cookie and CSP), driven through the built page in Debian
 * chromium. Everything is done from the UI; every assertion reads what the page shows.
 */

const STEP_MS = 60_000;

describe('control center in browser mode (real host, real nodes)', () => {
  const host = useHostPage({ shots: 'e2e', colorScheme: 'light', timeoutMs: STEP_MS });
  const { go, panel, shot, deviceNames, deviceNode, printed, pageErrors } = host;
  let page: Page;
  beforeAll(() => {
    page = host.page;
  });

  it('prints one URL line and serves the page to a browser that opens it', async () => {
    expect(printed).toHaveLength(1);
    const m = /^SMQ Control Center: (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)$/.exec(printed[0]!);
    expect(m).not.toBeNull();
    await page.goto(m![1]!);
    // The token was exchanged for a cookie: the address bar is clean.
    expect(page.url()).not.toContain('token=');
    await page.getByRole('heading', { name: 'No cluster yet' }).waitFor();
    await page.getByTestId('host-status').filter({ hasText: 'Host connected' }).waitFor();
    await shot('empty-state');
  });

  it(
    'creates a 3-node cluster from the UI',
    async () => {
      await page.getByRole('button', { name: 'New local cluster' }).click();
      for (const id of ['n1', 'n2', 'n3']) {
        await page
          .locator(`[data-testid="node-state-${id}"]`, { hasText: 'up' })
          .waitFor({ timeout: 30_000 });
      }
      for (const key of ['n1~n2', 'n1~n3', 'n2~n3']) {
        await page.locator(`[data-testid="topo-link-${key}"][data-state="up"]`).waitFor({ timeout: 30_000 });
      }
      // Heartbeats are a second apart: the first RTT can take a few seconds on a busy machine.
      await expect
        .poll(() => page.getByTestId('topo-link-n1~n2').textContent(), { timeout: 10_000 })
        .toMatch(/ms$/);
      await shot('cluster-created');
    },
    STEP_MS,
  );

  it(
    'adds 4 devices, spread over the nodes',
    async () => {
      await go('Devices');
      await page.getByText('No devices yet.').waitFor();
      const form = page.getByRole('form', { name: 'Add devices' });
      await form.getByLabel('Count').fill('4');
      await form.getByRole('button', { name: 'Add devices' }).click();
      await expect
        .poll(() => page.getByRole('table', { name: 'Devices' }).getByRole('row').count(), {
          timeout: 20_000,
        })
        .toBe(5);
      const names = await deviceNames();
      expect(names).toHaveLength(4);
      for (const n of names) await expect.poll(() => deviceNode(n), { timeout: 20_000 }).toMatch(/^n[123]$/);
      await shot('devices-added');
    },
    STEP_MS,
  );

  it(
    'opens two LED panels on two different nodes; both list every device',
    async () => {
      await go('LED panels');
      const form = page.getByRole('form', { name: 'Open LED panel' });
      for (const id of ['n1', 'n2']) {
        await form.getByLabel('Node').selectOption(id);
        await form.getByRole('button', { name: 'Open panel' }).click();
        await panel(id).waitFor();
      }
      // The page's CSP allowed only the nodes that existed when it loaded: the first panel may have
      // made it reload once (the panels are kept). Either way both panels end up online.
      for (const id of ['n1', 'n2']) {
        await panel(id)
          .locator('[data-testid="panel-connection"][data-state="connected"]')
          .waitFor({ timeout: 20_000 });
        await expect
          .poll(() => panel(id).getByTestId('panel-device-count').textContent(), { timeout: 20_000 })
          .toBe('4');
      }
      await shot('two-panels');
    },
    STEP_MS,
  );

  it(
    'clicks an LED in panel A (n1) and sees it change in panel B (n2)',
    async () => {
      const device = (await panel('n1')
        .locator('[data-testid^="panel-device-"] .led-device-name')
        .first()
        .textContent())!;
      const inA = panel('n1').getByTestId(`led-${device}-1`);
      const inB = panel('n2').getByTestId(`led-${device}-1`);
      const before = await inB.getAttribute('aria-pressed');
      expect(await inA.getAttribute('aria-pressed')).toBe(before);
      const after = before === 'true' ? 'false' : 'true';
      await inA.click();
      await expect.poll(() => inB.getAttribute('aria-pressed'), { timeout: 10_000 }).toBe(after);
      await expect.poll(() => inA.getAttribute('aria-pressed')).toBe(after);
      await shot('led-synced');
      // And the host's own view of the device (its snapshot) agrees.
      await go('Devices');
      await expect
        .poll(() =>
          page
            .getByTestId(`device-${device}`)
            .locator('xpath=..')
            .getByRole('img', { name: `LED 1 red ${after === 'true' ? 'on' : 'off'}` })
            .count(),
        )
        .toBe(1);
    },
    STEP_MS,
  );

  it(
    "sends [LED 1, on/off] from the composer to a device's ETID: the LED switches in every panel",
    async () => {
      await go('LED panels');
      const device = (await panel('n2')
        .locator('[data-testid^="panel-device-"] .led-device-name')
        .last()
        .textContent())!;
      const led = (nodeId: string): Promise<string | null> =>
        panel(nodeId).getByTestId(`led-${device}-1`).getAttribute('aria-pressed');
      const after = (await led('n1')) === 'true' ? 'false' : 'true';

      await go('Inspector');
      await page.getByRole('button', { name: 'Publish…' }).click();
      const form = page.getByRole('form', { name: 'Publish a message' });
      await form.getByRole('button', { name: 'One client (ETID)' }).click();
      const option = form.getByRole('combobox', { name: 'Client' }).locator('option', { hasText: device });
      await expect.poll(() => option.count(), { timeout: 10_000 }).toBe(1);
      await form
        .getByRole('combobox', { name: 'Client' })
        .selectOption((await option.getAttribute('value'))!);
      await form.getByRole('button', { name: 'Hex', exact: true }).click();
      await form
        .getByRole('textbox', { name: 'Payload', exact: true })
        .fill(after === 'true' ? '01 01' : '01 00');
      await form.getByRole('button', { name: 'Send', exact: true }).click();
      const sent = (await form.getByText(/sent 2 bytes to ETID/).textContent())!;
      // The command shows in the inspector like any other message, addressed to the device's ETID.
      const etid = /ETID (0x[0-9A-F]+)/.exec(sent)![1]!;
      await page
        .getByRole('grid', { name: 'Tapped messages' })
        .locator('.tap-row')
        .filter({ hasText: `ETID ${etid}` })
        .first()
        .waitFor({ timeout: 10_000 });
      await shot('composer-led-command');

      await go('LED panels');
      for (const id of ['n1', 'n2']) await expect.poll(() => led(id), { timeout: 10_000 }).toBe(after);
      await shot('composer-led-synced');
    },
    STEP_MS,
  );

  let killed = '';
  let moved: string[] = [];

  it(
    'kills a node from the UI: banner and topology show it, its devices reappear on survivors',
    async () => {
      // The node holding the most devices (a node with none would prove nothing).
      await go('Devices');
      const names = await deviceNames();
      const byNode = new Map<string, string[]>();
      for (const n of names) {
        const node = (await deviceNode(n))!;
        byNode.set(node, [...(byNode.get(node) ?? []), n]);
      }
      [killed, moved] = [...byNode].sort((a, b) => b[1].length - a[1].length || b[0].localeCompare(a[0]))[0]!;
      await go('Cluster');
      await page.getByTestId(`kill-${killed}`).click();
      const banner = page.getByTestId('cluster-banner');
      await banner.filter({ hasText: `${killed} (killed)` }).waitFor({ timeout: 15_000 });
      await page.locator(`[data-testid="topo-node-${killed}"][data-state="killed"]`).waitFor();
      for (const other of ['n1', 'n2', 'n3'].filter((n) => n !== killed)) {
        const key = [killed, other].sort().join('~');
        await expect
          .poll(() => page.getByTestId(`topo-link-${key}`).getAttribute('data-state'), { timeout: 15_000 })
          .not.toBe('up');
      }
      await shot(`node-${killed}-killed`);

      await go('Devices');
      const survivors = new RegExp(`^(?!${killed}$)n[123]$`);
      for (const n of moved) await expect.poll(() => deviceNode(n), { timeout: 30_000 }).toMatch(survivors);
      await shot('devices-on-survivors');

      // The panel(s) on surviving nodes list all 4 devices again; one on the dead node says so.
      await go('LED panels');
      for (const id of ['n1', 'n2'].filter((n) => n !== killed)) {
        await expect
          .poll(() => panel(id).getByTestId('panel-device-count').textContent(), { timeout: 30_000 })
          .toBe('4');
      }
      if (killed === 'n1' || killed === 'n2') {
        await panel(killed).getByText(`${killed} is killed`).waitFor();
      }
      await shot('panels-after-kill');
    },
    STEP_MS,
  );

  it(
    'restarts the killed node: it comes back up, links heal, the banner goes',
    async () => {
      await go('Cluster');
      await page.getByTestId(`start-${killed}`).click();
      await page
        .locator(`[data-testid="node-state-${killed}"]`, { hasText: 'up' })
        .waitFor({ timeout: 30_000 });
      for (const key of ['n1~n2', 'n1~n3', 'n2~n3']) {
        await page.locator(`[data-testid="topo-link-${key}"][data-state="up"]`).waitFor({ timeout: 30_000 });
      }
      await page.getByTestId('cluster-banner').waitFor({ state: 'detached' });
      await shot('node-restarted');
      await go('LED panels');
      for (const id of ['n1', 'n2']) {
        await panel(id)
          .locator('[data-testid="panel-connection"][data-state="connected"]')
          .waitFor({ timeout: 30_000 });
        await expect
          .poll(() => panel(id).getByTestId('panel-device-count').textContent(), { timeout: 30_000 })
          .toBe('4');
      }
      await shot('panels-after-restart');
    },
    STEP_MS,
  );

  it(
    "negative control: with panel B's node cut off, a click in panel A does not reach B; healing brings it back",
    async () => {
      // B is the panel on n2, or on n1 when every device sits on n2 (the kill can leave them so): a
      // device not on B's node can reach panel B only over the cluster links.
      await go('Devices');
      const placed: [string, string | null][] = [];
      for (const n of await deviceNames()) placed.push([n, await deviceNode(n)]);
      const b = placed.some(([, node]) => node !== 'n2') ? 'n2' : 'n1';
      const a = b === 'n2' ? 'n1' : 'n2';
      const device = placed.find(([, node]) => node !== b)?.[0] ?? '';
      expect(device).not.toBe('');
      const linksOfB = ['n1', 'n2', 'n3'].filter((n) => n !== b).map((n) => [n, b].sort());

      await go('Cluster');
      for (const [x, y] of linksOfB) await page.getByRole('button', { name: `Cut link ${x} ↔ ${y}` }).click();
      await page
        .getByTestId('cluster-banner')
        .filter({ hasText: 'Cluster partitioned' })
        .waitFor({ timeout: 15_000 });
      await page.locator(`[data-testid="topo-link-${linksOfB[0]!.join('~')}"][data-state="cut"]`).waitFor();
      await shot(`${b}-cut-off`);

      await go('LED panels');
      // B's node reports the device gone once its link to the device's node is lost.
      await panel(b).getByTestId(`panel-device-${device}`).waitFor({ state: 'detached', timeout: 15_000 });
      const inA = panel(a).getByTestId(`led-${device}-2`);
      const after = (await inA.getAttribute('aria-pressed')) === 'true' ? 'false' : 'true';
      await inA.click();
      await expect.poll(() => inA.getAttribute('aria-pressed'), { timeout: 10_000 }).toBe(after);
      // The device switched (A saw its broadcast); B, cut off, shows nothing of it.
      expect(await panel(b).getByTestId(`panel-device-${device}`).count()).toBe(0);
      await shot('partitioned-panels');

      await go('Cluster');
      for (const [x, y] of linksOfB)
        await page.getByRole('button', { name: `Restore link ${x} ↔ ${y}` }).click();
      await page.getByTestId('cluster-banner').waitFor({ state: 'detached', timeout: 15_000 });
      await go('LED panels');
      // Healed: B learns the device again (a new Hello), with the state A set while B was cut off.
      await expect
        .poll(() => panel(b).getByTestId(`led-${device}-2`).getAttribute('aria-pressed'), {
          timeout: 20_000,
        })
        .toBe(after);
      await expect
        .poll(() => panel(b).getByTestId('panel-device-count').textContent(), { timeout: 20_000 })
        .toBe('4');
      await shot('healed-panels');
    },
    STEP_MS,
  );

  it(
    'looks right in the dark theme too',
    async () => {
      await page.getByRole('button', { name: 'Switch to dark theme' }).click();
      await shot('panels-dark');
      await go('Cluster');
      await shot('cluster-dark');
      await go('Clients');
      await page
        .getByRole('button', { name: /^Disconnect client/ })
        .first()
        .waitFor({ timeout: 10_000 });
      await shot('clients-dark');
      await page.getByRole('button', { name: 'Switch to light theme' }).click();
    },
    STEP_MS,
  );

  it('had no uncaught page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
