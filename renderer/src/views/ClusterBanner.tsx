import type { ClusterSnapshot } from '../../../contract/hostContract.js';
import { isDown, joinNames, reachGroups } from '../ui/cluster.js';
import { IconAlert } from '../ui/icons.js';

/** A clear banner when a node is down or two up nodes are not linked (links are one hop). */
export function ClusterBanner({ snapshot }: { snapshot: ClusterSnapshot }) {
  if (!snapshot.exists) return null;
  const down = snapshot.nodes.filter(isDown);
  // The host lists unlinked pairs once links had time to come up: no banner flashes at creation.
  const partitioned = snapshot.unlinked.length > 0;
  const groups = partitioned ? reachGroups(snapshot) : [];
  if (!down.length && !partitioned) return null;
  const crashed = down.some((n) => n.state !== 'stopped');
  return (
    <div
      className={`banner ${crashed || partitioned ? 'banner-danger' : 'banner-warning'}`}
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
        {partitioned && (
          <p>
            {groups.length > 1 ? (
              <>
                <strong>Cluster partitioned:</strong>{' '}
                {groups.map((g) => `{${g.join(', ')}}`).join(' cannot reach ')}. Messages do not cross between
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
