import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { readFileSync } from 'node:fs';

const CLK_TCK = 100;

/** Where taskset exists, pins a command to one CPU; elsewhere runs it as is. */
export const hasTaskset = spawnSync('taskset', ['--version'], { stdio: 'ignore' }).status === 0;

/**
 * Other users build and test on this machine at the same time. As root, brokers and load generators
 * run at nice -10, so those jobs take less of the two cores from the measurement (it cannot be
 * excluded: the "other CPU" column shows what remained).
 */
export const BENCH_NICE = process.getuid?.() === 0 ? -10 : 0;

export interface Group {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Resolves with the exit code (or signal name) once the process is gone. */
  readonly exited: Promise<number | string>;
}

const live = new Set<Group>();

/** Starts a command in its own process group (killed as a group by killGroup or at exit). */
export function spawnGroup(
  cmd: string,
  args: string[],
  opts: { cpu?: number; ipc?: boolean; cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Group {
  const pinned = opts.cpu !== undefined && hasTaskset;
  let argv = pinned ? ['taskset', '-c', String(opts.cpu), cmd, ...args] : [cmd, ...args];
  if (BENCH_NICE !== 0) argv = ['nice', '-n', String(BENCH_NICE), ...argv];
  const file = argv[0]!;
  argv = argv.slice(1);
  const spawnOpts: SpawnOptions = {
    detached: true,
    cwd: opts.cwd,
    env: opts.env ?? process.env,
    stdio: opts.ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
  };
  const child = spawn(file, argv, spawnOpts);
  if (child.pid === undefined) throw new Error(`cannot start ${cmd}`);
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
    child.once('error', () => resolve('spawn-error'));
  });
  const group: Group = { child, pid: child.pid, exited };
  live.add(group);
  void exited.then(() => live.delete(group));
  return group;
}

/** Signals the whole group; after `graceMs` without exit, SIGKILLs it. */
export async function killGroup(g: Group, signal: NodeJS.Signals = 'SIGKILL', graceMs = 3000): Promise<void> {
  const send = (sig: NodeJS.Signals): void => {
    try {
      process.kill(-g.pid, sig);
    } catch {
      // already gone
    }
  };
  send(signal);
  if (signal === 'SIGKILL') {
    await Promise.race([g.exited, delay(graceMs)]);
    return;
  }
  const timer = setTimeout(() => send('SIGKILL'), graceMs);
  await g.exited;
  clearTimeout(timer);
  send('SIGKILL'); // children of the leader, if any
}

/** Kills every group still running: on exit, on a signal, on a crash of the orchestrator. */
export function killAllSync(): void {
  for (const g of live) {
    try {
      process.kill(-g.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  live.clear();
}

/** Resolves with the first regex match in the child's stdout or stderr, or rejects on timeout/exit. */
export function waitForOutput(g: Group, re: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let text = '';
    const onData = (chunk: Buffer): void => {
      text += chunk.toString('utf8');
      const m = text.match(re);
      if (m) finish(() => resolve(m));
    };
    const timer = setTimeout(
      () => finish(() => reject(new Error(`timed out waiting for ${re}: ${text.slice(-300)}`))),
      timeoutMs,
    );
    const finish = (fn: () => void): void => {
      clearTimeout(timer);
      g.child.stdout?.off('data', onData);
      g.child.stderr?.off('data', onData);
      fn();
    };
    g.child.stdout?.on('data', onData);
    g.child.stderr?.on('data', onData);
    void g.exited.then((code) => finish(() => reject(new Error(`exited (${code}): ${text.slice(-300)}`))));
  });
}

/** Drains a child's output so a full pipe never blocks it; keeps the last few KB for error messages. */
export function keepTail(g: Group, bytes = 4096): () => string {
  let tail = '';
  const onData = (chunk: Buffer): void => {
    tail = (tail + chunk.toString('utf8')).slice(-bytes);
  };
  g.child.stdout?.on('data', onData);
  g.child.stderr?.on('data', onData);
  return () => tail;
}

/** utime + stime of a process in milliseconds, from /proc/PID/stat; undefined once it is gone. */
export function cpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which may contain spaces, start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return (ticks * 1000) / CLK_TCK;
  } catch {
    return undefined;
  }
}

/** CPU time (ms) every CPU of the machine spent busy, from /proc/stat: to see other users' load. */
export function machineBusyMs(): number {
  try {
    const first = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
    const f = first.trim().split(/\s+/).slice(1).map(Number);
    const total = f.slice(0, 8).reduce((a, b) => a + b, 0);
    return ((total - (f[3] ?? 0) - (f[4] ?? 0)) * 1000) / CLK_TCK;
  } catch {
    return NaN;
  }
}

/** Resident set size in bytes, from /proc/PID/status; undefined once the process is gone. */
export function rssBytes(pid: number): number | undefined {
  try {
    const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB/m);
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
