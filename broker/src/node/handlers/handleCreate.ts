import { AckStatus, PacketType } from '../../protocol/constants.js';
import { encodeAck } from '../../protocol/names.js';
import type { Session } from '../Session.js';
import type { SmqNode } from '../SmqNode.js';

/** Create (6): the topic's TID, created if new; one Createack echoing the name. */
export function handleCreate(node: SmqNode, s: Session, p: Buffer): void {
  const name = p.subarray(1);
  const tid = node.permittedTopic(s, name, false);
  s.send(encodeAck(PacketType.Createack, tid === 0 ? AckStatus.Denied : AckStatus.Ok, tid, name));
}
