/** Why a cluster link went down or was refused; shown on the link snapshot, logged on both sides. */
export const LinkCloseReason = {
  BadSecret: 'BadSecret',
  PeerRefused: 'PeerRefused',
  DuplicateLink: 'DuplicateLink',
  SelfLink: 'SelfLink',
  EtidPrefixClash: 'EtidPrefixClash',
  HandshakeTimeout: 'HandshakeTimeout',
  LinkTimeout: 'LinkTimeout',
  SlowLink: 'SlowLink',
  ProtocolViolation: 'ProtocolViolation',
  TransportClosed: 'TransportClosed',
  /** A wss:// peer's certificate failed verification; the detail starts with the OpenSSL code. */
  TlsVerifyFailed: 'TlsVerifyFailed',
  LinkRemoved: 'LinkRemoved',
  LinkCut: 'LinkCut',
  NodeShutdown: 'NodeShutdown',
} as const;
export type LinkCloseReason = (typeof LinkCloseReason)[keyof typeof LinkCloseReason];
