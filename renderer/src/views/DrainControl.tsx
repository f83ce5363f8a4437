import type { DrainView, NodeView } from '../../../contract/hostContract.js';
import { useHost } from '../host/HostContext.js';
import { ActionButton } from '../ui/ActionButton.js';
import { ConfirmButton } from '../ui/ConfirmButton.js';
import { formatCount } from '../ui/format.js';
import { IconDrain } from '../ui/icons.js';
import '../styles/drain.css';

/** Draining, or drained and about to stop. */
const inDrain = (node: NodeView): boolean => node.drain !== null && node.drain.state !== 'cancelled';

/**
 * "Drain": maintenance without disruption. Armed by a first press (it ends with the node stopped),
 * run by the second. The accessible name carries the node, as every card has the same button.
 */
export function DrainButton({ node }: { node: NodeView }) {
  const host = useHost();
  const nodeId = node.id;
  if (node.state !== 'up' || inDrain(node)) return null;
  return (
    <span
      className="drain-button"
      title="Moves its clients to the other nodes a few at a time, then stops it"
    >
      <ConfirmButton
        action={`Drain ${nodeId}`}
        run={() => host.call('drainNode', { nodeId })}
        confirmLabel={`Drain and stop ${nodeId}?`}
        ariaLabel={`Drain ${nodeId}`}
      >
        <IconDrain /> Drain
      </ConfirmButton>
    </span>
  );
}

/**
 * The card's maintenance row: "Drain" while the node is up, then the drain's progress (how many of
 * its clients have moved, as a bar) with a way to call it off. Once drained the node is stopped by
 * the host (local) or exits (remote), and the card shows it stopped.
 */
export function DrainSection({ node }: { node: NodeView }) {
  if (node.state !== 'up') return null;
  if (!inDrain(node)) {
    return (
      <div className="drain-row">
        <span className="muted small">Maintenance</span>
        <DrainButton node={node} />
      </div>
    );
  }
  return <DrainProgress node={node} drain={node.drain!} />;
}

function DrainProgress({ node, drain }: { node: NodeView; drain: DrainView }) {
  const host = useHost();
  const nodeId = node.id;
  const moved = drain.total - drain.remaining;
  const label =
    drain.state === 'drained'
      ? `All ${formatCount(drain.total)} clients moved: stopping ${nodeId}`
      : `Draining: ${formatCount(moved)} of ${formatCount(drain.total)} clients moved`;
  return (
    <div className="drain-progress" data-testid={`drain-${nodeId}`} data-state={drain.state} role="status">
      <div className="drain-progress-row">
        <span>{label}</span>
        {drain.state === 'draining' && (
          <ActionButton
            action={`Cancel the drain of ${nodeId}`}
            ariaLabel={`Cancel the drain of ${nodeId}`}
            run={() => host.call('cancelDrain', { nodeId })}
            variant="ghost"
          >
            Cancel
          </ActionButton>
        )}
      </div>
      <progress
        className="progress-bar"
        aria-label={`${nodeId} drain progress`}
        max={Math.max(drain.total, 1)}
        value={drain.total === 0 ? 1 : moved}
      />
    </div>
  );
}
