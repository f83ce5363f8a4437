import type { TopicView } from '../../../contract/hostContract.js';
import { Sparkline } from '../ui/Sparkline.js';
import { formatTopicRate, RATE_WINDOW_SECONDS, topicRate } from './topicRate.js';

const SHOWN = 6;
const POINTS = 60;

/** The busiest topics (mean msgs/s over 5 s) with a sparkline each; a click filters the inspector to one. */
export function TopicStrip({
  topics,
  active,
  onPick,
}: {
  topics: readonly TopicView[];
  active: string | undefined;
  onPick: (topic: string) => void;
}) {
  const busiest = [...topics].sort((a, b) => topicRate(b) - topicRate(a)).slice(0, SHOWN);
  if (busiest.length === 0) return null;
  return (
    <ul className="topic-strip" aria-label="Busiest topics">
      {busiest.map((t) => (
        <li key={t.name}>
          <button
            type="button"
            className="topic-chip"
            aria-pressed={active === t.name}
            onClick={() => onPick(t.name)}
            title={`Show only ${t.name}`}
          >
            <span className="mono ellipsis">{t.name}</span>
            <span className="muted small" title={`Mean over the last ${RATE_WINDOW_SECONDS} s`}>
              {formatTopicRate(t)}
            </span>
            <Sparkline values={t.history.slice(-POINTS)} label={`${t.name}: msgs/s, last minute`} />
          </button>
        </li>
      ))}
    </ul>
  );
}
