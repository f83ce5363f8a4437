/** SMQ v1 packet type bytes (SMQ-PROTOCOL.md, "Packet types"). 0, 10 and >= 20 are never valid. */
export const PacketType = {
  Init: 1,
  Connect: 2,
  Connack: 3,
  Subscribe: 4,
  Suback: 5,
  Create: 6,
  Createack: 7,
  Publish: 8,
  Unsubscribe: 9,
  Disconnect: 11,
  Ping: 12,
  Pong: 13,
  Observe: 14,
  Unobserve: 15,
  Change: 16,
  Createsub: 17,
  Createsuback: 18,
  PubFrag: 19,
} as const;
export type PacketType = (typeof PacketType)[keyof typeof PacketType];

/** Connack return codes. Only BadVersion and BadCredentials are used for real refusals (spec rule 10). */
export const ConnackCode = {
  Accepted: 0,
  BadVersion: 1,
  ServerUnavailable: 2,
  BadCredentials: 3,
  CertificateRequired: 4,
  CertificateNotAccepted: 5,
  AccessDenied: 6,
} as const;
export type ConnackCode = (typeof ConnackCode)[keyof typeof ConnackCode];

/** Ack status byte of Suback / Createack / Createsuback. */
export const AckStatus = { Ok: 0, Denied: 1 } as const;
export type AckStatus = (typeof AckStatus)[keyof typeof AckStatus];

/** Largest raw-TCP frame, counting its own 2-byte length. */
export const MAX_FRAME = 0xffff;
/** Type byte + destination + publisher + subtid. */
export const PUBLISH_HEADER_SIZE = 13;
/** 0xFFFF minus the 15-byte framed Publish header: the largest payload any receiver can get. */
export const MAX_PAYLOAD = 0xfff0;
/** Every control frame sent to a C device must fit its 127-byte receive buffer. */
export const MAX_DEVICE_CONTROL_FRAME = 127;
/** The node's own server-side client. */
export const SERVER_ETID = 1;
/** Disconnect reasons the broker may send (spec rule 9): nothing else ever goes on the wire. */
export const DisconnectReason = { CorruptFrame: 'corrupt frame', Reconnect: 'reconnect' } as const;
