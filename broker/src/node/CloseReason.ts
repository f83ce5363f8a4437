/**
 * Why a connection closed. Stored on the session snapshot, counted in stats, sent on the tap and
 * logged; never written on the wire (the broker sends Disconnect only for CorruptFrame and Replaced).
 */
export const CloseReason = {
  ClientDisconnect: 'ClientDisconnect',
  ClientClosed: 'ClientClosed',
  TransportError: 'TransportError',
  ProtocolViolation: 'ProtocolViolation',
  CorruptFrame: 'CorruptFrame',
  FrameTooLarge: 'FrameTooLarge',
  PubFragOnWebSocket: 'PubFragOnWebSocket',
  HandshakeTimeout: 'HandshakeTimeout',
  BadVersion: 'BadVersion',
  AuthRefused: 'AuthRefused',
  Replaced: 'Replaced',
  SlowConsumerPendingBytes: 'SlowConsumerPendingBytes',
  SessionLimit: 'SessionLimit',
  OriginRefused: 'OriginRefused',
  NodeShutdown: 'NodeShutdown',
  ClosedByAdmin: 'ClosedByAdmin',
  /** A new connection to a draining node: closed before Init, so the device tries another node. */
  Draining: 'Draining',
  /** Closed by a drain, a batch at a time (plain close, no Disconnect). */
  Drained: 'Drained',
} as const;
export type CloseReason = (typeof CloseReason)[keyof typeof CloseReason];
