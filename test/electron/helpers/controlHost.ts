import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import type { ClusterSnapshot, HostEvent } from '../../../contract/hostContract.js';
import { ControlHost } from '../../../electron/host/control/ControlHost.js';
import { SMQ_NODE_BIN } from '../../helpers/nodeProcess.js';

/** A real ControlHost per test on a fresh data folder, with the latest cluster snapshot it sent. */
export interface ControlHostFixture {
  readonly dataDir: string;
  readonly host: ControlHost;
  readonly latest: ClusterSnapshot | undefined;
}

/** Registers the per-test host (no restore, 200 ms polls, silent log); closed and removed after each. */
export function useControlHost(prefix: string): ControlHostFixture {
  const state: { dataDir: string; host: ControlHost | undefined; latest: ClusterSnapshot | undefined } = {
    dataDir: '',
    host: undefined,
    latest: undefined,
  };
  beforeEach(() => {
    state.dataDir = mkdtempSync(path.join(tmpdir(), prefix));
    state.latest = undefined;
    state.host = new ControlHost({
      dataDir: state.dataDir,
      nodeBin: SMQ_NODE_BIN,
      restore: false,
      pollMs: 200,
      log: () => {},
    });
    state.host.subscribe((e: HostEvent) => {
      if (e.stream === 'cluster') state.latest = e.snapshot;
    });
  });
  afterEach(async () => {
    await state.host?.close();
    rmSync(state.dataDir, { recursive: true, force: true });
  });
  return {
    get dataDir() {
      return state.dataDir;
    },
    get host() {
      return state.host!;
    },
    get latest() {
      return state.latest;
    },
  };
}
