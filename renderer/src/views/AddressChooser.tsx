import { useEffect, useState } from 'react';
import type { HostAddress, NodeView } from '../../../contract/hostContract.js';
import { useHost } from '../host/HostContext.js';
import { ActionButton } from '../ui/ActionButton.js';
import { describeError } from '../ui/errors.js';

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/** Whether a node bound to `host` is reachable from this computer only. */
export function isLoopbackHost(host: string): boolean {
  return LOOPBACK.has(host);
}

/** The label of an address in the chooser: where it is, and who reaches it. */
function label(a: HostAddress): string {
  return `${a.address} · ${a.interface}${a.internal ? ' (this computer only)' : ''}`;
}

/**
 * Binds a local node to one of this machine's addresses (the host lists them), so a device on
 * that network can reach it, or back to 127.0.0.1. The node restarts on its port; its clients
 * reconnect.
 */
export function AddressChooser({ node }: { node: NodeView }) {
  const host = useHost();
  const [addresses, setAddresses] = useState<HostAddress[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [chosen, setChosen] = useState('');

  useEffect(() => {
    let live = true;
    host.call('listAddresses', {}).then(
      (list) => {
        if (!live) return;
        setAddresses(list);
        // Offer what a user most likely wants: from loopback to the LAN, and from the LAN back.
        const offer = isLoopbackHost(node.host)
          ? list.find((a) => !a.internal)
          : list.find((a) => a.address === '127.0.0.1');
        setChosen((offer ?? list.find((a) => a.address !== node.host))?.address ?? '');
      },
      (e: unknown) => live && setError(describeError(e).message),
    );
    return () => {
      live = false;
    };
  }, [host, node.host]);

  if (error) return <p className="inline-alert">Cannot list this computer’s addresses: {error}</p>;
  if (!addresses) return <p className="muted small">Listing this computer’s addresses…</p>;
  const target = addresses.find((a) => a.address === chosen);
  const others = addresses.filter((a) => a.address !== node.host);
  if (others.length === 0) return <p className="muted small">This computer has no other address.</p>;
  return (
    <div className="address-chooser">
      <div className="address-row">
        <label className="field field-inline">
          <span>Bind {node.id} to</span>
          <select
            value={chosen}
            onChange={(e) => setChosen(e.target.value)}
            aria-label={`Address to bind ${node.id} to`}
          >
            {others.map((a) => (
              <option key={a.address} value={a.address}>
                {label(a)}
              </option>
            ))}
          </select>
        </label>
        <ActionButton
          action={`Bind ${node.id} to ${chosen}`}
          run={() => host.call('bindNode', { nodeId: node.id, host: chosen })}
          variant={target?.internal ? 'default' : 'primary'}
          disabled={!target}
          testId={`bind-${node.id}`}
        >
          Restart on {chosen}
        </ActionButton>
      </div>
      {target && !target.internal && (
        <p className="address-warning small" role="note" data-testid={`bind-warning-${node.id}`}>
          Anyone who can reach {target.address} can then connect devices and clients to {node.id}, without a
          password.
        </p>
      )}
    </div>
  );
}
