import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import type { ClusterSnapshot, HostEvent, TapRow } from '../../../contract/hostContract.js';
import { ControlHost } from '../../../electron/host/control/ControlHost.js';
import type { HostConnection } from '../../../electron/host/control/HostConnection.js';
import { SMQ_NODE_BIN } from '../../helpers/nodeProcess.js';

/** A real ControlHost per test on a fresh data folder, with the latest cluster snapshot it sent. */
export interface ControlHostFixture {
  readonly dataDir: string;
  readonly host: ControlHost;
  readonly latest: ClusterSnapshot | undefined;
  /** With `connection`: the UI connection the snapshots (and tap rows) come through. */
  readonly ui: HostConnection;
  /** With `connection`: every tap row the connection received. */
  readonly rows: TapRow[];
}

interface State {
  dataDir: string;
  host?: ControlHost;
  ui?: HostConnection;
  latest?: ClusterSnapshot;
  rows: TapRow[];
}

/**
 * Registers the per-test host (no restore, 200 ms polls, silent log); closed and removed after each.
 * `connection`: listen through a UI connection (host.connect()), as a window does, not the host.
 */
export function useControlHost(prefix: string, options: { connection?: boolean } = {}): ControlHostFixture {
  const s: State = { dataDir: '', rows: [] };
  const listen = (e: HostEvent): void => {
    if (e.stream === 'cluster') s.latest = e.snapshot;
    if (e.stream === 'tap') s.rows.push(...e.batch.rows);
  };
  beforeEach(() => {
    s.dataDir = mkdtempSync(path.join(tmpdir(), prefix));
    s.latest = undefined;
    s.rows.length = 0;
    s.host = new ControlHost({
      dataDir: s.dataDir,
      nodeBin: SMQ_NODE_BIN,
      restore: false,
      pollMs: 200,
      log: () => {},
    });
    if (options.connection) {
      s.ui = s.host.connect();
      s.ui.subscribe(listen);
    } else s.host.subscribe(listen);
  });
  afterEach(async () => {
    s.ui?.close();
    await s.host?.close();
    rmSync(s.dataDir, { recursive: true, force: true });
  });
  return {
    get dataDir() {
      return s.dataDir;
    },
    get host() {
      return s.host!;
    },
    get latest() {
      return s.latest;
    },
    get ui() {
      if (!s.ui) throw new Error('useControlHost: no connection (pass { connection: true })');
      return s.ui;
    },
    rows: s.rows,
  };
}
