export { Cluster, type ClusterOptions } from './Cluster.js';
export { ClusterRouter, type PeerSnapshot } from './ClusterRouter.js';
export { MeshBackplane, LINK_PATH, type MeshLinkInfo, type MeshOptions } from './MeshBackplane.js';
export {
  ClusterLink,
  DEFAULT_LINK_TIMING,
  type LinkInfo,
  type LinkTiming,
  type LinkOrigin,
  type LinkState,
} from './ClusterLink.js';
export { LinkCloseReason } from './LinkCloseReason.js';
export type { Backplane, BackplaneListener, Peer } from './Backplane.js';
