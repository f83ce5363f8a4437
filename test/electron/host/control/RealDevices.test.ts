import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type {
  DeviceView,
  DrainView,
  NodeState,
  NodeView,
  TopicView,
} from '../../../../contract/hostContract.js';
import type { ClusterSource } from '../../../../electron/host/control/ClusterSource.js';
import { RealDevices, SETTLE_MS } from '../../../../electron/host/control/RealDevices.js';
import { DISPLAY_TOPIC } from '../../../../broker/src/devices/ledProtocol.js';

/*
 * When the host starts its device watch: only once the nodes' display-topic subscribers exceed the
 * host's own connected devices for several listings in a row, with no node draining or just
 * changed. A drain or failover moves the host's devices, and for a few lagging listings one of them
 * is counted on two nodes: that flap must not start the watch.
 */

type Node = Pick<NodeView, 'id' | 'state' | 'drain'>;

let nodes: Node[];
let real: RealDevices;
const own: DeviceView[] = Array.from(
  { length: 4 },
  (_, i) => ({ connected: true, name: `sim-${i}` }) as DeviceView,
);

/** One topic listing: display subscribers per node. */
function listing(counts: Record<string, number>): TopicView[] {
  const perNode = Object.entries(counts).map(([nodeId, subscribers]) => ({ nodeId, subscribers }));
  return [{ name: DISPLAY_TOPIC, nodes: perNode } as unknown as TopicView];
}

const node = (id: string, state: NodeState, drain: DrainView | null = null): Node => ({ id, state, drain });
const draining: DrainView = { state: 'draining', total: 2, remaining: 1, startedAtMs: 0 };

beforeEach(() => {
  vi.useFakeTimers();
  nodes = [node('n1', 'up'), node('n2', 'up')];
  const source = { nodes: () => nodes } as unknown as ClusterSource;
  real = new RealDevices({
    source,
    simulated: () => own,
    // Nothing listens there: a started watch only retries, which the test does not need.
    urls: () => ['http://127.0.0.1:9/smq.lsp'],
    changed: () => {},
  });
});
afterEach(() => {
  real.close();
  vi.useRealTimers();
});

/** A listing a second, as the host gets them. */
function feed(counts: Record<string, number>, times: number): void {
  for (let i = 0; i < times; i++) {
    real.onTopics(listing(counts));
    vi.advanceTimersByTime(1000);
  }
}

describe('the real-device watch', () => {
  it('starts after three listings in a row count a device the host did not start, once nodes settled', () => {
    feed({ n1: 2, n2: 2 }, SETTLE_MS / 1000 + 1);
    expect(real.watching).toBe(false);
    feed({ n1: 2, n2: 3 }, 2);
    expect(real.watching).toBe(false);
    feed({ n1: 2, n2: 3 }, 1);
    expect(real.watching).toBe(true);
  });

  it('does not start when one listing in between counts no extra device', () => {
    feed({ n1: 2, n2: 2 }, SETTLE_MS / 1000 + 1);
    feed({ n1: 2, n2: 3 }, 2);
    feed({ n1: 2, n2: 2 }, 1);
    feed({ n1: 2, n2: 3 }, 2);
    expect(real.watching).toBe(false);
  });

  it('does not start while a node with the host’s devices drains, nor right after it stopped', () => {
    feed({ n1: 2, n2: 2 }, SETTLE_MS / 1000 + 1);
    // n2 drains: its devices reconnect to n1 while n2's count lags (one counted twice, for long).
    nodes = [node('n1', 'up'), node('n2', 'up', draining)];
    feed({ n1: 3, n2: 2 }, 5);
    feed({ n1: 4, n2: 1 }, 5);
    expect(real.watching).toBe(false);
    // Drained and stopped: the last listings still count n2's last device on both.
    nodes = [node('n1', 'up'), node('n2', 'stopped', { ...draining, state: 'drained', remaining: 0 })];
    feed({ n1: 4, n2: 1 }, 3);
    expect(real.watching).toBe(false);
    feed({ n1: 4 }, SETTLE_MS / 1000);
    expect(real.watching).toBe(false);
  });

  it('does not start on the double count of a failover right after a node went down', () => {
    feed({ n1: 2, n2: 2 }, SETTLE_MS / 1000 + 1);
    nodes = [node('n1', 'up'), node('n2', 'unreachable')];
    // n2's devices came back on n1 and n2's last count is up to date nowhere: n1 counts 5 for a while.
    feed({ n1: 5 }, 3);
    expect(real.watching).toBe(false);
    feed({ n1: 4 }, 3);
    expect(real.watching).toBe(false);
  });
});
