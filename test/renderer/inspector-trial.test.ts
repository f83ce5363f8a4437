import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import type { TapFilter, TapRow, TopicView } from '../../contract/hostContract.js';
import { launchBrowser, screenshot, type Browser } from '../helpers/browser.js';
import { FakeHost } from './fakeHost.js';
import { serveRenderer, type ServedRenderer } from './serveRenderer.js';

/*
 * What a new user's trial found in the Inspector and Topics views at 1440×900: a Clear that a
 * filter change undid, cells cut where the key id is, a hex dump whose ASCII column hid behind a
 * sideways scroll, a Topics rate of "0 B/s" for light traffic, two fields of one name, and a
 * typed filter lost when the view closed before it applied.
 */
const built = existsSync('dist/renderer/index.html');
const SHOT = 'ui-inspector-fix-';

/** Rows as a remote two-node cluster with long node names taps them: one-to-one and topic publishes. */
function trialRows(): TapRow[] {
  const base = Date.UTC(2026, 0, 1, 12, 57, 39);
  const b64 = (bytes: number[] | string): string =>
    Buffer.from(typeof bytes === 'string' ? bytes : Uint8Array.from(bytes)).toString('base64');
  const devinfo = JSON.stringify({ ipaddr: '127.0.0.1', devname: 'LED-1', leds: [1, 0, 1, 0] });
  const row = (seq: number, r: Partial<TapRow>): TapRow => ({
    seq,
    timeMs: base + seq * 11,
    kind: 'publish',
    nodeId: 'node-7n9lxh',
    via: null,
    destKind: 'topic',
    dest: 3,
    topic: '/m2m/temp',
    destUid: null,
    subtopic: null,
    etid: 0x61700000 + seq,
    uid: `02:e7:45:ec:8b:${seq.toString(16).padStart(2, '0')}`,
    receivers: 2,
    dropped: null,
    size: 2,
    payload: b64([0, 0xe0 + seq]),
    truncated: false,
    captureBytes: 4096,
    reason: null,
    detail: null,
    info: null,
    peer: null,
    ...r,
  });
  const rows: TapRow[] = [];
  for (let i = 1; i <= 6; i++) rows.push(row(i, { via: i % 2 ? 'node-zx15j4' : null }));
  for (let i = 7; i <= 10; i++)
    rows.push(
      row(i, {
        nodeId: 'node-zx15j4',
        via: i % 2 ? 'node-7n9lxh' : null,
        destKind: 'etid',
        dest: 0x61700004,
        topic: null,
        destUid: '02:53:62:5e:9f:6e',
        subtopic: 'devinfo',
        receivers: 1,
        size: devinfo.length,
        payload: b64(devinfo),
      }),
    );
  return rows;
}

