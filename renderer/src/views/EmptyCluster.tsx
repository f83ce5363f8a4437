import { useState } from 'react';
import { useClusterStore, useHost } from '../host/HostContext.js';
import { describeError } from '../ui/errors.js';
import { useToasts } from '../ui/Toasts.js';
import { IconCluster } from '../ui/icons.js';
import { MESH, TransportChoice, transportArgs } from './TransportChoice.js';
import { ProfileList, useProfiles } from './ProfileList.js';
import { ProfileNameField, ReplaceAlert, useProfileName } from './ProfileNameField.js';

/** No cluster yet: start a local one, or attach to nodes that run elsewhere. */
export function EmptyCluster() {
  const { profiles, setProfiles } = useProfiles();
  const taken = profiles?.map((p) => p.name) ?? [];
  return (
    <section className="empty-state empty-state-wide" aria-labelledby="empty-title">
      <div className="empty-icon">
        <IconCluster />
      </div>
      <h2 id="empty-title">No cluster yet</h2>
      <p className="muted">
        Start a local cluster of SMQ broker nodes on this machine, or attach to a cluster that already runs on
        other hosts. Then add simulated LED devices, open LED panels on different nodes, and watch them stay
        in sync.
      </p>
      {taken.length > 0 && (
        <section className="profiles-section" aria-labelledby="profiles-title">
          <h3 id="profiles-title">Saved profiles</h3>
          <ProfileList profiles={profiles} setProfiles={setProfiles} canOpen />
        </section>
      )}
      <div className="empty-choices">
        <LocalForm taken={taken} />
        <AttachForm taken={taken} />
      </div>
    </section>
  );
}

/** `taken`: saved profile names; a name among them is replaced only once the user confirms. */
function LocalForm({ taken }: { taken: string[] }) {
  const host = useHost();
  const store = useClusterStore();
  const { run } = useToasts();
  const name = useProfileName(taken, 'local');
  const [nodes, setNodes] = useState(3);
  const [tls, setTls] = useState(false);
  const [transport, setTransport] = useState(MESH);
  const [busy, setBusy] = useState(false);
  const valid = Number.isInteger(nodes) && nodes >= 1 && nodes <= 16;
  return (
    <form
      className="empty-choice"
      aria-labelledby="local-title"
      onSubmit={async (e) => {
        e.preventDefault();
        if (!valid) return;
        const profile = name.submit();
        if (!profile) return;
        setBusy(true);
        const snapshot = await run('Create cluster', () =>
          host.call('createCluster', {
            nodes,
            ...profile,
            ...(tls ? { tls } : {}),
            ...transportArgs(transport),
          }),
        );
        if (snapshot) store.accept(snapshot);
        setBusy(false);
      }}
    >
      <h3 id="local-title">Local cluster</h3>
      <p className="hint">
        Nodes on free loopback ports, linked in a full mesh or through NATS. A random cluster secret is
        generated; the profile is saved and restored on the next start.
      </p>
      <ProfileNameField label="Name" field={name} />
      <label className="field">
        <span>Nodes</span>
        <input
          type="number"
          min={1}
          max={16}
          value={Number.isNaN(nodes) ? '' : nodes}
          onChange={(e) => setNodes(e.target.valueAsNumber)}
          aria-describedby="nodes-help"
        />
        <span id="nodes-help" className="hint">
          1 to 16 nodes
        </span>
      </label>
      <div className="field">
        <label className="check">
          <input
            type="checkbox"
            checked={tls}
            onChange={(e) => setTls(e.target.checked)}
            aria-describedby="tls-help"
          />
          TLS
        </label>
        <span id="tls-help" className="hint">
          https:// and wss:// with a self-signed certificate the app makes (its data folder, tls/cert.pem);
          links verify it. A browser's LED panels need that certificate trusted first.
        </span>
      </div>
      <TransportChoice value={transport} onChange={setTransport} />
      <ReplaceAlert field={name} />
      <button
        type="submit"
        className="btn btn-primary btn-lg"
        disabled={!valid || busy}
        aria-busy={busy || undefined}
      >
        {busy
          ? 'Starting nodes…'
          : name.replacing !== undefined
            ? `Replace ${name.replacing}`
            : 'New local cluster'}
      </button>
    </form>
  );
}

/** Node URLs one per line or comma-separated; blanks dropped. The host validates each. */
export function splitUrls(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((u) => u.trim())
    .filter((u) => u !== '');
}

/** `taken` as for LocalForm: a saved name is replaced only once the user confirms. */
function AttachForm({ taken }: { taken: string[] }) {
  const host = useHost();
  const store = useClusterStore();
  const [urls, setUrls] = useState('');
  const [token, setToken] = useState('');
  const [caFile, setCaFile] = useState('');
  const name = useProfileName(taken, 'remote');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ code: string; message: string } | null>(null);
  const list = splitUrls(urls);
  const valid = list.length > 0 && token !== '';
  return (
    <form
      className="empty-choice"
      aria-labelledby="attach-title"
      onSubmit={async (e) => {
        e.preventDefault();
        if (!valid) return;
        const profile = name.submit();
        if (!profile) return;
        setBusy(true);
        setError(null);
        try {
          const ca = caFile.trim();
          const snapshot = await host.call('attachCluster', {
            urls: list,
            adminToken: token,
            ...profile,
            ...(ca ? { caFile: ca } : {}),
          });
          store.accept(snapshot);
        } catch (err) {
          setError(describeError(err));
        } finally {
          setBusy(false);
        }
      }}
    >
      <h3 id="attach-title">Remote cluster</h3>
      <p className="hint">
        Nodes someone else runs (<code>smq-node</code> with an admin token). The app watches them; it never
        starts, stops or kills them.
      </p>
      <label className="field">
        <span>Node URLs</span>
        <textarea
          rows={3}
          value={urls}
          onChange={(e) => setUrls(e.target.value)}
          placeholder={'http://host1:8080\nhttp://host2:8080'}
          spellCheck={false}
          aria-describedby="urls-help"
        />
        <span id="urls-help" className="hint">
          One per line or comma-separated; http://, https://, ws:// or wss://
        </span>
      </label>
      <label className="field">
        <span>Admin token</span>
        <input
          type="password"
          value={token}
          onChange={(e) => setToken(e.target.value)}
          autoComplete="off"
          spellCheck={false}
        />
      </label>
      {/* A path, as MQTTX's "CA File" is: the host reads it (a page cannot hand it a picked file's path). */}
      <label className="field">
        <span>CA file (optional)</span>
        <input
          type="text"
          value={caFile}
          onChange={(e) => setCaFile(e.target.value)}
          placeholder="/path/to/ca.pem"
          spellCheck={false}
          aria-describedby="ca-help"
        />
        <span id="ca-help" className="hint">
          For https:// nodes whose certificate a private CA signed: that CA’s PEM file on this machine
        </span>
      </label>
      <ProfileNameField label="Profile name" field={name} />
      <ReplaceAlert field={name} />
      {error && (
        <p className="inline-alert" role="alert" data-testid="attach-error">
          <code>{error.code}</code> {error.message}
        </p>
      )}
      <button
        type="submit"
        className="btn btn-primary btn-lg"
        disabled={!valid || busy}
        aria-busy={busy || undefined}
      >
        {busy
          ? 'Attaching…'
          : name.replacing !== undefined
            ? `Replace ${name.replacing}`
            : 'Attach to a cluster'}
      </button>
    </form>
  );
}
