import { describe, expect, it } from 'vitest';
import type { LinkView } from '../../../../contract/hostContract.js';
import {
  LINK_SETTLE_MS,
  unlinkedPairs,
  type MeshMember,
} from '../../../../electron/host/control/meshView.js';

const member = (id: string, up = true, uptimeMs = 60_000): MeshMember => ({
  id,
  up,
  name: id,
  health: up
    ? {
        uptimeMs,
        sessions: 0,
        topics: 0,
        deliveries: 0,
        traffic: { msgsIn: 0, msgsOut: 0, bytesIn: 0, bytesOut: 0 },
      }
    : undefined,
});
const link = (a: string, b: string, state: LinkView['state']): LinkView => ({
  a,
  b,
  state,
  rttMs: null,
  queuedBytes: 0,
  lastReason: null,
});

describe('unlinkedPairs', () => {
  it('lists a cut pair even when both reach a third node (links are one hop)', () => {
    const members = [member('n1'), member('n2'), member('n3')];
    const links = [link('n1', 'n2', 'cut'), link('n1', 'n3', 'up'), link('n2', 'n3', 'up')];
    expect(unlinkedPairs(members, links)).toEqual([['n1', 'n2']]);
  });

  it('does not list links of a down node, or links still coming up in a node’s first seconds', () => {
    const members = [member('n1'), member('n2', true, LINK_SETTLE_MS - 1), member('n3', false)];
    const links = [link('n1', 'n2', 'connecting'), link('n1', 'n3', 'down'), link('n2', 'n3', 'down')];
    expect(unlinkedPairs(members, links)).toEqual([]);
  });

  it('lists a link that stays down between settled nodes', () => {
    const members = [member('n1'), member('n2')];
    expect(unlinkedPairs(members, [link('n1', 'n2', 'connecting')])).toEqual([['n1', 'n2']]);
    expect(unlinkedPairs(members, [link('n1', 'n2', 'up')])).toEqual([]);
  });
});
