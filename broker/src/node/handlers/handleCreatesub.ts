import { AckStatus, PacketType } from '../../protocol/constants.js';
import { encodeAck } from '../../protocol/names.js';
import type { Session } from '../Session.js';
import type { SmqNode } from '../SmqNode.js';

/** Createsub (17): the sub-topic's id on this node; one Createsuback echoing the name. */
export function handleCreatesub(node: SmqNode, s: Session, p: Buffer): void {
  const name = p.subarray(1);
  const subtid = node.permittedSubtopic(s, name);
  s.send(encodeAck(PacketType.Createsuback, subtid === 0 ? AckStatus.Denied : AckStatus.Ok, subtid, name));
}
