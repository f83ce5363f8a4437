import type { NodeView } from '../../../contract/hostContract.js';
import { formatBytes, formatCount, formatRtt } from '../ui/format.js';
import { spokeState } from './natsText.js';

/** On NATS the links panel lists each node's connection to NATS instead of mesh links. */
export function NatsTable({ nodes }: { nodes: NodeView[] }) {
  return (
    <table className="table links-table" aria-label="Connections to NATS" data-testid="nats-table">
      <thead>
        <tr>
          <th scope="col">Node</th>
          <th scope="col">NATS</th>
          <th scope="col" className="num">
            RTT
          </th>
          <th scope="col" className="num">
            Reconn.
          </th>
          <th scope="col" className="num">
            Pending
          </th>
        </tr>
      </thead>
      <tbody>
        {nodes.map((n) => (
          <tr key={n.id} className={`link-row link-${spokeState(n)}`}>
            <td className="mono" title={n.nats?.server ?? undefined}>
              {n.id}
            </td>
            <td>{n.nats?.state ?? n.state}</td>
            <td className="num mono">{formatRtt(n.nats?.rttMs ?? null)}</td>
            <td className="num mono">{n.nats ? formatCount(n.nats.reconnects) : '–'}</td>
            <td className="num mono">{n.nats ? formatBytes(n.nats.pendingBytes) : '–'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
