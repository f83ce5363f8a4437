import type { ClusterSnapshot } from '../../../contract/hostContract.js';
import { isDown, joinNames, reachGroups } from '../ui/cluster.js';
import { IconAlert } from '../ui/icons.js';
import { natsUnreachable } from './natsText.js';

/** "n1 and n2 cannot reach n3", or, past two groups, each group after a semicolon. */
function partitionText(groups: string[][]): string {
  if (groups.length === 2) return `${joinNames(groups[0]!)} cannot reach ${joinNames(groups[1]!)}`;
  return `${groups.length} groups cannot reach each other: ${groups.map(joinNames).join('; ')}`;
}

/** A clear banner when a node is down or two up nodes are not linked (links are one hop). */
export function ClusterBanner({ snapshot }: { snapshot: ClusterSnapshot }) {
  if (!snapshot.exists) return null;
  const down = snapshot.nodes.filter(isDown);
  // On NATS with the server out, every pair is unlinked: the cause is the server, not the nodes.
  const nats =
    snapshot.transport === 'nats' && natsUnreachable(snapshot.natsServer) ? snapshot.natsServer : null;
  // The host lists unlinked pairs once links had time to come up: no banner flashes at creation.
  const partitioned = !nats && snapshot.unlinked.length > 0;
  const groups = partitioned ? reachGroups(snapshot) : [];
  if (!down.length && !partitioned && !nats) return null;
  const crashed = down.some((n) => n.state !== 'stopped');
  return (
    <div
      className={`banner ${crashed || partitioned || nats ? 'banner-danger' : 'banner-warning'}`}
      role="alert"
      data-testid="cluster-banner"
    >
      <IconAlert />
      <div>
        {down.length > 0 && (
          <p>
            <strong>
              {down.length === 1 ? 'Node' : 'Nodes'} {joinNames(down.map((n) => `${n.id} (${n.state})`))}{' '}
              {down.length === 1 ? 'is' : 'are'} down.
            </strong>{' '}
            {down.length === 1 ? 'Its' : 'Their'} clients and devices reconnect to the surviving nodes;{' '}
            {snapshot.kind === 'remote'
              ? `the host shows ${down.length === 1 ? 'it' : 'them'} again as soon as ${down.length === 1 ? 'it answers' : 'they answer'}.`
              : `start ${down.length === 1 ? 'it' : 'them'} again from the Cluster view.`}
          </p>
        )}
        {nats && (
          <p data-testid="cluster-banner-nats">
            <strong>
              NATS server {nats.url} {nats.state === 'restarting' ? 'is restarting' : 'unreachable'}: nodes
              cannot reach each other.
            </strong>{' '}
            Each node still serves its own clients; messages do not cross to other nodes until NATS is back.
          </p>
        )}
        {partitioned && (
          <p>
            {groups.length > 1 ? (
              <>
                <strong>Cluster partitioned:</strong> {partitionText(groups)}. Messages do not cross between
                the groups until the links heal.
              </>
            ) : (
              <>
                <strong>Not linked: {joinNames(snapshot.unlinked.map(([a, b]) => `${a} ↔ ${b}`))}.</strong>{' '}
                Links are one hop, so the clients of{' '}
                {snapshot.unlinked.length === 1 ? 'these two nodes' : 'each pair'} exchange no messages until
                the link is back, even through other nodes.
              </>
            )}
          </p>
        )}
      </div>
    </div>
  );
}
