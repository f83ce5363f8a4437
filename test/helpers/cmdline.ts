import { readFileSync } from 'node:fs';

/** The argv a running process was started with, as the kernel has it (Linux). */
export function cmdline(pid: number): string[] {
  return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
}
