import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Debian's chromium (apt-get install chromium); never a Playwright-downloaded browser. */
export const CHROMIUM_PATH = process.env.SMQ_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Exactly these flags (TESTING.md): without the background-networking ones Chromium floods this
 * closed network with update and sync requests.
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
] as const;

export const SCREENSHOT_DIR = path.resolve('test-results', 'screenshots');

export interface Browser {
  context: BrowserContext;
  /** A new tab; every tab is closed with the context. */
  newPage(): Promise<Page>;
  /** Closes the browser and deletes its profile; safe to call twice. */
  close(): Promise<void>;
}

export interface LaunchOptions {
  /** Default 1440×900. */
  viewport?: { width: number; height: number };
  colorScheme?: 'light' | 'dark';
}

/**
 * Launches Chromium with a fresh user-data-dir (persistent context, so the profile is a real
 * directory we own and delete). Console errors and uncaught page errors are collected on every
 * page and printed at close, so a failing test shows what the page said.
 */
export async function launchBrowser(options: LaunchOptions = {}): Promise<Browser> {
  const userDataDir = await mkdtemp(path.join(tmpdir(), 'smq-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: [...CHROMIUM_ARGS],
      viewport: options.viewport ?? { width: 1440, height: 900 },
      colorScheme: options.colorScheme ?? 'light',
      timeout: 30_000,
    });
  } catch (e) {
    await rm(userDataDir, { recursive: true, force: true });
    throw e;
  }
  const messages: string[] = [];
  const watch = (page: Page): void => {
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') messages.push(`[${m.type()}] ${m.text()}`);
    });
    page.on('pageerror', (e) => messages.push(`[pageerror] ${e.message}`));
  };
  context.on('page', watch);
  for (const p of context.pages()) watch(p);

  let closed = false;
  return {
    context,
    async newPage() {
      // A persistent context opens with one blank tab: hand that out first.
      const blank = context.pages().find((p) => p.url() === 'about:blank' && !used.has(p));
      const page = blank ?? (await context.newPage());
      used.add(page);
      return page;
    },
    async close() {
      if (closed) return;
      closed = true;
      if (messages.length) console.log(`browser console:\n  ${messages.join('\n  ')}`);
      try {
        await context.close();
      } finally {
        await rm(userDataDir, { recursive: true, force: true });
      }
    },
  };
}
const used = new WeakSet<Page>();

/** Saves `test-results/screenshots/<name>.png` and returns its path. */
export async function screenshot(
  page: Page,
  name: string,
  options: { fullPage?: boolean } = {},
): Promise<string> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: options.fullPage ?? false, animations: 'disabled' });
  return file;
}

/** Deletes earlier screenshots whose names start with (or match) `prefix`, so a run leaves only its own. */
export async function clearScreenshots(prefix: string | RegExp): Promise<void> {
  let names: string[];
  try {
    names = await readdir(SCREENSHOT_DIR);
  } catch {
    return;
  }
  await Promise.all(
    names
      .filter((n) => (typeof prefix === 'string' ? n.startsWith(prefix) : prefix.test(n)))
      .map((n) => rm(path.join(SCREENSHOT_DIR, n), { force: true })),
  );
}
