import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type {
  CertificateView,
  CommandArgs,
  CommandName,
  CommandResult,
} from '../../contract/hostContract.js';
import { clearScreenshots, launchBrowser, screenshot, type Browser } from '../helpers/browser.js';
import { waitFor } from '../helpers/waitFor.js';
import { FAKE_CA_FILE, FakeHost } from './fakeHost.js';
import { serveRenderer, type ServedRenderer } from './serveRenderer.js';

/*
 * The certificate panel of a local TLS cluster (built page in Debian chromium, against a fake
 * host): a valid certificate, one expiring soon, names checked before they are sent, a host error
 * shown inline, and a renewal whose running nodes serve the new certificate once restarted.
 */
const built = existsSync('dist/renderer/index.html');
const DAY_MS = 24 * 60 * 60 * 1000;

/** 32 bytes as browsers show a SHA-256 fingerprint, every byte `byte`. */
const fingerprint = (byte: string): string => Array.from({ length: 32 }, () => byte).join(':');

const FIRST: CertificateView = {
  certFile: '/home/ada/.config/smq-control-center/tls/cert.pem',
  keyFile: '/home/ada/.config/smq-control-center/tls/key.pem',
  caFile: FAKE_CA_FILE,
  hosts: ['127.0.0.1', 'localhost'],
  fingerprint256: fingerprint('AA'),
  notAfterMs: Date.now() + 200 * DAY_MS,
  caNotAfterMs: Date.now() + 3000 * DAY_MS,
};

/** FakeHost with the host's certificate commands: nodes serve what was on disk when they started. */
class CertificateHost extends FakeHost {
  /** Null: none on disk yet. */
  certificate: CertificateView | null = FIRST;
  private readonly served = new Map<string, string>();

  override async call<K extends CommandName>(cmd: K, args: CommandArgs<K>): Promise<CommandResult<K>> {
    const result = await super.call(cmd, args);
    return (this.certificateCall(cmd, args) ?? result) as CommandResult<K>;
  }

  private certificateCall(cmd: CommandName, args: unknown): unknown {
    const snapshot = (): Promise<CommandResult<'snapshot'>> => super.call('snapshot', {});
    switch (cmd) {
      case 'certificateStatus':
        return snapshot().then((s) => ({
          certificate: this.certificate,
          nodes: s.nodes
            .filter((n) => n.state === 'up')
            .map((n) => {
              const served = this.served.get(n.id) ?? this.certificate?.fingerprint256 ?? null;
              return {
                nodeId: n.id,
                fingerprint256: served,
                current: served === this.certificate?.fingerprint256,
              };
            }),
        }));
      case 'generateCertificate': {
        const { hosts = [] } = args as CommandArgs<'generateCertificate'>;
        return snapshot().then((s) => {
          const old = this.certificate ?? FIRST;
          for (const n of s.nodes) if (!this.served.has(n.id)) this.served.set(n.id, old.fingerprint256);
          this.certificate = {
            ...old,
            hosts: ['127.0.0.1', 'localhost', ...hosts],
            fingerprint256: fingerprint('BB'),
            notAfterMs: Date.now() + 365 * DAY_MS,
          };
          return this.certificate;
        });
      }
      case 'restartNode':
        if (this.certificate)
          this.served.set((args as CommandArgs<'restartNode'>).nodeId, this.certificate.fingerprint256);
        return undefined;
      default:
        return undefined;
    }
  }
}

