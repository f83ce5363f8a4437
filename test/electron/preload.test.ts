import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { connectionArgument } from '../../electron/connection-args.js';

/*
 * The built preload, run as Electron's sandboxed preload runs it: one CommonJS script whose
 * `require` here knows only `electron` (a fake contextBridge) and throws for anything else, as a
 * sandboxed preload's require does for relative files and most built-ins.
 */
const PRELOAD = resolve('dist/electron/preload.cjs');
const DETAILS = { hostUrl: 'http://127.0.0.1:43210', wsPath: '/host' };

function runPreload(argv: string[]): Record<string, unknown> {
  const exposed: Record<string, unknown> = {};
  const contextBridge = {
    exposeInMainWorld(key: string, value: unknown): void {
      if (key in exposed) throw new Error(`${key} exposed twice`);
      exposed[key] = value;
    },
  };
  const required: string[] = [];
  const sandboxRequire = (id: string): unknown => {
    required.push(id);
    if (id === 'electron') return { contextBridge };
    throw new Error(`module not found: ${id}`);
  };
  const module = { exports: {} };
  runInNewContext(readFileSync(PRELOAD, 'utf8'), {
    require: sandboxRequire,
    module,
    exports: module.exports,
    process: { argv: ['/opt/smq/smq-control-center', '--type=renderer', ...argv] },
  });
  expect(required).toEqual(['electron']);
  return exposed;
}

describe('the built preload', () => {
  it('is one CommonJS file whose only require is electron', () => {
    const code = readFileSync(PRELOAD, 'utf8');
    const requires = [...code.matchAll(/\brequire\s*\(\s*(['"`])([^'"`]*)\1\s*\)/g)].map((m) => m[2]);
    expect(requires).toEqual(['electron']);
    expect(code).not.toMatch(/\bimport\s*\(|^\s*import\s|^\s*export\s/m);
    expect(code).not.toMatch(/\brequire\s*\(\s*[^'"`\s]/); // no computed require
  });

  it('exposes exactly one frozen object, equal to the connection details', () => {
    const exposed = runPreload([connectionArgument(DETAILS)]);
    expect(Object.keys(exposed)).toEqual(['smqConnection']);
    const details = exposed.smqConnection as Record<string, unknown>;
    expect(Object.isFrozen(details)).toBe(true);
    expect({ ...details }).toEqual(DETAILS);
  });

  it('exposes nothing when main passed no details or details that are not a loopback origin', () => {
    expect(runPreload([])).toEqual({});
    expect(runPreload([connectionArgument({ hostUrl: 'https://evil.example', wsPath: '/host' })])).toEqual(
      {},
    );
    expect(
      runPreload([connectionArgument({ hostUrl: 'http://127.0.0.1:1', wsPath: '//evil.example/' })]),
    ).toEqual({});
    expect(runPreload(['--smq-connection=%7Bbroken'])).toEqual({});
  });
});
