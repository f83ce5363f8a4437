import { describe, expect, it } from 'vitest';
import type { NodeState, NodeView } from '../../../../contract/hostContract.js';
import { NodeLifecycle } from '../../../../electron/host/inspector/NodeLifecycle.js';
import type { UnnumberedRow } from '../../../../electron/host/inspector/TapRing.js';

function view(id: string, state: NodeState, lastError: NodeView['lastError'] = null): NodeView {
  return { id, state, lastError, drain: null } as NodeView;
}

function drained(id: string): NodeView {
  return { ...view(id, 'stopped'), drain: { state: 'drained', total: 7, remaining: 0, startedAtMs: 1 } };
}

function follow(kind: 'local' | 'remote', steps: NodeView[][]): string[] {
  const rows: UnnumberedRow[] = [];
  const lifecycle = new NodeLifecycle((r) => rows.push(r));
  for (const nodes of steps) lifecycle.update(nodes, kind);
  return rows.map((r) => `${r.nodeId} ${r.kind} ${r.reason}${r.detail ? ` (${r.detail})` : ''}`);
}

describe('node start/stop rows from the node states the host follows', () => {
  it('reports a local node started, killed, restarted, crashed and stopped, once per transition', () => {
    const crash = { code: 'NodeCrashed' as const, message: 'n1 exited with code 3' };
    expect(
      follow('local', [
        [view('n1', 'starting')],
        [view('n1', 'up')],
        [view('n1', 'up')],
        [view('n1', 'killed')],
        [view('n1', 'starting')],
        [view('n1', 'up')],
        [view('n1', 'crashed', crash)],
        [view('n1', 'crashed', crash)],
        [view('n1', 'starting')],
        [view('n1', 'up')],
        [view('n1', 'stopping')],
        [view('n1', 'stopped')],
      ]),
    ).toEqual([
      'n1 nodeStart Started',
      'n1 nodeStop Killed (SIGKILL from the host)',
      'n1 nodeStart Started',
      'n1 nodeStop Exited (n1 exited with code 3)',
      'n1 nodeStart Started',
      'n1 nodeStop Stopped (SIGTERM from the host)',
    ]);
  });

  it('reports a remote node reachable and unreachable, and nothing for one never seen up', () => {
    const lost = { code: 'NodeUnreachable' as const, message: 'http://10.0.0.2:8080: fetch failed' };
    expect(
      follow('remote', [
        [view('a', 'unreachable', lost), view('b', 'unreachable', lost)],
        [view('a', 'up'), view('b', 'unreachable', lost)],
        [view('a', 'unreachable', lost), view('b', 'unreachable', lost)],
      ]),
    ).toEqual(['a nodeStart Reachable', 'a nodeStop Unreachable (http://10.0.0.2:8080: fetch failed)']);
  });

  it('reports a node its drain stopped as Drained, local (stopped by the host) or remote (exited)', () => {
    const draining = {
      ...view('n1', 'up'),
      drain: { state: 'draining', total: 7, remaining: 3, startedAtMs: 1 },
    };
    expect(
      follow('local', [
        [view('n1', 'up')],
        [draining as NodeView],
        [view('n1', 'stopping')],
        [drained('n1')],
      ]),
    ).toEqual([
      'n1 nodeStart Started',
      'n1 nodeStop Drained (its 7 clients moved, then SIGTERM from the host)',
    ]);
    expect(follow('remote', [[view('a', 'up')], [drained('a')]])).toEqual([
      'a nodeStart Reachable',
      'a nodeStop Drained (its 7 clients moved, it exited by itself)',
    ]);
    // A drain cancelled, then a plain stop: Stopped.
    const cancelled = {
      ...view('n1', 'up'),
      drain: { state: 'cancelled', total: 7, remaining: 3, startedAtMs: 1 },
    };
    expect(follow('local', [[view('n1', 'up')], [cancelled as NodeView], [view('n1', 'stopped')]])).toEqual([
      'n1 nodeStart Started',
      'n1 nodeStop Stopped (SIGTERM from the host)',
    ]);
  });
});
