import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { extractFile, listPackage } from '@electron/asar';
import { Ajv } from 'ajv';
import { minimatch } from 'minimatch';
import { beforeAll, describe, expect, it } from 'vitest';
import { appPaths } from '../../electron/app-paths.js';
import { Child } from '../helpers/ChildProcess.js';
import { writeZip } from './helpers/zip.js';

/*
 * The two packaging configurations against what the build produced. Both packagers also run for
 * real, offline, with a stand-in Electron (an unpacked dist for electron-builder, a zip for Forge):
 * everything but the Electron binary itself is theirs.
 */
const ROOT = resolve('.');
const require = createRequire(import.meta.url);
const yaml = require('js-yaml') as { load(text: string): unknown };
const ELECTRON_VERSION = (require('electron/package.json') as { version: string }).version;

interface BuilderConfig {
  files: string[];
  asarUnpack: string[];
  extraMetadata: { main: string };
  directories: { output: string };
  linux: { target: string[] };
  win: { target: string[] };
  mac: { target: string[] };
}
const builder = yaml.load(readFileSync('electron-builder.yml', 'utf8')) as BuilderConfig;

/**
 * Every file of dist/, as the packagers see it (relative to the app folder, forward slashes). Read
 * again right before each packaging run: a renderer rebuild in between renames its hashed assets.
 */
let built: string[] = [];
function readBuilt(): void {
  built = walk(join(ROOT, 'dist')).map((f) => relative(ROOT, f).split('\\').join('/'));
}
beforeAll(() => {
  expect(existsSync('dist/electron/main.mjs'), 'run the build first (npm run build)').toBe(true);
  readBuilt();
});

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)],
  );
}

/** The app's files after `files` filtering: included by a pattern and not excluded by a later `!`. */
function selected(patterns: string[], files: string[]): string[] {
  return files.filter((file) => {
    let included = false;
    for (const p of patterns) {
      if (p.startsWith('!')) {
        if (minimatch(file, p.slice(1), { dot: true })) included = false;
      } else if (minimatch(file, p, { dot: true })) included = true;
    }
    return included;
  });
}

function schemaValidator(): (config: unknown) => string[] {
  const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
  // electron-builder's schema marks hook options that may be functions with its own keyword.
  ajv.addKeyword({ keyword: 'typeof', validate: (type: string, data: unknown) => typeof data === type });
  const validate = ajv.compile(require('app-builder-lib/scheme.json') as object);
  return (config) =>
    validate(config) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}

