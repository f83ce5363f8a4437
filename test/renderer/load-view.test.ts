import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { LoadSpec } from '../../contract/hostContract.js';
import { clearScreenshots, launchBrowser, screenshot, type Browser } from '../helpers/browser.js';
import { waitFor } from '../helpers/waitFor.js';
import { FakeHost } from './fakeHost.js';
import { serveRenderer, type ServedRenderer } from './serveRenderer.js';

/*
 * The Load view (built page, Debian chromium, host CSP) against the in-memory host: the form's
 * defaults and validation, what it asks the host for, live progress, the result, host errors.
 * The real host and nodes run load from the UI in test/e2e/load.test.ts.
 */
const built = existsSync('dist/renderer/index.html');

describe('Load view against a fake host', () => {
  let host: FakeHost;
  let served: ServedRenderer;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  const form = () => page.getByRole('form', { name: 'New load run' });
  const startCalls = (): LoadSpec[] =>
    host.calls.filter((c) => c.cmd === 'startLoad').map((c) => c.args as LoadSpec);

  beforeAll(async () => {
    if (!built)
      throw new Error('dist/renderer is not built: run npx vite build --config renderer/vite.config.ts');
    await clearScreenshots('renderer-load-');
    host = new FakeHost();
    served = await serveRenderer(host);
    browser = await launchBrowser({ colorScheme: 'light' });
    page = await browser.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(served.url);
    await page.getByRole('button', { name: 'New local cluster' }).click();
    await page.getByTestId('node-card-n3').waitFor();
    await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: /^Load/ }).click();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await served?.close();
    host?.close();
  });

  it('opens with sensible defaults over every node that is up, and an empty list that says what to do', async () => {
    await page.getByText('No load runs yet.').waitFor();
    for (const id of ['n1', 'n2', 'n3'])
      expect(await form().getByLabel(id, { exact: true }).isChecked()).toBe(true);
    expect(await form().getByLabel('Publishers').inputValue()).toBe('2');
    expect(await form().getByLabel('Subscribers').inputValue()).toBe('10');
    expect(await form().getByLabel('Rate per publisher').inputValue()).toBe('1000');
    expect(await form().getByLabel('Payload').inputValue()).toBe('64');
    expect(await form().getByLabel('Duration').inputValue()).toBe('10');
    expect(await page.locator('.load-summary').textContent()).toMatch(/20,000\sdeliveries\/s expected/);
    await screenshot(page, 'renderer-load-empty-light');
  });

  it('validates: a bad field says why, is marked invalid, takes focus, and nothing goes to the host', async () => {
    await form().getByLabel('Payload').fill('4');
    await form().getByLabel('Publishers').fill('');
    const payload = form().getByLabel('Payload');
    expect(await payload.getAttribute('aria-invalid')).toBe('true');
    const errorId = await payload.getAttribute('aria-describedby');
    expect(await page.locator(`#${errorId}`).textContent()).toMatch(/16 to 65,520 bytes/);
    for (const id of ['n1', 'n2', 'n3']) await form().getByLabel(id, { exact: true }).uncheck();
    await form().getByRole('button', { name: 'Start load run' }).click();
    await expect.poll(() => page.getByText('Choose at least one node that is up.').count()).toBe(1);
    // Focus goes to the first field to fix: the nodes.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('load-node-n1');
    expect(await form().getByLabel('Publishers').getAttribute('aria-invalid')).toBe('true');
    await screenshot(page, 'renderer-load-invalid-light');
    expect(startCalls()).toEqual([]);
  });

  it('starts a run with the keyboard: the spec the host gets, live progress, then the result', async () => {
    // Keyboard only: Space checks a node, typing fills the fields, Enter submits.
    await form().getByLabel('n1', { exact: true }).focus();
    await page.keyboard.press('Space');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space');
    await form().getByLabel('Publishers').fill('3');
    await form().getByLabel('Payload').fill('128');
    await form().getByLabel('Duration').fill('2');
    await form().getByLabel('Duration').press('Enter');
    await waitFor(() => startCalls().length === 1, { what: 'startLoad' });
    expect(startCalls()[0]).toEqual({
      nodeIds: ['n1', 'n2'],
      publishers: 3,
      subscribers: 10,
      rate: 1000,
      payloadBytes: 128,
      durationMs: 2000,
    });
    const run = page.getByTestId('load-run-load1');
    await run.locator('[data-testid="load-progress-load1"][data-phase="sending"]').waitFor();
    expect(await run.getAttribute('data-state')).toBe('running');
    expect(await form().getByRole('button', { name: 'Start load run' }).isDisabled()).toBe(true);
    await expect
      .poll(async () => Number((await page.getByTestId('load-sent-load1').textContent())!.replace(/,/g, '')))
      .toBeGreaterThan(0);
    await screenshot(page, 'renderer-load-running-light');
    await page.locator('[data-testid="load-run-load1"][data-state="done"]').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('load-sent-load1').textContent()).toBe('6,000');
    expect(await page.getByTestId('load-received-load1').textContent()).toBe('60,000');
    expect(await page.getByTestId('load-lost-load1').textContent()).toBe('0');
    expect(await page.getByTestId('load-rate-load1').textContent()).toBe('30.0k msg/s');
    expect(await page.getByTestId('load-p50-load1').textContent()).toBe('0.84 ms');
    expect(await page.getByTestId('load-p99-load1').textContent()).toBe('3.2 ms');
    expect(await form().getByRole('button', { name: 'Start load run' }).isEnabled()).toBe(true);
    await screenshot(page, 'renderer-load-done-light');
  });

  it('shows the host’s refusal (NodeNotUp) in the form, and lists failed and past runs', async () => {
    host.failNext.set('startLoad', { code: 'NodeNotUp', message: 'n2 is killed' });
    await form().getByRole('button', { name: 'Start load run' }).click();
    const alert = page.getByTestId('load-host-error');
    await alert.waitFor();
    expect(await alert.getAttribute('role')).toBe('alert');
    expect(await alert.textContent()).toBe('NodeNotUp n2 is killed');
    await screenshot(page, 'renderer-load-host-error-light');
    // A second run goes through; the list keeps both, newest first.
    await form().getByLabel('Duration').fill('1');
    expect(await alert.count()).toBe(0); // editing the form clears the old refusal
    await form().getByRole('button', { name: 'Start load run' }).click();
    await page.locator('[data-testid="load-run-load2"][data-state="done"]').waitFor({ timeout: 10_000 });
    const ids = await page
      .locator('[data-testid^="load-run-load"]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));
    expect(ids).toEqual(['load-run-load2', 'load-run-load1']);
  });

  it('looks right in the dark theme, and remembers the last form', async () => {
    await page.getByRole('button', { name: 'Switch to dark theme' }).click();
    await screenshot(page, 'renderer-load-done-dark');
    await form().getByLabel('Payload').fill('2');
    await form().getByRole('button', { name: 'Start load run' }).click();
    await screenshot(page, 'renderer-load-invalid-dark');
    await page.reload();
    // The view, and the form as last sent (not the rejected edit), come back.
    await form().waitFor();
    expect(await form().getByLabel('Payload').inputValue()).toBe('128');
    expect(await form().getByLabel('Duration').inputValue()).toBe('1');
    expect(await form().getByLabel('n3', { exact: true }).isChecked()).toBe(false);
    await page.getByRole('button', { name: 'Switch to light theme' }).click();
  });

  it('ran without page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
