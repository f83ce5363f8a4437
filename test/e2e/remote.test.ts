import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import type { HostConnection } from '../../electron/host/control/HostConnection.js';
import { Child } from '../helpers/ChildProcess.js';
import {
  ADMIN_TOKEN,
  answers,
  spawnRemoteCluster,
  type RemoteNode,
} from '../electron/helpers/remoteNodes.js';
import { useHostPage } from './fixture/hostPage.js';

/*
 * Issue #11, "Remote clusters": three smq-node processes the test starts itself (each on its own
 * 127/8 address, none on the host's 127.0.0.1), and the real host in browser mode attached to
 * them from the UI. LED panels are SMQ clients of the remote nodes, allowed by the page's CSP.
 */

const STEP_MS = 60_000;

describe('attach the control center to a remote cluster (browser mode, real nodes)', () => {
  let remote: RemoteNode[];
  // The remote nodes start before the host and are killed after it.
  beforeAll(async () => {
    remote = await spawnRemoteCluster(['alpha', 'beta', 'gamma']);
  }, STEP_MS);
  afterAll(() => Child.killAll(), STEP_MS);

  const host = useHostPage({ shots: 'remote', colorScheme: 'light', timeoutMs: STEP_MS });
  const { go, panel, shot, pageErrors } = host;
  let ops: HostConnection;
  let page: Page;
  const attachForm = (): Locator => page.getByRole('form', { name: 'Remote cluster' });

  beforeAll(async () => {
    page = host.page;
    ops = host.ops();
    await host.open();
    await page.getByRole('heading', { name: 'No cluster yet' }).waitFor();
  }, STEP_MS);

  it('shows a wrong admin token refused inline, with its code', async () => {
    await attachForm()
      .getByLabel('Node URLs')
      .fill(remote.map((r) => `ws://${r.address}:${r.port}/smq.lsp`).join('\n'));
    await attachForm().getByLabel('Admin token').fill('not-the-admin-token-000');
    await shot('empty-state');
    await attachForm().getByRole('button', { name: 'Attach to a cluster' }).click();
    const error = page.getByTestId('attach-error');
    await error.waitFor();
    expect(await error.textContent()).toMatch(/^Unauthorized .*refused the admin token/);
    expect(await page.getByRole('heading', { name: 'No cluster yet' }).count()).toBe(1);
    await shot('wrong-token');
  });

  it(
    'attaches with the right token: a remote badge, the nodes up and linked, no process actions',
    async () => {
      await attachForm().getByLabel('Admin token').fill(ADMIN_TOKEN);
      await attachForm().getByLabel('Profile name').fill('lab');
      await attachForm().getByRole('button', { name: 'Attach to a cluster' }).click();
      expect(await page.getByTestId('cluster-remote').textContent()).toBe('remote · lab');
      for (const r of remote) {
        await page.locator(`[data-testid="node-state-${r.name}"]`, { hasText: 'up' }).waitFor();
        expect(await page.getByTestId(`node-card-${r.name}`).textContent()).toContain(
          `${r.address}:${r.port}`,
        );
      }
      for (const key of ['alpha~beta', 'alpha~gamma', 'beta~gamma'])
        await page.locator(`[data-testid="topo-link-${key}"][data-state="up"]`).waitFor({ timeout: 20_000 });
      // What needs a local process is not offered; links can still be cut; "Destroy" reads "Detach".
      expect(await page.getByTestId('kill-alpha').count()).toBe(0);
      expect(await page.getByTestId('add-node').count()).toBe(0);
      expect(await page.getByTestId('node-remote-alpha').count()).toBe(1);
      expect(await page.getByRole('button', { name: 'Cut link alpha ↔ beta' }).count()).toBe(1);
      expect(await page.getByRole('button', { name: 'Destroy cluster' }).count()).toBe(0);
      await page.getByRole('button', { name: 'Detach' }).waitFor();
      await expect.poll(() => page.getByTestId('topo-link-alpha~beta').textContent()).toMatch(/ms$/);
      await shot('attached');
    },
    STEP_MS,
  );

  it(
    'opens LED panels on two remote nodes; a click in one switches the LED in both',
    async () => {
      // The devices are the host's simulated ones, on the remote nodes' raw-TCP URLs.
      await go('Devices');
      const form = page.getByRole('form', { name: 'Add devices' });
      await form.getByLabel('Count').fill('3');
      await form.getByRole('button', { name: 'Add devices' }).click();
      await expect
        .poll(async () => (await ops.call('snapshot', {})).devices.filter((d) => d.connected).length, {
          timeout: 20_000,
        })
        .toBe(3);
      await go('LED panels');
      const open = page.getByRole('form', { name: 'Open LED panel' });
      for (const id of ['alpha', 'gamma']) {
        await open.getByLabel('Node').selectOption(id);
        await open.getByRole('button', { name: 'Open panel' }).click();
        await panel(id).waitFor();
      }
      // The page loaded before the attach, under a CSP without these nodes: the guard reloads it
      // once per node, then the panels connect to the remote nodes' own addresses.
      for (const id of ['alpha', 'gamma']) {
        await panel(id)
          .locator('[data-testid="panel-connection"][data-state="connected"]')
          .waitFor({ timeout: 20_000 });
        await expect
          .poll(() => panel(id).getByTestId('panel-device-count').textContent(), { timeout: 20_000 })
          .toBe('3');
      }
      expect(await panel('alpha').textContent()).toContain(`ws://${remote[0]!.address}:${remote[0]!.port}`);
      const device = (await panel('alpha')
        .locator('[data-testid^="panel-device-"] .led-device-name')
        .first()
        .textContent())!;
      const inA = panel('alpha').getByTestId(`led-${device}-1`);
      const inC = panel('gamma').getByTestId(`led-${device}-1`);
      const after = (await inC.getAttribute('aria-pressed')) === 'true' ? 'false' : 'true';
      await inA.click();
      await expect.poll(() => inC.getAttribute('aria-pressed'), { timeout: 10_000 }).toBe(after);
      await expect.poll(() => inA.getAttribute('aria-pressed')).toBe(after);
      await shot('led-panels');
      expect(host.mode.server.csp()).toContain(`ws://${remote[2]!.address}:${remote[2]!.port}`);
    },
    STEP_MS,
  );

  it('shows the remote nodes’ traffic in the inspector', async () => {
    await go('Inspector');
    await expect
      .poll(() => page.getByRole('grid', { name: 'Tapped messages' }).locator('.tap-row').count(), {
        timeout: 20_000,
      })
      .toBeGreaterThan(0);
    await shot('inspector');
  });

  it('shows a remote node that stops answering as unreachable, with no Start to offer', async () => {
    await go('Cluster');
    const beta = remote[1]!;
    beta.child.kill('SIGKILL');
    await page.locator('[data-testid="node-state-beta"]', { hasText: 'unreachable' }).waitFor();
    const banner = page.getByTestId('cluster-banner');
    await banner.waitFor();
    expect(await banner.textContent()).toContain('Node beta (unreachable) is down');
    expect(await banner.textContent()).toContain('as soon as it answers');
    expect(await page.getByTestId('node-card-beta').textContent()).toContain('NodeUnreachable');
    expect(await page.getByTestId('start-beta').count()).toBe(0);
    await page.locator('[data-testid="topo-link-alpha~beta"][data-state="down"]').waitFor();
    // The topology's action strip for a remote node offers no Start, Stop, Restart or Kill either.
    await page.getByTestId('topo-node-beta').click();
    const strip = page.getByTestId('topo-actions');
    await strip.getByRole('button', { name: 'Show card' }).waitFor();
    expect(await strip.getByRole('button', { name: /^(Start|Stop|Restart|Kill)/ }).count()).toBe(0);
    await shot('unreachable');
  });

  it('detaches: the empty state comes back, and the nodes run on', async () => {
    await go('Cluster');
    await page.getByRole('button', { name: 'Detach' }).click();
    await page.getByRole('button', { name: 'Stop watching? The nodes run on.' }).click();
    await page.getByRole('heading', { name: 'No cluster yet' }).waitFor();
    for (const r of [remote[0]!, remote[2]!]) {
      expect(r.child.exited, r.name).toBe(false);
      expect(await answers(r), r.name).toBe(true);
    }
    expect(host.mode.host.nodeOrigins()).toEqual([]);
    await shot('detached');
    expect(pageErrors).toEqual([]);
  });
});
