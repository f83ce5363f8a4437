import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { ProfileView } from '../../contract/hostContract.js';
import { clearScreenshots, launchBrowser, screenshot, type Browser } from '../helpers/browser.js';
import { FakeHost } from './fakeHost.js';
import { serveRenderer, type ServedRenderer } from './serveRenderer.js';

/*
 * The saved-profile list of the built page in Debian chromium, against an in-memory host: the empty
 * state without and with profiles, delete armed then confirmed, a taken name asked before replacing,
 * and the list from a running cluster's sidebar. The real store is tested in test/electron/host.
 */
const built = existsSync('dist/renderer/index.html');
const HOUR = 3_600_000;

function saved(): ProfileView[] {
  const now = Date.now();
  return [
    {
      name: 'local',
      kind: 'local',
      transport: 'mesh',
      tls: false,
      nodes: 3,
      lastUsedMs: now - 60_000,
      active: false,
    },
    {
      name: 'local-2',
      kind: 'local',
      transport: 'nats',
      tls: true,
      nodes: 2,
      lastUsedMs: now - 2 * HOUR,
      active: false,
    },
    {
      name: 'by-hand',
      kind: 'remote',
      transport: null,
      tls: true,
      nodes: 4,
      lastUsedMs: now - 26 * HOUR,
      active: false,
    },
  ];
}

describe('saved profiles in the renderer', () => {
  let host: FakeHost;
  let served: ServedRenderer;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    if (!built)
      throw new Error('dist/renderer is not built: run npx vite build --config renderer/vite.config.ts');
    await clearScreenshots('ui-profiles-');
    host = new FakeHost({ ticks: false });
    served = await serveRenderer(host);
    browser = await launchBrowser({ colorScheme: 'light' });
    page = await browser.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await served?.close();
    host?.close();
  });

  it('shows no profile list while none is saved, and offers the name local', async () => {
    await page.goto(served.url);
    await page.getByRole('heading', { name: 'No cluster yet' }).waitFor();
    expect(await page.getByRole('list', { name: 'Saved profiles' }).count()).toBe(0);
    expect(await page.getByLabel('Name', { exact: true }).getAttribute('placeholder')).toBe('local');
    await screenshot(page, 'ui-profiles-none');
  });

  it('lists several saved profiles with kind, transport, TLS, nodes and last use', async () => {
    host.profiles = saved();
    await page.goto(served.url);
    const list = page.getByRole('list', { name: 'Saved profiles' });
    await list.waitFor();
    expect(await list.getByRole('listitem').count()).toBe(3);
    const tls = page.getByTestId('profile-local-2');
    expect(await tls.textContent()).toMatch(/local-2.*NATS.*TLS.*2 nodes.*used 2h 00m ago/);
    expect(await page.getByTestId('profile-by-hand').textContent()).toMatch(/remote.*TLS.*4 nodes/);
    expect(await page.getByLabel('Name', { exact: true }).getAttribute('placeholder')).toBe('local-3');
    await screenshot(page, 'ui-profiles-several');
  });

  it('deletes a profile only on the second press', async () => {
    await page.getByRole('button', { name: 'Delete by-hand' }).click();
    const confirm = page.getByRole('button', { name: 'Delete with its token' });
    await confirm.waitFor();
    expect(host.calls.some((c) => c.cmd === 'deleteProfile')).toBe(false);
    await screenshot(page, 'ui-profiles-delete-armed');
    await confirm.click();
    await page.getByTestId('profile-by-hand').waitFor({ state: 'detached' });
    expect(host.calls.filter((c) => c.cmd === 'deleteProfile').map((c) => c.args)).toEqual([
      { name: 'by-hand' },
    ]);
    expect(await page.getByRole('list', { name: 'Saved profiles' }).getByRole('listitem').count()).toBe(2);
  });

  it('asks before a new local cluster replaces a saved profile of the same name', async () => {
    await page.getByLabel('Name', { exact: true }).fill('local');
    await page.getByRole('button', { name: 'New local cluster' }).click();
    await page.getByRole('alert').filter({ hasText: 'is saved already' }).waitFor();
    expect(host.calls.some((c) => c.cmd === 'createCluster')).toBe(false);
    await screenshot(page, 'ui-profiles-replace-ask');
    await page.getByRole('button', { name: 'Replace local' }).click();
    await page.getByTestId('node-card-n1').waitFor();
    expect(host.calls.find((c) => c.cmd === 'createCluster')?.args).toEqual({
      nodes: 3,
      profile: 'local',
      replace: true,
    });
    await host.call('destroyCluster', {});
  });

  it('asks before replacing a profile saved in the same file under another spelling', async () => {
    host.profiles = [...host.profiles, { ...saved()[2]!, name: 'lab_remote' }];
    await page.goto(served.url);
    await page.getByTestId('profile-lab_remote').waitFor();
    await page.getByLabel('Name', { exact: true }).fill('lab remote');
    await page.getByRole('button', { name: 'New local cluster' }).click();
    const ask = page.getByRole('alert').filter({ hasText: 'is saved already' });
    await ask.waitFor();
    expect(await ask.textContent()).toContain('A profile named lab_remote is saved already');
    expect(host.calls.filter((c) => c.cmd === 'createCluster')).toHaveLength(1);
    await screenshot(page, 'ui-profiles-replace-same-file');
    await page.getByRole('button', { name: 'Replace lab_remote' }).click();
    await page.getByTestId('node-card-n1').waitFor();
    expect(host.calls.filter((c) => c.cmd === 'createCluster').at(-1)?.args).toEqual({
      nodes: 3,
      profile: 'lab remote',
      replace: true,
    });
    await host.call('destroyCluster', {});
  });

  it('opens a saved profile, then lists it as running from the sidebar', async () => {
    await page.getByRole('button', { name: 'Open local-2' }).click();
    await page.getByTestId('node-card-n2').waitFor();
    expect(host.calls.filter((c) => c.cmd === 'openProfile').map((c) => c.args)).toEqual([
      { name: 'local-2' },
    ]);
    await page.getByText('Saved profiles', { exact: true }).click();
    const running = page.getByTestId('profile-local-2');
    await running.getByText('running').waitFor();
    expect(await running.getByRole('button').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Delete local', exact: true }).count()).toBe(1);
    expect(await page.getByRole('button', { name: /^Open / }).count()).toBe(0);
    await screenshot(page, 'ui-profiles-sidebar');
    expect(pageErrors).toEqual([]);
  });
});
