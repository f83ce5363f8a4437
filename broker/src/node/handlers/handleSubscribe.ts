import { AckStatus, PacketType } from '../../protocol/constants.js';
import { encodeAck } from '../../protocol/names.js';
import type { Session } from '../Session.js';
import type { SmqNode } from '../SmqNode.js';

/** Subscribe (4): exactly one Suback echoing the name; a repeated Subscribe is acked but counted once. */
export function handleSubscribe(node: SmqNode, s: Session, p: Buffer): void {
  const name = p.subarray(1);
  const tid = node.permittedTopic(s, name, true);
  if (tid === 0) {
    s.send(encodeAck(PacketType.Suback, AckStatus.Denied, 0, name));
    return;
  }
  s.send(encodeAck(PacketType.Suback, AckStatus.Ok, tid, name));
  node.subscribe(s, tid);
}
