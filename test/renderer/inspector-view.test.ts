import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import type { TapFilter, TopicView } from '../../contract/hostContract.js';
import { clearScreenshots, launchBrowser, screenshot, type Browser } from '../helpers/browser.js';
import { FakeHost } from './fakeHost.js';
import { serveRenderer, type ServedRenderer } from './serveRenderer.js';

/*
 * The inspector at 1440×900 against a fake host: what its controls are called, that the list fits
 * beside the detail pane, that the filter and the composer survive a reload (the CSP guard makes
 * one when a new node's origin must enter the page's policy), and how a sparse topic's rate reads.
 */
const built = existsSync('dist/renderer/index.html');
/** The fake nodes' ports (18081…): allowed, so the composer's client does not make the page reload. */
const NODE_ORIGINS = Array.from({ length: 9 }, (_, i) => `http://127.0.0.1:${18081 + i}`);

describe('the inspector view', () => {
  let host: FakeHost;
  let served: ServedRenderer;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  const filters = (): Locator => page.getByRole('search', { name: 'Inspector filters' });
  const show = (): Locator => filters().getByRole('group', { name: 'Show', exact: true });
  const chip = (name: string): Locator => show().getByRole('button', { name, exact: true });
  const composer = (): Locator => page.getByRole('form', { name: 'Publish a message' });
  const list = (): Locator => page.getByRole('grid', { name: 'Tapped messages' });
  /** The filter of the last watchTap the page sent. */
  const lastWatch = (): TapFilter | undefined =>
    (host.calls.filter((c) => c.cmd === 'watchTap').at(-1)?.args as { filter: TapFilter } | undefined)
      ?.filter;
  const openInspector = async (): Promise<void> => {
    await page
      .getByRole('navigation', { name: 'Views' })
      .getByRole('link', { name: /^Inspector/ })
      .click();
    await list().locator('.tap-row').first().waitFor();
  };

  beforeAll(async () => {
    if (!built)
      throw new Error('dist/renderer is not built: run npx vite build --config renderer/vite.config.ts');
    await clearScreenshots('ui-inspector-');
    host = new FakeHost();
    served = await serveRenderer(host, undefined, NODE_ORIGINS);
    browser = await launchBrowser({ colorScheme: 'light', viewport: { width: 1440, height: 900 } });
    page = await browser.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) pageErrors.push(m.text());
    });
    await page.goto(served.url);
    await page.getByRole('button', { name: 'New local cluster' }).click();
    await page.getByTestId('node-card-n3').waitFor();
    await openInspector();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await served?.close();
    host?.close();
  });

  it('names the event kinds as plurals under "Show", apart from the composer’s Send', async () => {
    expect(await show().getByRole('button').allTextContents()).toEqual([
      'Publishes',
      'Connects',
      'Closes',
      'Subscribes',
      'Unsubscribes',
      'Observes',
      'Unobserves',
      'Changes',
      'Links up',
      'Links down',
      'Node starts',
      'Node stops',
    ]);
    expect(await chip('Publishes').getAttribute('aria-pressed')).toBe('true');
    expect(await chip('Connects').getAttribute('aria-pressed')).toBe('false');
    await chip('Connects').click();
    await chip('Closes').click();
    await expect.poll(() => lastWatch()?.kinds).toEqual(['publish', 'open', 'close']);
    await list().getByText('raw 127.0.0.1:51234').waitFor();

    await page.getByRole('button', { name: 'Publish…' }).click();
    await composer().waitFor();
    expect(await composer().getByRole('button', { name: 'Send', exact: true }).count()).toBe(1);
    // No control of the page is called just "Publish" any more.
    expect(await page.getByRole('button', { name: 'Publish', exact: true }).count()).toBe(0);
    // Named by an explicit aria-label, not by the wrapping <label>'s content: some screen readers
    // read a select's options into that. (Chromium names them well either way: hence the attribute.)
    const fromNode = composer().getByRole('combobox', { name: 'From node', exact: true });
    expect(await fromNode.getAttribute('aria-label')).toBe('From node');
    await composer().getByRole('button', { name: 'One client (ETID)' }).click();
    const client = composer().getByRole('combobox', { name: 'Client', exact: true });
    expect(await client.getAttribute('aria-label')).toBe('Client');
    await composer().getByRole('button', { name: 'Topic', exact: true }).click();
    await screenshot(page, 'ui-inspector-names');
    await page.getByRole('button', { name: 'Publish…' }).click();
    await composer().waitFor({ state: 'detached' });
  });

  it('fits every column beside the detail pane at 1440×900; a hex dump keeps 16 bytes a line', async () => {
    await list().locator('.tap-row').filter({ hasText: '0x0100000C' }).click();
    const detail = page.getByRole('complementary', { name: 'Message detail' });
    await detail.getByRole('tab', { name: 'JSON' }).waitFor();
    // Nothing of the list is off to the side: the payload column is in view, and the widest.
    const grid = page.locator('.tap-grid');
    const { scroll, client } = await grid.evaluate((el) => ({
      scroll: el.scrollWidth,
      client: el.clientWidth,
    }));
    expect(scroll).toBeLessThanOrEqual(client);
    const payload = (await list().getByRole('columnheader', { name: 'Payload' }).boundingBox())!;
    const box = (await grid.boundingBox())!;
    expect(payload.x + payload.width).toBeLessThanOrEqual(box.x + box.width);
    const widths = await list()
      .getByRole('columnheader')
      .evaluateAll((els) => els.map((e) => e.getBoundingClientRect().width));
    expect(widths.at(-1)).toBe(Math.max(...widths));
    // What a cell shows stays in its cell: the "dropped" badge does not run into the size.
    const spill = await list()
      .locator('.tap-row .badge')
      .evaluateAll((els) =>
        els.map(
          (b) =>
            b.getBoundingClientRect().right - b.closest('[role="gridcell"]')!.getBoundingClientRect().right,
        ),
      );
    expect(spill.length).toBeGreaterThan(0);
    for (const px of spill) expect(px).toBeLessThanOrEqual(0.5);
    await screenshot(page, 'ui-inspector-detail');

    await detail.getByRole('tab', { name: 'Hex' }).click();
    const dump = detail.locator('.tap-payload pre');
    const lines = await dump.evaluate((pre) => {
      const range = document.createRange();
      range.selectNodeContents(pre);
      const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
      return { shown: tops.size, text: (pre.textContent ?? '').split('\n').length };
    });
    expect(lines.text).toBeGreaterThan(3);
    expect(lines.shown).toBe(lines.text);
    // The box scrolls sideways to the ASCII column instead.
    const payloadBox = detail.locator('.tap-payload');
    expect(await payloadBox.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
    await screenshot(page, 'ui-inspector-hex');
  });

  it('keeps the filter and the composer, open with its draft, across a reload', async () => {
    await chip('Closes').click();
    await chip('Subscribes').click();
    await filters().getByRole('combobox', { name: 'Origin' }).selectOption('link');
    await filters().getByLabel('Topic', { exact: true }).fill('/m2m/');
    const wanted: TapFilter = { kinds: ['publish', 'open', 'subscribe'], origin: 'link', topic: '/m2m/' };
    await expect.poll(() => lastWatch()).toMatchObject(wanted);

    await page.getByRole('button', { name: 'Publish…' }).click();
    await composer().getByLabel('Topic name').fill('/draft/topic');
    await composer().getByLabel('Sub-topic').fill('sub1');
    await composer().getByRole('button', { name: 'Text', exact: true }).click();
    await composer().getByRole('textbox', { name: 'Payload', exact: true }).fill('hello draft');

    const before = host.calls.length;
    await page.reload();
    await list().locator('.tap-row').first().waitFor();
    // The page asks for the same feed again, and shows the filter it asked for.
    await expect
      .poll(() => host.calls.slice(before).find((c) => c.cmd === 'watchTap')?.args)
      .toEqual({
        filter: expect.objectContaining(wanted),
      });
    for (const [name, pressed] of [
      ['Publishes', 'true'],
      ['Connects', 'true'],
      ['Closes', 'false'],
      ['Subscribes', 'true'],
    ] as const)
      expect(await chip(name).getAttribute('aria-pressed'), name).toBe(pressed);
    expect(await filters().getByLabel('Topic', { exact: true }).inputValue()).toBe('/m2m/');
    expect(await filters().getByRole('combobox', { name: 'Origin' }).inputValue()).toBe('link');

    await composer().waitFor();
    expect(await composer().getByLabel('Topic name').inputValue()).toBe('/draft/topic');
    expect(await composer().getByLabel('Sub-topic').inputValue()).toBe('sub1');
    expect(
      await composer().getByRole('button', { name: 'Text', exact: true }).getAttribute('aria-pressed'),
    ).toBe('true');
    expect(await composer().getByRole('textbox', { name: 'Payload', exact: true }).inputValue()).toBe(
      'hello draft',
    );
    await screenshot(page, 'ui-inspector-after-reload');

    // Closed stays closed.
    await page.getByRole('button', { name: 'Publish…' }).click();
    await page.reload();
    await list().locator('.tap-row').first().waitFor();
    expect(await page.getByRole('button', { name: 'Publish…' }).getAttribute('aria-expanded')).toBe('false');
    expect(await composer().count()).toBe(0);
  });

  it('shows a sparse topic’s rate as its mean over the last 5 s, in the strip and the Topics view', async () => {
    const topic = (name: string, history: number[], msgsPerSec: number): TopicView => ({
      name,
      nodes: [{ nodeId: 'n1', tid: 7, subscribers: 1 }],
      msgsPerSec,
      bytesPerSec: msgsPerSec * 40,
      history,
      lastPayload: null,
      lastSize: 0,
      subtopics: [],
    });
    const zeros = (n: number): number[] => Array<number>(n).fill(0);
    host.emitTopics([
      // One publish in the last 5 s (this second reads 0, as most seconds do).
      topic('/sparse', [...zeros(30), 1, 0, 0, 0, 0], 0),
      // Its one publish 6 s ago: out of the window.
      topic('/quiet', [...zeros(30), 1, 0, 0, 0, 0, 0], 0),
      topic('/busy', [...zeros(30), 12, 12, 12, 12, 12], 12),
    ]);
    const strip = page.getByRole('list', { name: 'Busiest topics' });
    const chipOf = (name: string): Locator => strip.getByRole('button', { name: `${name}:` });
    await expect.poll(() => chipOf('/sparse').textContent()).toContain('0.2/s');
    expect(await chipOf('/quiet').textContent()).toContain('0/s');
    expect(await chipOf('/busy').textContent()).toContain('12.0/s');
    // Busiest first, by the same rate.
    expect(await strip.locator('.topic-chip .mono').allTextContents()).toEqual([
      '/busy',
      '/sparse',
      '/quiet',
    ]);
    await screenshot(page, 'ui-inspector-topic-rates');

    await page
      .getByRole('navigation', { name: 'Views' })
      .getByRole('link', { name: /^Topics/ })
      .click();
    const table = page.getByRole('table', { name: 'Topics' });
    await expect.poll(() => table.getByTestId('topic-rate-/sparse').textContent()).toBe('0.2/s');
    expect(await table.getByTestId('topic-rate-/quiet').textContent()).toBe('0/s');
    expect(await table.getByTestId('topic-rate-/busy').textContent()).toBe('12.0/s');
    await screenshot(page, 'ui-inspector-topics-view');
  });

  it('ran without page errors or CSP violations', () => {
    expect(pageErrors).toEqual([]);
  });
});
