import { spawn, type ChildProcess } from 'node:child_process';
import { waitFor } from './waitFor.js';

/** A child in its own process group, so teardown kills it and anything it started. */
export class Child {
  stdout = '';
  stderr = '';
  exitCode: number | null | undefined;
  signal: NodeJS.Signals | null | undefined;
  readonly proc: ChildProcess;
  private static readonly live = new Set<Child>();

  constructor(command: string, args: string[], env: NodeJS.ProcessEnv = process.env) {
    this.proc = spawn(command, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env });
    this.proc.stdout!.on('data', (c: Buffer) => (this.stdout += c.toString()));
    this.proc.stderr!.on('data', (c: Buffer) => (this.stderr += c.toString()));
    this.proc.on('exit', (code, signal) => {
      this.exitCode = code;
      this.signal = signal;
      Child.live.delete(this);
    });
    Child.live.add(this);
  }

  get exited(): boolean {
    return this.exitCode !== undefined;
  }

  async line(re: RegExp, timeout = 10_000): Promise<RegExpMatchArray> {
    return waitFor(() => this.stdout.match(re) ?? (this.exited ? fail(this) : undefined), {
      timeout,
      what: String(re),
    });
  }

  async waitExit(timeout = 10_000): Promise<void> {
    await waitFor(() => this.exited, { timeout, what: 'process exit' });
  }

  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    if (this.exited || this.proc.pid === undefined) return;
    try {
      process.kill(-this.proc.pid, signal);
    } catch {
      // already gone
    }
  }

  /** Kills every child still running, as a group: for afterEach, also when a test failed. */
  static async killAll(): Promise<void> {
    const all = [...Child.live];
    for (const c of all) c.kill('SIGKILL');
    await Promise.all(all.map((c) => c.waitExit()));
  }
}

function fail(c: Child): never {
  throw new Error(`process exited (${c.exitCode ?? c.signal}) before the line appeared; stderr: ${c.stderr}`);
}
