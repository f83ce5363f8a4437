import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useHostPage } from './fixture/hostPage.js';

/*
 * Issue #5, load runs from the UI: the REAL host in browser mode with a 3-node cluster of
 * smq-node child processes, driven through the built page in Debian chromium. A run is started
 * from the Load view; while it runs, the node cards count its subscribers (from each node's
 * /health); its result shows every message delivered. Then a second tab of the same profile gets
 * the layout back (view, LED panel).
 */

const STEP_MS = 60_000;
/** The first number in a cell: "1,234", "1,234 / 2,000" (while running), "12.3 msg/s". */
const num = (s: string | null): number => parseFloat((s ?? '').replace(/,/g, ''));

describe('load runs from the UI (real host, real nodes)', () => {
  const host = useHostPage({ shots: 'e2e-load', colorScheme: 'light', timeoutMs: STEP_MS });
  const { shot, pageErrors } = host;
  let page: Page;
  const go = (p: Page, view: 'Cluster' | 'LED panels' | 'Load'): Promise<void> => host.go(view, p);
  const form = () => page.getByRole('form', { name: 'New load run' });

  beforeAll(async () => {
    page = host.page;
    await host.open();
    await page.getByRole('button', { name: 'New local cluster' }).click();
    for (const id of ['n1', 'n2', 'n3']) {
      await page.locator(`[data-testid="node-state-${id}"]`, { hasText: 'up' }).waitFor({ timeout: 30_000 });
    }
  }, STEP_MS);

  it(
    'before any run the node cards count no subscriptions',
    async () => {
      for (const id of ['n1', 'n2', 'n3'])
        expect(await page.getByTestId(`node-subscriptions-${id}`).textContent()).toBe('0');
    },
    STEP_MS,
  );

  it(
    'starts a run over the three nodes; while it runs the node cards count its subscribers',
    async () => {
      await go(page, 'Load');
      await page.getByText('No load runs yet.').waitFor();
      for (const id of ['n1', 'n2', 'n3'])
        expect(await form().getByLabel(id, { exact: true }).isChecked()).toBe(true);
      // 2 publishers × 200 msg/s to 9 subscribers (3 per node) for 8 s: long enough to look at.
      await form().getByLabel('Subscribers').fill('9');
      await form().getByLabel('Rate per publisher').fill('200');
      await form().getByLabel('Duration').fill('8');
      await shot('form');
      await form().getByRole('button', { name: 'Start load run' }).click();
      const run = page.locator('[data-testid^="load-run-"]').first();
      await run.waitFor();
      const id = (await run.getAttribute('data-testid'))!.slice('load-run-'.length);
      await page
        .locator(`[data-testid="load-progress-${id}"][data-phase="sending"]`)
        .waitFor({ timeout: 20_000 });
      await expect
        .poll(async () => num(await page.getByTestId(`load-received-${id}`).textContent()))
        .toBeGreaterThan(0);
      await shot('running-light');

      await go(page, 'Cluster');
      // Subscribers are spread over the nodes in turn: every node counts some.
      for (const n of ['n1', 'n2', 'n3']) {
        await expect
          .poll(async () => num(await page.getByTestId(`node-subscriptions-${n}`).textContent()), {
            timeout: 10_000,
          })
          .toBeGreaterThan(0);
      }
      await expect
        .poll(async () => num(await page.getByTestId('node-rate-n1').textContent()), { timeout: 10_000 })
        .toBeGreaterThan(0);
      await shot('node-cards-during-run-light');
      await page.getByRole('button', { name: 'Switch to dark theme' }).click();
      await shot('node-cards-during-run-dark');
      await go(page, 'Load');
      await shot('running-dark');
      await page.getByRole('button', { name: 'Switch to light theme' }).click();

      await page.locator(`[data-testid="load-run-${id}"][data-state="done"]`).waitFor({ timeout: 30_000 });
      const sent = num(await page.getByTestId(`load-sent-${id}`).textContent());
      const received = num(await page.getByTestId(`load-received-${id}`).textContent());
      expect(sent).toBe(2 * 200 * 8);
      expect(received).toBeGreaterThan(0);
      expect(received).toBe(sent * 9);
      expect(await page.getByTestId(`load-lost-${id}`).textContent()).toBe('0');
      expect(await page.getByTestId(`load-rate-${id}`).textContent()).toMatch(/^[\d.]+k? msg\/s$/);
      expect(await page.getByTestId(`load-p99-${id}`).textContent()).toMatch(/ ms$|^\d+(\.\d)? s$/);
      await shot('done-light');
      await page.getByRole('button', { name: 'Switch to dark theme' }).click();
      await shot('done-dark');
      await page.getByRole('button', { name: 'Switch to light theme' }).click();

      // The run's clients are gone: the subscription totals fall back.
      await go(page, 'Cluster');
      for (const n of ['n1', 'n2', 'n3']) {
        await expect
          .poll(() => page.getByTestId(`node-subscriptions-${n}`).textContent(), { timeout: 10_000 })
          .toBe('0');
      }
    },
    STEP_MS,
  );

  it(
    'a second tab of the same profile gets the layout back: the view shown last and the LED panel',
    async () => {
      await go(page, 'LED panels');
      const panelForm = page.getByRole('form', { name: 'Open LED panel' });
      await panelForm.getByLabel('Node').selectOption('n2');
      await panelForm.getByRole('button', { name: 'Open panel' }).click();
      await page.getByTestId('led-panel-n2').waitFor();
      await go(page, 'Load');

      const origin = new URL(page.url()).origin;
      const tab = await host.newPage();
      await tab.goto(`${origin}/`); // no #hash: the view comes from the layout
      await tab.getByRole('heading', { name: 'Load', level: 2 }).waitFor();
      await go(tab, 'LED panels');
      await tab.getByTestId('led-panel-n2').waitFor();
      await tab.close();
    },
    STEP_MS,
  );

  it('had no uncaught page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
