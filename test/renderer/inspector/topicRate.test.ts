import { describe, expect, it } from 'vitest';
import { formatTopicRate, topicRate } from '../../../renderer/src/inspector/topicRate.js';

describe('a topic’s shown rate', () => {
  const zeros = (n: number): number[] => Array<number>(n).fill(0);

  it('is the mean of the last 5 s of its history: one publish in 5 s reads 0.2/s', () => {
    expect(topicRate({ history: [...zeros(100), 1, 0, 0, 0, 0], msgsPerSec: 0 })).toBeCloseTo(0.2);
    expect(formatTopicRate({ history: [...zeros(100), 0, 0, 1, 0, 0], msgsPerSec: 0 })).toBe('0.2/s');
    expect(formatTopicRate({ history: [3, 0, 1, 0, 0, 2, 0], msgsPerSec: 0 })).toBe('0.6/s');
  });

  it('forgets what is older than 5 s, and keeps one decimal above', () => {
    expect(formatTopicRate({ history: [...zeros(10), 1, 0, 0, 0, 0, 0], msgsPerSec: 0 })).toBe('0/s');
    expect(formatTopicRate({ history: [100, 12, 12, 12, 13, 12], msgsPerSec: 12 })).toBe('12.2/s');
    expect(formatTopicRate({ history: [2000, 2000, 2000, 2000, 2000], msgsPerSec: 2000 })).toBe('2.0k/s');
  });

  it('averages what there is of a new topic’s history, and falls back to the host’s rate without any', () => {
    expect(formatTopicRate({ history: [1, 0], msgsPerSec: 0 })).toBe('0.5/s');
    expect(formatTopicRate({ history: [], msgsPerSec: 3 })).toBe('3.0/s');
  });
});
