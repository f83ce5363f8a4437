import { closeSync, openSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const FILE = 'host.lock';

/** What the running instance wrote: its pid, and its launch URL once it listens. */
export interface LockInfo {
  pid: number;
  url?: string;
}

export class AlreadyRunning extends Error {
  constructor(readonly holder: LockInfo) {
    super(
      holder.url
        ? `already running (pid ${holder.pid}): ${holder.url}`
        : `already running (pid ${holder.pid}), still starting`,
    );
    this.name = 'AlreadyRunning';
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function read(file: string): LockInfo | undefined {
  try {
    const info = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockInfo>;
    return typeof info.pid === 'number' ? { pid: info.pid, url: info.url } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * One host per data folder: a second one would start the saved cluster's nodes on ports the first
 * holds and overwrite its profile. The lock file (mode 0600, it holds the launch URL with its
 * token) names the running pid; a lock whose pid is gone is stale and taken over.
 */
export class InstanceLock {
  private readonly file: string;

  private constructor(dir: string) {
    this.file = path.join(dir, FILE);
  }

  /** Takes the lock, or throws AlreadyRunning with the holder's pid and URL. */
  static acquire(dir: string): InstanceLock {
    const lock = new InstanceLock(dir);
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(lock.file, 'wx', 0o600);
        writeFileSync(fd, JSON.stringify({ pid: process.pid } satisfies LockInfo));
        closeSync(fd);
        return lock;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        const holder = read(lock.file);
        if (holder && alive(holder.pid)) throw new AlreadyRunning(holder);
        unlinkSync(lock.file);
      }
    }
    throw new Error(`cannot take ${lock.file}`);
  }

  /** Records the launch URL for a second start to print. */
  listening(url: string): void {
    writeFileSync(this.file, JSON.stringify({ pid: process.pid, url } satisfies LockInfo), { mode: 0o600 });
  }

  release(): void {
    if (read(this.file)?.pid !== process.pid) return;
    try {
      unlinkSync(this.file);
    } catch {
      // already gone
    }
  }
}
