export * from './protocol/index.js';
export { SmqNode, type SmqNodeEvents } from './node/SmqNode.js';
export { NodeServer, type ListenOptions } from './node/NodeServer.js';
export type { NodeTlsOptions } from './node/tlsOptions.js';
export { CloseReason } from './node/CloseReason.js';
export { Session, type SessionSnapshot, type SessionState, type TrafficCounters } from './node/Session.js';
export { ServerClient, type ServerMessage, type ServerMessageHandler } from './node/ServerClient.js';
export type { NodeStats } from './node/NodeCounters.js';
export type {
  TapChangeEvent,
  TapEvent,
  TapLinkEvent,
  TapObserveEvent,
  TapPublishEvent,
  TapSessionEvent,
  TapSubscriptionEvent,
} from './node/tap.js';
export * from './node/options.js';
export { MAX_TID, ETID_COUNTER_BITS, etidPrefixOf } from './node/EtidAllocator.js';
export { seededHash, seededHashAuthenticator, sharedKeyAuthenticator } from './node/auth.js';
export * from './cluster/index.js';
export { SmqClient, connect as connectClient, nodeTransport, type NodeClientOptions } from './client/node.js';
export { AdminEndpoint, ADMIN_PREFIX, type AdminEndpointOptions } from './admin/AdminEndpoint.js';
export { AdminSocket, type AdminSocketOptions } from './admin/AdminSocket.js';
export { DEFAULT_TAP_BUDGET, type TapBudget } from './admin/TapBatcher.js';
export * from './admin/adminWire.js';
export * from './devices/index.js';
export * from './load/index.js';
export { nodeFlagsOf, shebangNodeFlags } from './cli/nodeFlags.js';
