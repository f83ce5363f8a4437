import { createContext, useContext, useSyncExternalStore, type ReactNode } from 'react';
import type { HostApi } from '../../../contract/hostContract.js';
import type { ClusterState, ClusterStore } from './ClusterStore.js';

interface HostContextValue {
  host: HostApi;
  store: ClusterStore;
}

const HostContext = createContext<HostContextValue | null>(null);

export function HostProvider({ host, store, children }: HostContextValue & { children: ReactNode }) {
  return <HostContext.Provider value={{ host, store }}>{children}</HostContext.Provider>;
}

function useHostContext(): HostContextValue {
  const v = useContext(HostContext);
  if (!v) throw new Error('host hooks outside HostProvider');
  return v;
}

/** The contract, for commands. */
export function useHost(): HostApi {
  return useHostContext().host;
}

export function useClusterStore(): ClusterStore {
  return useHostContext().store;
}

/** The live cluster state; re-renders on every host event. */
export function useCluster(): ClusterState {
  const { store } = useHostContext();
  return useSyncExternalStore(store.subscribe, store.get);
}
