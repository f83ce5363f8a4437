import type { ClusterSnapshot } from '../../../contract/hostContract.js';
import { isDown, joinNames, reachGroups } from '../ui/cluster.js';
import { IconAlert } from '../ui/icons.js';

/** A clear banner when a node is down or the up nodes cannot all reach each other. */
export function ClusterBanner({ snapshot }: { snapshot: ClusterSnapshot }) {
  if (!snapshot.exists) return null;
  const down = snapshot.nodes.filter(isDown);
  const groups = reachGroups(snapshot);
  const partitioned = snapshot.partitioned || groups.length > 1;
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
            <strong>Cluster partitioned:</strong>{' '}
            {groups.length > 1
              ? groups.map((g) => `{${g.join(', ')}}`).join(' cannot reach ')
              : 'some up nodes cannot reach each other'}
            . Messages do not cross between the groups until the links heal.
          </p>
        )}
      </div>
    </div>
  );
}
