import { decodeIdPacket } from '../../protocol/ids.js';
import { SmqProtocolError } from '../../protocol/errors.js';
import { CloseReason } from '../CloseReason.js';
import type { Session } from '../Session.js';
import type { SmqNode } from '../SmqNode.js';

/** Unobserve (15): no reply. */
export function handleUnobserve(node: SmqNode, s: Session, p: Buffer): void {
  const o = decodeIdPacket(p);
  if (o instanceof SmqProtocolError) {
    node.closeSession(s, CloseReason.ProtocolViolation, o.message);
    return;
  }
  node.observers.remove(o.id, s);
}
