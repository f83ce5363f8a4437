import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { NodeView } from '../../../contract/hostContract.js';
import { CopyButton } from '../ui/CopyButton.js';
import { IconClose, IconLink } from '../ui/icons.js';
import { AddressChooser, isLoopbackHost } from './AddressChooser.js';
import '../styles/connect.css';

/**
 * The published C LED example's command line: it reads the broker URL from the same argument as
 * the flag (`-b<url>`, no space).
 */
export function ledExampleCommand(rawUrl: string): string {
  return `LED-SMQ -b${rawUrl}`;
}

/** The node serves https:// and wss:// only: devices must trust the CA that signed its certificate. */
export const isTlsNode = (node: NodeView): boolean => node.rawUrl.startsWith('https:');

/** The simulated devices' command line for one node; `--ca` when it serves TLS. */
export function devicesCommand(rawUrl: string, caFile: string | null): string {
  return `npx smq-devices --url ${rawUrl} --count 1${caFile ? ` --ca ${caFile}` : ''}`;
}

/**
 * The node card's "Connect a device" row: where the node listens, and the button to the panel.
 * `caFile`: the CA of the host's own TLS nodes (ClusterSnapshot.caFile).
 */
export function ConnectDevice({
  node,
  remote,
  caFile,
}: {
  node: NodeView;
  remote: boolean;
  caFile: string | null;
}) {
  const [open, setOpen] = useState(false);
  const loopback = isLoopbackHost(node.host);
  return (
    <div className="node-connect">
      <button
        type="button"
        className="btn btn-ghost"
        onClick={() => setOpen(true)}
        aria-label={`Connect a device to ${node.id}`}
        data-testid={`connect-${node.id}`}
      >
        <IconLink /> Connect a device
      </button>
      {!remote && (
        <span
          className={`badge ${loopback ? '' : 'badge-lan'}`}
          data-testid={`node-reach-${node.id}`}
          title={loopback ? 'Bound to loopback: other computers cannot connect' : `Bound to ${node.host}`}
        >
          {loopback ? 'this computer only' : `LAN ${node.host}`}
        </span>
      )}
      {open && (
        <ConnectDevicePanel node={node} remote={remote} caFile={caFile} onClose={() => setOpen(false)} />
      )}
    </div>
  );
}

/**
 * How to connect a real device (the C LED example, an ESP32, a Python script) to one node: its
 * raw-TCP and WebSocket URLs with copy buttons, the credentials it asks for, the C example's
 * command line, and who can reach it (a local node on 127.0.0.1 can be bound to a LAN address).
 */
export function ConnectDevicePanel({
  node,
  remote,
  caFile,
  onClose,
}: {
  node: NodeView;
  remote: boolean;
  caFile: string | null;
  onClose: () => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = dialog.current;
    if (d && !d.open) d.showModal();
  }, []);
  const loopback = isLoopbackHost(node.host);
  const tls = isTlsNode(node);
  const titleId = `connect-${node.id}-title`;
  return (
    <dialog
      ref={dialog}
      className="connect-panel"
      aria-labelledby={titleId}
      data-testid={`connect-panel-${node.id}`}
      onClose={onClose}
    >
      <header className="connect-head">
        <h3 id={titleId}>
          Connect a device to <span className="mono">{node.id}</span>
        </h3>
        <span className={`badge badge-${node.state}`}>{node.state}</span>
        {tls && <TlsBadge />}
        <span className="card-head-spacer" />
        <button
          type="button"
          className="btn btn-ghost btn-icon"
          aria-label="Close"
          onClick={() => dialog.current?.close()}
        >
          <IconClose />
        </button>
      </header>
      <div className="connect-body">
        <ConnectRow
          label="Raw TCP"
          hint={
            tls
              ? 'The C, Python and Java clients and the C LED example, each trusting the CA below.'
              : 'The C and Python clients and the C LED example (Java needs https://, a TLS node).'
          }
          value={node.rawUrl}
          what={`${node.id} raw-TCP URL`}
          testId={`copy-raw-${node.id}`}
        />
        <ConnectRow
          label="WebSocket"
          hint="Browsers and the JavaScript client."
          value={node.wsUrl}
          what={`${node.id} WebSocket URL`}
          testId={`copy-ws-${node.id}`}
        />
        <ConnectRow
          label="C LED example"
          hint="The published example reads the URL from the same argument as -b."
          value={ledExampleCommand(node.rawUrl)}
          what={`${node.id} LED example command`}
          testId={`copy-cmd-${node.id}`}
        />
        {tls && <TrustRows node={node} caFile={caFile} />}
        <section className="connect-row">
          <h4>Device password</h4>
          {node.deviceAuth === 'none' ? (
            <p data-testid={`device-auth-${node.id}`}>
              <strong>None.</strong> The node takes any device: build the C example without a password.
            </p>
          ) : (
            <p data-testid={`device-auth-${node.id}`}>
              <strong>Set where the node runs.</strong> With <code>smq-node --password</code> a device sends
              the C example’s seeded SHA-1 hash of that password; the app cannot see whether it is on.
            </p>
          )}
        </section>
        <section className="connect-row">
          <h4>Who can reach it</h4>
          {remote ? (
            <p className="muted">It runs elsewhere: the computer it runs on decides who can connect.</p>
          ) : (
            <>
              <p className={loopback ? 'connect-reach-local' : undefined} data-testid={`reach-${node.id}`}>
                {loopback
                  ? `Only this computer: ${node.host} is loopback. Bind it to a LAN address for an ESP32 or another computer.`
                  : `Devices that reach ${node.host} can connect.`}
              </p>
              <AddressChooser node={node} />
            </>
          )}
        </section>
      </div>
    </dialog>
  );
}

/** Marks a TLS node or cluster: https:// and wss:// only. */
export function TlsBadge({ testId }: { testId?: string }) {
  return (
    <span
      className="badge badge-tls"
      data-testid={testId}
      title="https:// and wss:// only: clients and devices must trust the CA that signed the nodes' certificate"
    >
      TLS
    </span>
  );
}

/** What a device needs to trust a TLS node: the CA file, and how smq-devices takes it. */
function TrustRows({ node, caFile }: { node: NodeView; caFile: string | null }) {
  if (!caFile)
    return (
      <section className="connect-row" data-testid={`ca-${node.id}`}>
        <h4>Certificate authority</h4>
        <p>
          <strong>Devices must trust the CA</strong> that signed this node’s certificate: ask whoever runs it
          for the file, then pass it to <code>smq-devices --ca &lt;file&gt;</code>.
        </p>
      </section>
    );
  return (
    <>
      <ConnectRow
        label="Certificate authority"
        hint="Devices must trust this CA to connect: copy the file to the device, or pass it to smq-devices as --ca <file>."
        value={caFile}
        what="CA file path"
        testId={`copy-ca-${node.id}`}
      />
      <ConnectRow
        label="Simulated device"
        hint="One simulated LED device on this node, trusting the CA."
        value={devicesCommand(node.rawUrl, caFile)}
        what={`${node.id} smq-devices command`}
        testId={`copy-devices-${node.id}`}
      />
    </>
  );
}

function ConnectRow({
  label,
  hint,
  value,
  what,
  testId,
}: {
  label: string;
  hint: ReactNode;
  value: string;
  what: string;
  testId: string;
}) {
  return (
    <section className="connect-row">
      <h4>{label}</h4>
      <div className="connect-value">
        <code className="mono" data-testid={`${testId}-text`}>
          {value}
        </code>
        <CopyButton text={value} what={what} testId={testId} />
      </div>
      <p className="muted small">{hint}</p>
    </section>
  );
}
