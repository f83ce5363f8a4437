import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '../../../broker/src');

/**
 * Every module a file reaches through its imports (type-only ones too, to be strict), with what in
 * it would not run in a browser: node:* or ws imports, or Buffer.
 */
function reach(entry: string): Map<string, string[]> {
  const seen = new Map<string, string[]>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    const src = readFileSync(file, 'utf8');
    const problems: string[] = [];
    seen.set(file, problems);
    for (const m of src.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)) {
      const spec = m[1]!;
      if (spec.startsWith('node:') || spec === 'ws') problems.push(spec);
      else if (spec.startsWith('.')) visit(join(dirname(file), spec.replace(/\.js$/, '.ts')));
      else problems.push(`package ${spec}`);
    }
    if (/\bBuffer\b/.test(src.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, ''))) problems.push('Buffer');
  };
  visit(join(SRC, entry));
  return seen;
}

function problems(entry: string): Record<string, string[]> {
  return Object.fromEntries(
    [...reach(entry)].filter(([, p]) => p.length > 0).map(([f, p]) => [f.slice(SRC.length + 1), p]),
  );
}

describe('the browser side of the devices library', () => {
  it('DisplayModel, the LED codec and devices/browser.ts reach no node:*, no ws, no Buffer', () => {
    const modules = [...reach('devices/browser.ts').keys()].map((f) => f.slice(SRC.length + 1));
    expect(modules).toEqual(
      expect.arrayContaining(['devices/DisplayModel.ts', 'devices/ledProtocol.ts', 'client/SmqClient.ts']),
    );
    expect(problems('devices/browser.ts')).toEqual({});
    expect(problems('devices/DisplayModel.ts')).toEqual({});
    expect(problems('devices/ledProtocol.ts')).toEqual({});
  });

  it('would notice a Node dependency (negative control: the device and the fleet need Node)', () => {
    expect(Object.values(problems('devices/LedDevice.ts')).flat()).toEqual(
      expect.arrayContaining(['node:net', 'ws']),
    );
    expect(Object.keys(problems('devices/index.ts')).length).toBeGreaterThan(0);
  });
});