describe('the certificate panel of a local TLS cluster', () => {
  let host: CertificateHost;
  let served: ServedRenderer;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    if (!built)
      throw new Error('dist/renderer is not built: run npx vite build --config renderer/vite.config.ts');
    await clearScreenshots('cert-panel-');
    host = new CertificateHost({ ticks: false });
    await host.call('createCluster', { nodes: 3, tls: true });
    served = await serveRenderer(host);
    browser = await launchBrowser({ colorScheme: 'light' });
    page = await browser.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(served.url);
    await page.getByTestId('node-card-n3').waitFor();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await served?.close();
    host?.close();
  });

  const panel = () => page.getByTestId('certificate-panel');

  async function reopen(): Promise<void> {
    if (await panel().count()) {
      await panel().getByRole('button', { name: 'Close' }).click();
      await panel().waitFor({ state: 'detached' });
    }
    await page.getByTestId('certificate-open').click();
    await panel().waitFor();
  }

  it('shows a valid certificate: hosts, fingerprint, expiry with days left, the CA file and its expiry', async () => {
    await reopen();
    await panel().getByTestId('cert-fingerprint-text').waitFor();
    expect(await panel().getByTestId('cert-hosts').textContent()).toBe('127.0.0.1localhost');
    expect(await panel().getByTestId('cert-fingerprint-text').textContent()).toBe(fingerprint('AA'));
    const expiry = panel().getByTestId('cert-expiry');
    expect(await expiry.textContent()).toMatch(/ · (199|200) days left$/);
    expect(await expiry.getAttribute('class')).toContain('cert-expiry-ok');
    expect(await panel().getByTestId('cert-ca-text').textContent()).toBe(FAKE_CA_FILE);
    expect(await panel().getByTestId('cert-ca-expiry').textContent()).toMatch(/ · (2999|3000) days left$/);
    for (const id of ['n1', 'n2', 'n3'])
      expect(await panel().getByTestId(`cert-node-${id}`).textContent()).toBe(`${id}serves this certificate`);
    expect(await panel().getByTestId('cert-restart').count()).toBe(0);
    await screenshot(page, 'cert-panel-valid');
  });

  it('marks a certificate with under 30 days left in warning style', async () => {
    host.certificate = { ...FIRST, notAfterMs: Date.now() + 12.5 * DAY_MS };
    await reopen();
    const expiry = panel().getByTestId('cert-expiry');
    await waitFor(async () => /12 days left/.test((await expiry.textContent()) ?? ''), {
      timeout: 10_000,
      what: '12 days left',
    });
    expect(await expiry.getAttribute('class')).toContain('cert-expiry-soon');
    expect(await panel().getByTestId('cert-badge').getAttribute('class')).toContain('cert-expiry-soon');
    await screenshot(page, 'cert-panel-expiring');
  });

  it('checks a host before sending it, and shows a host error inline with its code', async () => {
    const input = panel().getByTestId('cert-host-input');
    await input.fill('bad_name!');
    await panel().getByTestId('cert-host-add').click();
    expect(await panel().getByTestId('cert-host-problem').textContent()).toContain('is not a host name');
    expect(await input.getAttribute('aria-invalid')).toBe('true');
    await input.fill('203.0.113.9');
    await panel().getByTestId('cert-host-add').click();
    expect(await panel().getByTestId('cert-host-problem').count()).toBe(0);
    host.failNext.set('generateCertificate', {
      code: 'BadArguments',
      message: '203.0.113.9 is not an address of this machine (10.0.0.5, 127.0.0.1)',
    });
    await panel().getByTestId('cert-renew').click();
    const alert = panel().getByTestId('cert-renew-error');
    await alert.waitFor();
    expect(await alert.textContent()).toBe(
      'BadArguments203.0.113.9 is not an address of this machine (10.0.0.5, 127.0.0.1)',
    );
    expect(await panel().getByTestId('cert-fingerprint-text').textContent()).toBe(fingerprint('AA'));
    await screenshot(page, 'cert-panel-host-error');
    await panel().getByRole('button', { name: 'Remove 203.0.113.9' }).click();
    expect(await panel().getByTestId('cert-hosts').textContent()).toBe('127.0.0.1localhost');
  });

  it('renews with an added name, shows the new fingerprint, and restarts the nodes one at a time', async () => {
    await panel().getByTestId('cert-host-input').fill('SMQ.Example.lan');
    await panel().getByTestId('cert-host-input').press('Enter');
    expect(await panel().getByTestId('cert-hosts').textContent()).toBe(
      '127.0.0.1localhostsmq.example.lannew',
    );
    expect(await panel().getByTestId('cert-renew').textContent()).toBe('Renew with these hosts');
    await panel().getByTestId('cert-renew').click();
    await panel().getByTestId('cert-renewed').waitFor();
    expect(host.calls.filter((c) => c.cmd === 'generateCertificate').at(-1)!.args).toEqual({
      hosts: ['smq.example.lan'],
    });
    expect(await panel().getByTestId('cert-fingerprint-text').textContent()).toBe(fingerprint('BB'));
    expect(await panel().getByTestId('cert-renew-error').count()).toBe(0);
    expect(await panel().getByTestId('cert-hosts').textContent()).toBe('127.0.0.1localhostsmq.example.lan');
    const restart = panel().getByTestId('cert-restart');
    await restart.waitFor();
    expect(await restart.textContent()).toBe('Restart n1, n2 and n3 one at a time');
    expect(await panel().getByTestId('cert-node-n2').textContent()).toBe('n2serves the previous certificate');
    await screenshot(page, 'cert-panel-renewed');

    await restart.click();
    await restart.waitFor({ state: 'detached', timeout: 10_000 });
    expect(host.calls.filter((c) => c.cmd === 'restartNode').map((c) => c.args)).toEqual([
      { nodeId: 'n1' },
      { nodeId: 'n2' },
      { nodeId: 'n3' },
    ]);
    for (const id of ['n1', 'n2', 'n3'])
      expect(await panel().getByTestId(`cert-node-${id}`).textContent()).toBe(`${id}serves this certificate`);
    await screenshot(page, 'cert-panel-restarted');
  });

  it('says why it cannot read the certificate', async () => {
    host.failNext.set('certificateStatus', { code: 'Internal', message: 'EACCES: permission denied' });
    await reopen();
    const alert = panel().getByTestId('cert-load-error');
    await alert.waitFor();
    expect(await alert.textContent()).toBe('InternalEACCES: permission denied');
  });

  it('says when there is no certificate yet, and Create signs one', async () => {
    host.certificate = null;
    await reopen();
    await panel().getByTestId('cert-none').waitFor();
    expect(await panel().getByTestId('cert-fingerprint-text').count()).toBe(0);
    expect(await panel().getByTestId('cert-hosts').textContent()).toBe('127.0.0.1localhost');
    const create = panel().getByTestId('cert-renew');
    expect(await create.textContent()).toBe('Create certificate');
    await screenshot(page, 'cert-panel-none');
    await create.click();
    await panel().getByTestId('cert-fingerprint-text').waitFor();
    expect(host.calls.filter((c) => c.cmd === 'generateCertificate').at(-1)!.args).toEqual({ hosts: [] });
    expect(await panel().getByTestId('cert-none').count()).toBe(0);
    expect(await panel().getByTestId('cert-renew').textContent()).toBe('Renew');
    await screenshot(page, 'cert-panel-created');
    expect(pageErrors).toEqual([]);
  });
});