describe('the inspector, after a new user’s trial', () => {
  let host: FakeHost;
  let served: ServedRenderer;
  let browser: Browser;
  let page: Page;

  const filters = (): Locator => page.getByRole('search', { name: 'Inspector filters' });
  const list = (): Locator => page.getByRole('grid', { name: 'Tapped messages' });
  const topicField = (): Locator => filters().getByLabel('Topic', { exact: true });
  const status = (): Locator => page.locator('.inspector-view .toolbar-title [role="status"]');
  const lastWatch = (): { filter: TapFilter; afterSeq?: number } | undefined =>
    host.calls.filter((c) => c.cmd === 'watchTap').at(-1)?.args as
      { filter: TapFilter; afterSeq?: number } | undefined;
  const goTo = async (view: 'Inspector' | 'Topics' | 'Devices'): Promise<void> => {
    await page
      .getByRole('navigation', { name: 'Views' })
      .getByRole('link', { name: new RegExp(`^${view}`) })
      .click();
  };
  /** For each cell of the list: true when its text runs past its box (cut or wrapped). */
  const overflowing = (cells: Locator): Promise<boolean[]> =>
    cells.evaluateAll((els) =>
      els.map((e) => e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1),
    );

  beforeAll(async () => {
    if (!built)
      throw new Error('dist/renderer is not built: run npx vite build --config renderer/vite.config.ts');
    host = new FakeHost({ ticks: false });
    host.tapRows = trialRows();
    served = await serveRenderer(host);
    browser = await launchBrowser({ colorScheme: 'light', viewport: { width: 1440, height: 900 } });
    page = await browser.newPage();
    await page.goto(served.url);
    await page.getByRole('button', { name: 'New local cluster' }).click();
    await page.getByTestId('node-card-n3').waitFor();
    await goTo('Inspector');
    await filters().getByRole('button', { name: 'Publishes', exact: true }).waitFor();
    await list().locator('.tap-row').first().waitFor();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await served?.close();
    host?.close();
  });

  it('shows each row on one line, with the headers, ETIDs and targets whole at 1440 px', async () => {
    await list().locator('.tap-row').nth(9).waitFor();
    await screenshot(page, `${SHOT}list`);
    expect(await overflowing(list().getByRole('columnheader'))).not.toContain(true);
    const rows = list().locator('.tap-row');
    // Long node names stay on the row's one line, cut with an ellipsis and named in full by a title.
    const node = rows.locator('[role="gridcell"]:nth-child(2)');
    const heights = await node.evaluateAll((els) => els.map((e) => e.scrollHeight - e.clientHeight));
    for (const h of heights) expect(h).toBeLessThanOrEqual(1);
    expect(await node.first().getAttribute('title')).toBe('node-7n9lxh ← node-zx15j4');
    // The ids that matter are whole: the publisher's ETID and a one-to-one target.
    expect(await overflowing(rows.locator('.tap-id'))).not.toContain(true);
    expect(await rows.locator('.tap-direct .tap-id').first().textContent()).toBe('→ ETID 0x61700004');
    for (const id of await rows.locator('.tap-id').evaluateAll((els) =>
      els.map((e) => {
        const cell = e.closest('[role="gridcell"]')!.getBoundingClientRect();
        return cell.right - e.getBoundingClientRect().right;
      }),
    ))
      expect(id).toBeGreaterThanOrEqual(-0.5);
  });

  it('fits the Topic field’s placeholder in its box', async () => {
    const cut = await topicField().evaluate((input: HTMLInputElement) => {
      const style = getComputedStyle(input);
      const ctx = document.createElement('canvas').getContext('2d')!;
      ctx.font = `${style.fontSize} ${style.fontFamily}`;
      const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      return ctx.measureText(input.placeholder).width - room;
    });
    expect(cut).toBeLessThanOrEqual(0);
  });

  it('shows a payload’s hex dump with its ASCII column, no sideways scroll', async () => {
    await list().locator('.tap-row').nth(8).click();
    const detail = page.getByRole('complementary', { name: 'Message detail' });
    await detail.getByRole('tab', { name: 'Hex' }).click();
    const box = detail.locator('.tap-payload');
    await box.locator('pre').waitFor();
    await screenshot(page, `${SHOT}hex`);
    expect(await box.evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(0);
    expect(await box.locator('pre').textContent()).toContain('{"ipaddr');
  });

  it('keeps a cleared list cleared when the filter changes after', async () => {
    await page.getByRole('button', { name: 'Clear', exact: true }).click();
    await expect.poll(() => status().textContent()).toContain('0 tapped · 0 matched');
    await screenshot(page, `${SHOT}after-clear`);
    await topicField().fill('temp');
    await expect.poll(() => lastWatch()?.filter.topic).toBe('temp');
    try {
      // The fake host answers a new filter as the real one does: its backlog after the mark.
      await expect.poll(() => list().locator('.tap-row').count()).toBe(0);
    } finally {
      await screenshot(page, `${SHOT}after-clear-filter`);
    }
    expect(lastWatch()?.afterSeq).toBe(10);
    expect(await status().textContent()).toContain('0 tapped · 0 matched');
  });

  it('turns on every Show chip clicked in a row', async () => {
    const show = filters().getByRole('group', { name: 'Show', exact: true });
    const kinds = [
      'Connects',
      'Closes',
      'Subscribes',
      'Changes',
      'Links up',
      'Links down',
      'Node starts',
      'Node stops',
    ];
    for (const name of kinds) await show.getByRole('button', { name, exact: true }).click();
    for (const name of kinds)
      expect(await show.getByRole('button', { name, exact: true }).getAttribute('aria-pressed'), name).toBe(
        'true',
      );
    await expect
      .poll(() => lastWatch()?.filter.kinds)
      .toEqual([
        'publish',
        'open',
        'close',
        'subscribe',
        'change',
        'linkUp',
        'linkDown',
        'nodeStart',
        'nodeStop',
      ]);
  });

  it('applies a Topic filter cleared just before switching views', async () => {
    await topicField().fill('');
    await goTo('Devices');
    await goTo('Inspector');
    await expect.poll(() => lastWatch()?.filter.topic ?? '').toBe('');
    expect(await topicField().inputValue()).toBe('');
  });

  it('names the Capture popover’s fields apart', async () => {
    await page.locator('.tap-settings summary').click();
    const form = page.getByRole('form', { name: 'Tap settings' });
    await form.waitFor();
    await screenshot(page, `${SHOT}capture`);
    const labels = await form
      .locator('label')
      .evaluateAll((els) => els.map((e) => (e.firstChild?.textContent ?? '').trim()));
    expect(new Set(labels).size).toBe(labels.length);
    await page.locator('.tap-settings summary').click();
  });

  it('shows light traffic’s bytes/s and every node’s TID in the Topics view', async () => {
    const view: TopicView = {
      name: '/m2m/temp',
      nodes: [
        { nodeId: 'n1', tid: 2, subscribers: 0 },
        { nodeId: 'n3', tid: 3, subscribers: 1 },
      ],
      msgsPerSec: 0.6,
      bytesPerSec: 1.2,
      history: [0, 1, 0, 1, 1],
      lastPayload: Buffer.from([0, 0xee]).toString('base64'),
      lastSize: 2,
      subtopics: [],
    };
    await goTo('Topics');
    host.emitTopics([view, { ...view, name: '/quiet', msgsPerSec: 0, bytesPerSec: 0, history: [0] }]);
    const table = page.getByRole('table', { name: 'Topics' });
    const row = table.getByRole('row').filter({ hasText: '/m2m/temp' });
    await row.waitFor();
    await screenshot(page, `${SHOT}topics`);
    expect(await row.getByRole('cell').nth(5).textContent()).toBe('1.2 B/s');
    const quiet = table.getByRole('row').filter({ hasText: '/quiet' });
    expect(await quiet.getByRole('cell').nth(5).textContent()).toBe('0 B/s');
    expect(await overflowing(row.getByRole('cell').nth(2))).toEqual([false]);
  });
});
