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
    await clearScreenshots(/^ui-inspector-(?!fix-)/);
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

  it('fits every column beside the detail pane at 1440×900; a hex dump keeps 8 bytes a line', async () => {
    await list().locator('.tap-row').filter({ hasText: '0x0100000C' }).click();
    const detail = page.getByRole('complementary', { name: 'Message detail' });
    await detail.getByRole('tab', { name: 'JSON' }).waitFor();
    // Nothing of the list is off to the side: the details column is in view, and the widest.
    const grid = page.locator('.tap-grid');
    const { scroll, client } = await grid.evaluate((el) => ({
      scroll: el.scrollWidth,
      client: el.clientWidth,
    }));
    expect(scroll).toBeLessThanOrEqual(client);
    const payload = (await list().getByRole('columnheader', { name: 'Details' }).boundingBox())!;
    const box = (await grid.boundingBox())!;
    expect(payload.x + payload.width).toBeLessThanOrEqual(box.x + box.width);
    const widths = await list()
      .getByRole('columnheader')
      .evaluateAll((els) => els.map((e) => e.getBoundingClientRect().width));
    // The details take what is left once the ids are whole (a "→ ETID 0x…" target, a client's ETID).
    expect(widths.at(-1)).toBeGreaterThanOrEqual(100);
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
    // Eight bytes a line: the ASCII column fits the pane, no sideways scroll.
    const payloadBox = detail.locator('.tap-payload');
    expect(await payloadBox.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
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

  it('names every row’s event in its own column and its details last, publishes and lifecycle alike', async () => {
    await openInspector();
    await filters().getByLabel('Topic', { exact: true }).fill('');
    for (const name of ['Closes', 'Subscribes']) {
      if ((await chip(name).getAttribute('aria-pressed')) === 'false') await chip(name).click();
    }
    await expect.poll(() => lastWatch()?.kinds).toEqual(['publish', 'open', 'subscribe', 'close']);
    // Every sample row, the topic filter gone too.
    await expect.poll(() => list().locator('.tap-row').count()).toBe(16);
    expect(await list().getByRole('columnheader').allTextContents()).toEqual([
      'Time',
      'Node',
      'Event',
      'Topic / ETID',
      'Sub-topic',
      'Client',
      'Subs',
      'Size',
      'Details',
    ]);
    const cells = async (etid: string): Promise<string[]> =>
      list().locator('.tap-row').filter({ hasText: etid }).getByRole('gridcell').allTextContents();
    // A publish: its deliveries under Subs, its payload's head under Details.
    const publish = await cells('0x01000002');
    expect(publish.slice(1, 4)).toEqual(['n3', 'publish', '/m2m/led/device']);
    expect(publish[6]).toBe('2');
    expect(publish[8]).toMatch(/^\{"device":"led-1-2"/);
    expect((await cells('0x0100000F'))[6]).toBe('dropped');
    // A connect and a close: nothing under Subs and Size, what happened under Details.
    const connect = await cells('0x0100000D');
    expect([connect[2], connect[6], connect[7], connect[8]]).toEqual([
      'connect',
      '',
      '',
      'raw 127.0.0.1:51234',
    ]);
    const close = await cells('0x01000010');
    expect([close[2], close[6], close[8]]).toEqual([
      'close',
      '',
      'SlowConsumerPendingBytes · ws 127.0.0.1:51240',
    ]);
    const subscribe = await cells('0x0100000E');
    expect([subscribe[2], subscribe[3], subscribe[8]]).toEqual([
      'subscribe',
      '/m2m/led/display',
      '1 subscriber here now',
    ]);
    await screenshot(page, 'ui-inspector-lifecycle-rows');
  });

  it('says which events it waits for when only lifecycle kinds are shown', async () => {
    const empty = page.locator('.inspector-view .empty-inline');
    // On first: turning every chip off means "all" again.
    for (const name of ['Node stops', 'Links down', 'Publishes', 'Connects', 'Closes', 'Subscribes'])
      await chip(name).click();
    await expect.poll(() => lastWatch()?.kinds).toEqual(['nodeStop', 'linkDown']);
    await expect
      .poll(() => empty.textContent())
      .toContain('No links down or node stops yet that match the filter.');
    const text = (await empty.textContent()) ?? '';
    expect(text).toContain('They show when you start, stop or kill a node, or cut a link.');
    expect(text).toContain('turn on Publishes under Show');
    expect(text).not.toMatch(/messages yet|click an LED/);
    await screenshot(page, 'ui-inspector-empty-lifecycle');

    for (const name of ['Changes', 'Links down', 'Node stops']) await chip(name).click();
    await expect.poll(() => lastWatch()?.kinds).toEqual(['change']);
    await expect.poll(() => empty.textContent()).toContain('No changes yet that match the filter.');
    expect(await empty.textContent()).toContain('They show when you observe a topic or a client’s ETID.');
  });

  it('ran without page errors or CSP violations', () => {
    expect(pageErrors).toEqual([]);
  });
});
