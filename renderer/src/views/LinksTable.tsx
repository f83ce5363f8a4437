import type { LinkView } from '../../../contract/hostContract.js';
import { useHost } from '../host/HostContext.js';
import { ActionButton } from '../ui/ActionButton.js';
import { formatBytes, formatRtt } from '../ui/format.js';
import { linkKey } from '../ui/cluster.js';
import { IconCut, IconLink } from '../ui/icons.js';

/** Every mesh link with its state, RTT and queue, and cut/restore (the keyboard path to links). */
export function LinksTable({
  links,
  selected,
  onSelect,
}: {
  links: LinkView[];
  selected: string | null;
  onSelect: (key: string | null) => void;
}) {
  const host = useHost();
  if (!links.length) {
    return <p className="muted small pad">One node has no links. Add a node to form a mesh.</p>;
  }
  return (
    <table className="table links-table mesh-links">
      <thead>
        <tr>
          <th scope="col">Link</th>
          <th scope="col" className="col-state">
            State
          </th>
          <th scope="col" className="num col-num">
            RTT
          </th>
          <th scope="col" className="num col-num">
            Queued
          </th>
          <th scope="col" className="col-actions">
            <span className="sr-only">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {links.map((l) => {
          const key = linkKey(l);
          const name = `${l.a} ↔ ${l.b}`;
          return (
            <tr
              key={key}
              className={selected === key ? 'selected' : undefined}
              onClick={() => onSelect(selected === key ? null : key)}
              data-testid={`link-row-${key}`}
            >
              <td className="mono" title={name}>
                <span className="link-name">
                  <span>{l.a}</span>
                  <span>↔ {l.b}</span>
                </span>
              </td>
              <td>
                <span
                  className={`badge badge-link-${l.state}`}
                  title={l.lastReason ? `last close: ${l.lastReason}` : undefined}
                >
                  {l.state}
                </span>
                {l.lastReason && l.state === 'down' && (
                  <span className="muted small reason" title={l.lastReason}>
                    {l.lastReason}
                  </span>
                )}
              </td>
              <td className="num mono">{l.state === 'up' ? formatRtt(l.rttMs) : '–'}</td>
              <td className="num mono">{formatBytes(l.queuedBytes)}</td>
              <td className="actions">
                {l.state === 'cut' ? (
                  <ActionButton
                    action={`Restore ${name}`}
                    run={() => host.call('restoreLink', { a: l.a, b: l.b })}
                    variant="ghost"
                    ariaLabel={`Restore link ${name}`}
                  >
                    <IconLink /> Restore
                  </ActionButton>
                ) : (
                  <ActionButton
                    action={`Cut ${name}`}
                    run={() => host.call('cutLink', { a: l.a, b: l.b })}
                    variant="ghost"
                    ariaLabel={`Cut link ${name}`}
                  >
                    <IconCut /> Cut
                  </ActionButton>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
