import { useCallback, useEffect, useState } from 'react';
import type { ProfileView } from '../../../contract/hostContract.js';
import { useClusterStore, useHost } from '../host/HostContext.js';
import { ActionButton } from '../ui/ActionButton.js';
import { ConfirmButton } from '../ui/ConfirmButton.js';
import { formatDuration } from '../ui/format.js';
import '../styles/profiles.css';

/** The saved profiles, fetched once and then replaced by what each delete returns. */
export function useProfiles(): {
  profiles: ProfileView[] | null;
  setProfiles(list: ProfileView[]): void;
  reload(): void;
} {
  const host = useHost();
  const [profiles, setProfiles] = useState<ProfileView[] | null>(null);
  const reload = useCallback(() => {
    host.call('listProfiles', {}).then(setProfiles, () => setProfiles([]));
  }, [host]);
  useEffect(reload, [reload]);
  return { profiles, setProfiles, reload };
}

function ago(ms: number): string {
  const d = Date.now() - ms;
  return d < 60_000 ? 'just now' : `${formatDuration(d)} ago`;
}

/**
 * Saved cluster profiles with Open and Delete (armed, then confirmed). `canOpen` is false while a
 * cluster runs: the host opens one cluster at a time, and the running one is never deleted.
 */
export function ProfileList({
  profiles,
  setProfiles,
  canOpen,
}: {
  profiles: ProfileView[] | null;
  setProfiles(list: ProfileView[]): void;
  canOpen: boolean;
}) {
  const host = useHost();
  const store = useClusterStore();
  if (profiles === null || profiles.length === 0) return null;
  return (
    <ul className="profile-list" aria-label="Saved profiles">
      {profiles.map((p) => (
        <li key={p.name} className="profile-row" data-testid={`profile-${p.name}`}>
          <span className="profile-name mono">{p.name}</span>
          <span className="profile-tags">
            <span className={`badge${p.kind === 'remote' ? ' badge-remote' : ''}`}>{p.kind}</span>
            <span className="badge" title={p.transport ? undefined : 'its nodes never answered'}>
              {p.transport === 'nats' ? 'NATS' : (p.transport ?? 'transport ?')}
            </span>
            {p.tls && <span className="badge badge-tls">TLS</span>}
            {p.active && <span className="badge badge-up">running</span>}
          </span>
          <span className="profile-meta muted small">
            {p.nodes} {p.nodes === 1 ? 'node' : 'nodes'} · used {ago(p.lastUsedMs)}
          </span>
          <span className="profile-actions">
            {canOpen && (
              <ActionButton
                action={`Open ${p.name}`}
                ariaLabel={`Open ${p.name}`}
                variant="primary"
                run={async () => store.accept(await host.call('openProfile', { name: p.name }))}
              >
                Open
              </ActionButton>
            )}
            {!p.active && (
              <ConfirmButton
                action={`Delete ${p.name}`}
                ariaLabel={`Delete ${p.name}`}
                confirmLabel={p.kind === 'remote' ? 'Delete with its token' : 'Delete profile'}
                run={async () => setProfiles(await host.call('deleteProfile', { name: p.name }))}
              >
                Delete
              </ConfirmButton>
            )}
          </span>
        </li>
      ))}
    </ul>
  );
}

/** From a running cluster (the sidebar): the saved profiles, each deletable but the running one. */
export function SavedProfilesMenu() {
  const { profiles, setProfiles, reload } = useProfiles();
  return (
    <details
      className="profiles-menu"
      onToggle={(e) => {
        if (e.currentTarget.open) reload();
      }}
    >
      <summary className="small">Saved profiles</summary>
      <div className="profiles-menu-body">
        <ProfileList profiles={profiles} setProfiles={setProfiles} canOpen={false} />
        <p className="hint">Destroy or detach this cluster to open another.</p>
      </div>
    </details>
  );
}
