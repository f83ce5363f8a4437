import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useHostPage } from './fixture/hostPage.js';

/*
 * The certificate panel of a local TLS cluster, end to end: renewed from the UI with a name added,
 * the new fingerprint shown is the host's, the nodes restarted from the panel serve it, and a
 * client that dials a node by that name and trusts the CA file the panel names gets in.
 */

const STEP_MS = 90_000;
const NAME = 'smq-e2e.test';

/** Every name resolves to 127.0.0.1, as a device's DNS would resolve NAME to this machine. */
const toLoopback: LookupFunction = (_name, options, callback) => {
  if (options.all) callback(null, [{ address: '127.0.0.1', family: 4 }]);
  else callback(null, '127.0.0.1', 4);
};

/** The HTTP status of GET /health from the node dialled by NAME, verified with `ca`. */
function statusByName(port: number, ca: string): Promise<number> {
  return new Promise((resolve, reject) => {
    https
      .get(`https://${NAME}:${port}/health`, { ca, lookup: toLoopback, agent: false }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
      .on('error', reject);
  });
}

describe('the certificate of a local TLS cluster (browser mode, real host, real nodes)', () => {
  const host = useHostPage({
    shots: 'certificate',
    colorScheme: 'light',
    clipboard: true,
    timeoutMs: STEP_MS,
  });
  const { shot, pageErrors } = host;
  let page: Page;
  beforeAll(() => {
    page = host.page;
  });
  afterAll(() => expect(pageErrors).toEqual([]));

  const panel = () => page.getByTestId('certificate-panel');

  it(
    'renews with a name from the panel and shows the new fingerprint; restarted nodes serve it to clients dialling that name',
    async () => {
      await host.open();
      await page.getByRole('spinbutton', { name: 'Nodes' }).fill('2');
      await page.getByRole('checkbox', { name: 'TLS' }).check();
      await page.getByRole('button', { name: 'New local cluster' }).click();
      for (const id of ['n1', 'n2'])
        await page
          .locator(`[data-testid="node-state-${id}"]`, { hasText: 'up' })
          .waitFor({ timeout: 30_000 });

      await page.getByTestId('certificate-open').click();
      await panel().getByTestId('cert-node-n2').waitFor({ timeout: 15_000 });
      const before = await host.ops().call('certificateStatus', {});
      expect(await panel().getByTestId('cert-fingerprint-text').textContent()).toBe(
        before.certificate!.fingerprint256,
      );
      expect(await panel().getByTestId('cert-expiry').textContent()).toMatch(/ · 36\d days left$/);
      await panel().getByTestId('cert-ca-copy').click();
      await page.locator('[data-testid="cert-ca-copy"][data-copied]').waitFor();
      const caFile = await page.evaluate(() => navigator.clipboard.readText());
      expect(caFile).toBe(before.certificate!.caFile);
      const ca = await readFile(caFile, 'utf8');
      const { nodes } = await host.ops().call('snapshot', {});
      const port = nodes.find((n) => n.id === 'n2')!.port;
      // Negative control: the certificate the cluster started with does not name it.
      await expect(statusByName(port, ca)).rejects.toMatchObject({ code: 'ERR_TLS_CERT_ALTNAME_INVALID' });
      await shot('panel');

      await panel().getByTestId('cert-host-input').fill(NAME);
      await panel().getByTestId('cert-host-add').click();
      await panel().getByTestId('cert-renew').click();
      await panel().getByTestId('cert-renewed').waitFor({ timeout: 30_000 });
      const renewed = await host.ops().call('certificateStatus', {});
      expect(renewed.certificate!.fingerprint256).not.toBe(before.certificate!.fingerprint256);
      expect(renewed.certificate!.hosts).toContain(NAME);
      expect(await panel().getByTestId('cert-fingerprint-text').textContent()).toBe(
        renewed.certificate!.fingerprint256,
      );
      const restart = panel().getByTestId('cert-restart');
      await restart.waitFor({ timeout: 15_000 });
      expect(await restart.textContent()).toBe('Restart n1 and n2 one at a time');
      await shot('renewed');

      await restart.click();
      await restart.waitFor({ state: 'detached', timeout: 60_000 });
      for (const id of ['n1', 'n2'])
        await panel().locator(`[data-testid="cert-node-${id}"][data-current]`).waitFor({ timeout: 15_000 });
      expect(await statusByName(port, ca)).toBe(200);
      await shot('restarted');
    },
    STEP_MS * 2,
  );
});
