import type { TopicView } from '../../../contract/hostContract.js';
import { formatRate } from '../ui/format.js';

/** How many of the topic's per-second history points its shown rate averages. */
export const RATE_WINDOW_SECONDS = 5;

/**
 * A topic's msgs/s as the inspector and the Topics view show it: the mean of the last
 * RATE_WINDOW_SECONDS points of its history (one per second), so a topic that publishes once
 * every few seconds reads 0.2/s rather than 0 in most seconds. A topic with no history yet: the
 * host's current rate.
 */
export function topicRate(t: Pick<TopicView, 'history' | 'msgsPerSec'>): number {
  const recent = t.history.slice(-RATE_WINDOW_SECONDS);
  if (recent.length === 0) return t.msgsPerSec;
  return recent.reduce((sum, v) => sum + v, 0) / recent.length;
}

/** "0.2/s", "12.3/s", "1.5k/s". */
export function formatTopicRate(t: Pick<TopicView, 'history' | 'msgsPerSec'>): string {
  return `${formatRate(topicRate(t))}/s`;
}
