import { decodeIdPacket } from '../../protocol/ids.js';
import { SmqProtocolError } from '../../protocol/errors.js';
import { CloseReason } from '../CloseReason.js';
import type { Session } from '../Session.js';
import type { SmqNode } from '../SmqNode.js';

/** Unsubscribe (9): no ack; an unknown TID or the sender's own ETID is ignored. */
export function handleUnsubscribe(node: SmqNode, s: Session, p: Buffer): void {
  const u = decodeIdPacket(p);
  if (u instanceof SmqProtocolError) {
    node.closeSession(s, CloseReason.ProtocolViolation, u.message);
    return;
  }
  if (s.subscriptions.has(u.id)) node.unsubscribe(s, u.id);
}
