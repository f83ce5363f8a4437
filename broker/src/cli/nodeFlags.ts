import { closeSync, openSync, readSync } from 'node:fs';

/**
 * The node flags a script's `#!/usr/bin/env -S node <flags>` line asks for. Whoever spawns a bin
 * with an explicit node (the host, with Electron as node; the bench) passes them, so the script
 * runs the same as when it is executed directly: the shebang is the one place they are written.
 */
export function shebangNodeFlags(firstLine: string): string[] {
  const m = /^#!\S*env -S node((?: +--[\w-]+(?:=\S+)?)*) *$/.exec(firstLine);
  return m ? m[1]!.split(' ').filter(Boolean) : [];
}

/** `shebangNodeFlags` of a file's first line (the first 256 bytes are enough for a shebang). */
export function nodeFlagsOf(script: string): string[] {
  const fd = openSync(script, 'r');
  try {
    const head = Buffer.alloc(256);
    const n = readSync(fd, head, 0, head.length, 0);
    return shebangNodeFlags(head.subarray(0, n).toString('utf8').split('\n')[0]!);
  } finally {
    closeSync(fd);
  }
}
