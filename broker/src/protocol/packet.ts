import { PacketType } from './constants.js';
import { protocolError, type SmqProtocolError } from './errors.js';
import { decodeInit, type InitPacket } from './init.js';
import { decodeConnect, type ConnectPacket } from './connect.js';
import { decodeConnack, type ConnackPacket } from './connack.js';
import { decodeAck, decodeNameRequest, type AckPacket, type NameRequestPacket } from './names.js';
import { decodePublish, type PublishPacket } from './publish.js';
import { decodeChange, decodeIdPacket, type ChangePacket, type IdPacket } from './ids.js';
import { decodeDisconnect, decodeKeepalive, type DisconnectPacket, type KeepalivePacket } from './control.js';

export type Packet =
  | InitPacket
  | ConnectPacket
  | ConnackPacket
  | NameRequestPacket
  | AckPacket
  | PublishPacket
  | IdPacket
  | ChangePacket
  | DisconnectPacket
  | KeepalivePacket;

/** Decodes one unframed packet (type byte first). Pure; returns the error instead of throwing. */
export function decodePacket(p: Uint8Array): Packet | SmqProtocolError {
  if (p.length === 0) return protocolError('SMQ_ERR_EMPTY_PACKET', 'empty packet');
  switch (p[0]) {
    case PacketType.Init:
      return decodeInit(p);
    case PacketType.Connect:
      return decodeConnect(p);
    case PacketType.Connack:
      return decodeConnack(p);
    case PacketType.Subscribe:
    case PacketType.Create:
    case PacketType.Createsub:
      return decodeNameRequest(p);
    case PacketType.Suback:
    case PacketType.Createack:
    case PacketType.Createsuback:
      return decodeAck(p);
    case PacketType.Publish:
    case PacketType.PubFrag:
      return decodePublish(p);
    case PacketType.Unsubscribe:
    case PacketType.Observe:
    case PacketType.Unobserve:
      return decodeIdPacket(p);
    case PacketType.Change:
      return decodeChange(p);
    case PacketType.Disconnect:
      return decodeDisconnect(p);
    case PacketType.Ping:
    case PacketType.Pong:
      return decodeKeepalive(p);
    default:
      return protocolError('SMQ_ERR_INVALID_TYPE', `packet type ${p[0]} does not exist`);
  }
}
