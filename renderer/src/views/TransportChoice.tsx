import { useEffect, useState } from 'react';
import type { ClusterTransport, CommandArgs, NatsAvailability } from '../../../contract/hostContract.js';
import { useHost } from '../host/HostContext.js';
import { describeError } from '../ui/errors.js';
import '../styles/nats.css';

export interface TransportValue {
  transport: ClusterTransport;
  natsUrl: string;
  natsToken: string;
}

export const MESH: TransportValue = { transport: 'mesh', natsUrl: '', natsToken: '' };

type TransportArgs = Pick<CommandArgs<'createCluster'>, 'transport' | 'natsUrl' | 'natsToken'>;

/** createCluster's transport arguments: none for a mesh; the URL and token only when given. */
export function transportArgs(v: TransportValue): TransportArgs {
  if (v.transport === 'mesh') return {};
  const natsUrl = v.natsUrl.trim();
  if (!natsUrl) return { transport: 'nats' };
  return { transport: 'nats', natsUrl, ...(v.natsToken ? { natsToken: v.natsToken } : {}) };
}

/** Whether the host can run nats-server: asked once; an error reads as the reason NATS is off. */
function useNatsAvailability(): NatsAvailability | null {
  const host = useHost();
  const [availability, setAvailability] = useState<NatsAvailability | null>(null);
  useEffect(() => {
    let live = true;
    host.call('natsAvailability', {}).then(
      (a) => live && setAvailability(a),
      (err: unknown) => {
        const e = describeError(err);
        if (live) setAvailability({ installed: false, path: null, reason: `${e.code}: ${e.message}` });
      },
    );
    return () => {
      live = false;
    };
  }, [host]);
  return availability;
}

/**
 * The local cluster form's transport: a full mesh of links, or NATS (a local nats-server the host
 * starts, or a URL given here). NATS is off, with the reason, where nats-server is not installed.
 */
export function TransportChoice({
  value,
  onChange,
}: {
  value: TransportValue;
  onChange: (v: TransportValue) => void;
}) {
  const availability = useNatsAvailability();
  const natsOff = availability?.installed !== true;
  const reason = availability === null ? 'checking for nats-server…' : availability.reason;
  return (
    <fieldset className="transport-choice">
      <legend>Transport</legend>
      <label className="check">
        <input
          type="radio"
          name="transport"
          checked={value.transport === 'mesh'}
          onChange={() => onChange({ ...value, transport: 'mesh' })}
        />
        Mesh
      </label>
      <label className="check">
        <input
          type="radio"
          name="transport"
          checked={value.transport === 'nats'}
          disabled={natsOff}
          onChange={() => onChange({ ...value, transport: 'nats' })}
          aria-describedby="transport-help"
        />
        NATS
      </label>
      <span id="transport-help" className="hint" data-testid="transport-help">
        {natsOff
          ? `NATS unavailable: ${reason}`
          : 'Mesh: every node linked to every other. NATS: nodes join through a nats-server.'}
      </span>
      {value.transport === 'nats' && (
        <>
          <label className="field">
            <span>NATS URL (optional)</span>
            <input
              type="text"
              value={value.natsUrl}
              onChange={(e) => onChange({ ...value, natsUrl: e.target.value })}
              placeholder="a local nats-server the app starts"
              spellCheck={false}
              aria-describedby="nats-url-help"
            />
            <span id="nats-url-help" className="hint">
              nats://host:4222, several comma-separated; empty: loopback, with a token the app makes
            </span>
          </label>
          {value.natsUrl.trim() !== '' && (
            <label className="field">
              <span>NATS token (optional)</span>
              <input
                type="password"
                value={value.natsToken}
                onChange={(e) => onChange({ ...value, natsToken: e.target.value })}
                autoComplete="off"
                spellCheck={false}
              />
            </label>
          )}
        </>
      )}
    </fieldset>
  );
}
