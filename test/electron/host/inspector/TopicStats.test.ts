import { describe, expect, it } from 'vitest';
import { TOPIC_HISTORY_SECONDS } from '../../../../contract/hostContract.js';
import type { AdminTopic } from '../../../../broker/src/admin/adminWire.js';
import { TopicStats } from '../../../../electron/host/inspector/TopicStats.js';

const topic = (over: Partial<AdminTopic>): AdminTopic => ({
  name: '/t',
  tid: 2,
  subscribers: 0,
  msgs: 0,
  bytes: 0,
  peerMsgs: 0,
  peerBytes: 0,
  subtopics: [],
  subtopicsUnlisted: 0,
  ...over,
});

describe('TopicStats', () => {
  it('sums the rate of publishes where they were published, once across nodes', () => {
    const s = new TopicStats();
    s.update('n1', [topic({ msgs: 100, bytes: 1000 })], 0);
    s.update('n2', [topic({ peerMsgs: 100, subscribers: 2, tid: 5 })], 0);
    s.update('n1', [topic({ msgs: 300, bytes: 3000 })], 2000);
    s.update('n2', [topic({ peerMsgs: 300, subscribers: 2, tid: 5 })], 2000);
    s.tick();
    const [v] = s.views();
    expect(v).toMatchObject({ name: '/t', msgsPerSec: 100, bytesPerSec: 1000, history: [100] });
    expect(v!.nodes).toEqual([
      { nodeId: 'n1', tid: 2, subscribers: 0 },
      { nodeId: 'n2', tid: 5, subscribers: 2 },
    ]);
  });

  it('gives no rate across a node restart (its counters start again)', () => {
    const s = new TopicStats();
    s.update('n1', [topic({ msgs: 500 })], 0);
    s.update('n1', [topic({ msgs: 10 })], 1000);
    s.tick();
    expect(s.views()[0]!.msgsPerSec).toBe(0);
  });

  it('shows the busiest node’s last payload and every sub-topic seen', () => {
    const s = new TopicStats();
    const quiet = { size: 1, head: 'cQ==', truncated: false };
    const busy = { size: 1, head: 'Yg==', truncated: false };
    s.update('n1', [topic({ msgs: 0, last: quiet, subtopics: ['a'] })], 0);
    s.update('n2', [topic({ msgs: 0, last: busy, subtopics: ['b'] })], 0);
    s.update('n1', [topic({ msgs: 1, last: quiet, subtopics: ['a'] })], 1000);
    s.update('n2', [topic({ msgs: 50, last: busy, subtopics: ['b'] })], 1000);
    s.tick();
    expect(s.views()[0]).toMatchObject({ lastPayload: 'Yg==', subtopics: ['a', 'b'] });
  });

  it('keeps a bounded history and forgets topics no node has', () => {
    const s = new TopicStats();
    for (let i = 0; i < TOPIC_HISTORY_SECONDS + 20; i++) {
      s.update('n1', [topic({ msgs: i })], i * 1000);
      s.tick();
    }
    expect(s.views()[0]!.history).toHaveLength(TOPIC_HISTORY_SECONDS);
    s.forget('n1');
    s.tick();
    expect(s.views()).toEqual([]);
  });
});
