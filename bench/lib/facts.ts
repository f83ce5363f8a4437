import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { hasTaskset } from './proc.js';
import { mosquittoVersion, packageVersion } from './targets.js';

export interface MachineFacts {
  cpus: number;
  cpuModel: string;
  memoryMB: number;
  kernel: string;
  node: string;
  taskset: boolean;
  openFileLimit: string;
}

export interface Versions {
  ws: string;
  aedes: string;
  mosquitto: string;
  broker: { commit: string; srcChangedSinceCommit: boolean; distBuiltAt: string };
}

function sh(cmd: string, args: string[], cwd?: string): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', cwd });
  return (r.stdout ?? '').trim();
}

export function machineFacts(): MachineFacts {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    memoryMB: Math.round(os.totalmem() / 2 ** 20),
    kernel: os.release(),
    node: process.version,
    taskset: hasTaskset,
    openFileLimit: sh('sh', ['-c', 'ulimit -n']),
  };
}

export function versions(repo: string): Versions {
  let distBuiltAt = 'missing';
  try {
    distBuiltAt = statSync(path.join(repo, 'broker/dist/index.js')).mtime.toISOString();
  } catch {
    // not built
  }
  return {
    ws: packageVersion(repo, 'ws'),
    aedes: packageVersion(repo, 'aedes'),
    mosquitto: mosquittoVersion() ?? 'not installed',
    broker: {
      commit: sh('git', ['rev-parse', '--short', 'HEAD'], repo) || 'unknown',
      srcChangedSinceCommit: sh('git', ['status', '--porcelain', 'broker/src'], repo) !== '',
      distBuiltAt,
    },
  };
}
