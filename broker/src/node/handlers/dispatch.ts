import { PacketType } from '../../protocol/constants.js';
import { CloseReason } from '../CloseReason.js';
import type { Session } from '../Session.js';
import type { SmqNode } from '../SmqNode.js';
import { handleConnect } from './handleConnect.js';
import { handleSubscribe } from './handleSubscribe.js';
import { handleCreate } from './handleCreate.js';
import { handleCreatesub } from './handleCreatesub.js';
import { handlePublish } from './handlePublish.js';
import { handlePubFrag } from './handlePubFrag.js';
import { handleUnsubscribe } from './handleUnsubscribe.js';
import { handleDisconnect } from './handleDisconnect.js';
import { handlePing, handlePong } from './handlePing.js';
import { handleObserve } from './handleObserve.js';
import { handleUnobserve } from './handleUnobserve.js';

export type Handler = (node: SmqNode, s: Session, packet: Buffer) => void;

/** Types a client never sends (Init, acks, Change, 0, 10, >= 20): the connection is closed. */
const handleNotFromClient: Handler = (node, s, p) => {
  node.closeSession(s, CloseReason.ProtocolViolation, `packet type ${p[0]} is not accepted from a client`);
};

/** Indexed by type byte; chosen once, so the hot path is one array load and one call. */
const HANDLERS: Handler[] = new Array<Handler>(256).fill(handleNotFromClient);
HANDLERS[PacketType.Connect] = handleConnect;
HANDLERS[PacketType.Subscribe] = handleSubscribe;
HANDLERS[PacketType.Create] = handleCreate;
HANDLERS[PacketType.Createsub] = handleCreatesub;
HANDLERS[PacketType.Publish] = handlePublish;
HANDLERS[PacketType.PubFrag] = handlePubFrag;
HANDLERS[PacketType.Unsubscribe] = handleUnsubscribe;
HANDLERS[PacketType.Disconnect] = handleDisconnect;
HANDLERS[PacketType.Ping] = handlePing;
HANDLERS[PacketType.Pong] = handlePong;
HANDLERS[PacketType.Observe] = handleObserve;
HANDLERS[PacketType.Unobserve] = handleUnobserve;

export function dispatch(node: SmqNode, s: Session, packet: Buffer): void {
  if (packet.length === 0) {
    node.closeSession(s, CloseReason.ProtocolViolation, 'empty packet');
    return;
  }
  const type = packet[0]!;
  if (s.state === 'handshake' && type !== PacketType.Connect) {
    node.closeSession(s, CloseReason.ProtocolViolation, `packet type ${type} before Connect`);
    return;
  }
  HANDLERS[type]!(node, s, packet);
}