function asarFiles(asar: string): string[] {
  return listPackage(asar, { isPack: false })
    .map((f) => f.split('\\').join('/').replace(/^\//, ''))
    .filter((f) => {
      try {
        extractFile(asar, f);
        return true;
      } catch {
        return false; // a directory
      }
    })
    .sort();
}

/** What both packagers must put in the app: the build minus source maps and the dev launcher. */
function expectedAppFiles(): string[] {
  return [
    ...built.filter((f) => !f.endsWith('.map') && f !== 'dist/electron/start.mjs'),
    'package.json',
  ].sort();
}

async function smqNodeRuns(script: string): Promise<void> {
  const child = new Child(process.execPath, [script, '--port', '0']);
  try {
    await child.line(/smq-node listening on http:\/\/127\.0\.0\.1:\d+/);
  } finally {
    await Child.killAll();
  }
}

describe('electron-builder.yml', () => {
  it("is valid against electron-builder's published JSON schema", () => {
    const validate = schemaValidator();
    expect(validate(builder)).toEqual([]);
    // The validator is live: an unknown option and a wrong type are refused.
    expect(validate({ ...builder, filez: ['dist/**'] }).length).toBeGreaterThan(0);
    expect(validate({ ...builder, asar: 'yes' }).length).toBeGreaterThan(0);
  });

  it('makes AppImage and deb on Linux, NSIS on Windows, DMG on macOS, into a folder outside dist/', () => {
    expect(builder.linux.target).toEqual(['AppImage', 'deb']);
    expect(builder.win.target).toEqual(['nsis']);
    expect(builder.mac.target).toEqual(['dmg']);
    expect(builder.directories.output.startsWith('dist')).toBe(false);
  });

  it('names only files the build produced: every files and asarUnpack pattern, and the main', () => {
    const candidates = [...built, 'package.json'];
    for (const p of builder.files.filter((p) => !p.startsWith('!'))) {
      expect(
        candidates.filter((f) => minimatch(f, p, { dot: true })),
        p,
      ).not.toEqual([]);
    }
    for (const p of builder.files.filter((p) => p.startsWith('!'))) {
      expect(
        built.filter((f) => minimatch(f, p.slice(1), { dot: true })),
        p,
      ).not.toEqual([]);
    }
    const app = selected(builder.files, candidates);
    expect(app).toContain(builder.extraMetadata.main);
    expect(builder.extraMetadata.main).toBe('dist/electron/main.mjs');
    for (const part of [
      'dist/electron/preload.cjs',
      'dist/renderer/index.html',
      'dist/broker/smq-node.mjs',
    ]) {
      expect(app).toContain(part);
    }
    for (const p of builder.asarUnpack)
      expect(
        app.filter((f) => minimatch(f, p, { dot: true })),
        p,
      ).not.toEqual([]);
    // The host spawns the smq-node runner from the path appPaths() gives, which is unpacked.
    const smqNode = relative(ROOT, appPaths().smqNode).split('\\').join('/');
    expect(builder.asarUnpack.some((p) => minimatch(smqNode, p))).toBe(true);
  });

  it.skipIf(process.platform !== 'linux')(
    'packages the built dist/ into app.asar, with the main and an unpacked smq-node that runs',
    async () => {
      const fakeDist = mkdtempSync(join(tmpdir(), 'smq-fake-electron-dist-'));
      writeFileSync(join(fakeDist, 'electron'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
      writeFileSync(join(fakeDist, 'version'), `v${ELECTRON_VERSION}`);
      const out = mkdtempSync(join(tmpdir(), 'smq-builder-out-'));
      readBuilt();
      execFileSync(
        process.execPath,
        [
          require.resolve('electron-builder/cli.js'),
          '--linux',
          'dir',
          `-c.electronDist=${fakeDist}`,
          `-c.directories.output=${out}`,
        ],
        { cwd: ROOT, stdio: 'pipe', timeout: 60_000 },
      );
      const resources = join(out, 'linux-unpacked', 'resources');
      const asar = join(resources, 'app.asar');
      expect(asarFiles(asar)).toEqual(expectedAppFiles());
      const pkg = JSON.parse(extractFile(asar, 'package.json').toString()) as Record<string, unknown>;
      expect(pkg).toMatchObject({ main: 'dist/electron/main.mjs', type: 'module' });
      expect(existsSync(join(out, 'linux-unpacked', 'smq-control-center'))).toBe(true);
      await smqNodeRuns(join(resources, 'app.asar.unpacked', 'dist', 'broker', 'smq-node.mjs'));
    },
    90_000,
  );
});

describe('forge.config.ts', () => {
  it('type-checks', () => {
    const tsc = spawnSync(
      process.execPath,
      [
        require.resolve('typescript/bin/tsc'),
        '--noEmit',
        '--ignoreConfig',
        '--strict',
        '--target',
        'ES2023',
        '--module',
        'NodeNext',
        '--moduleResolution',
        'NodeNext',
        '--verbatimModuleSyntax',
        '--skipLibCheck',
        '--types',
        'node',
        'forge.config.ts',
      ],
      { cwd: ROOT, encoding: 'utf8', timeout: 60_000 },
    );
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
  }, 60_000);

  it("is what Forge's own loader reads, pointing at the same main and dist/ as electron-builder", async () => {
    const loader = (await import('@electron-forge/core/dist/util/forge-config.js')) as unknown as {
      default:
        | { default: (dir: string) => Promise<Record<string, unknown>> }
        | ((dir: string) => Promise<Record<string, unknown>>);
    };
    const load = typeof loader.default === 'function' ? loader.default : loader.default.default;
    const config = (await load(ROOT)) as {
      packagerConfig: { ignore: (path: string) => boolean; asar: unknown };
      makers: unknown[];
      hooks: {
        readPackageJson: (c: unknown, pkg: Record<string, unknown>) => Promise<Record<string, unknown>>;
      };
    };
    expect(config.makers).toEqual([]);
    const pkg = await config.hooks.readPackageJson(config, { name: 'x' });
    expect(pkg.main).toBe(builder.extraMetadata.main);
    const { ignore } = config.packagerConfig;
    const kept = [...built, 'package.json'].filter((f) => !ignore(`/${f}`)).sort();
    expect(kept).toEqual(expectedAppFiles());
    for (const outside of [
      '/node_modules',
      '/electron',
      '/broker',
      '/renderer',
      '/test',
      '/forge.config.ts',
    ]) {
      expect(ignore(outside), outside).toBe(true);
    }
  });

  it.skipIf(process.platform !== 'linux')(
    'packages the same dist/ (offline, from a stand-in Electron zip)',
    async () => {
      const zipDir = mkdtempSync(join(tmpdir(), 'smq-electron-zip-'));
      writeZip(join(zipDir, `electron-v${ELECTRON_VERSION}-linux-${process.arch}.zip`), [
        { name: 'electron', data: Buffer.from('#!/bin/sh\nexit 0\n'), mode: 0o755 },
        { name: 'version', data: Buffer.from(`v${ELECTRON_VERSION}`) },
        { name: 'LICENSE', data: Buffer.from('MIT') },
        { name: 'resources/default_app.asar', data: Buffer.from('') },
      ]);
      const out = mkdtempSync(join(tmpdir(), 'smq-forge-out-'));
      readBuilt();
      const script =
        "import { api } from '@electron-forge/core';\n" +
        `await api.package({ dir: ${JSON.stringify(ROOT)}, outDir: ${JSON.stringify(out)}, ` +
        `interactive: false, platform: 'linux', arch: ${JSON.stringify(process.arch)} });\n`;
      execFileSync(process.execPath, ['--input-type=module', '-e', script], {
        cwd: ROOT,
        env: { ...process.env, SMQ_CC_ELECTRON_ZIP_DIR: zipDir },
        stdio: 'pipe',
        timeout: 60_000,
      });
      const app = join(out, `SMQ Control Center-linux-${process.arch}`);
      const asar = join(app, 'resources', 'app.asar');
      expect(asarFiles(asar)).toEqual(expectedAppFiles());
      const pkg = JSON.parse(extractFile(asar, 'package.json').toString()) as Record<string, unknown>;
      expect(pkg).toMatchObject({ main: 'dist/electron/main.mjs', type: 'module' });
      expect(pkg).not.toHaveProperty('devDependencies');
      expect(existsSync(join(app, 'smq-control-center'))).toBe(true);
      await smqNodeRuns(join(app, 'resources', 'app.asar.unpacked', 'dist', 'broker', 'smq-node.mjs'));
    },
    90_000,
  );
});
