import { decodeIdPacket } from '../../protocol/ids.js';
import type { Session } from '../Session.js';
import type { SmqNode } from '../SmqNode.js';
import { decodedOrClose } from './decodedOrClose.js';

/** Unsubscribe (9): no ack; an unknown TID or the sender's own ETID is ignored. */
export function handleUnsubscribe(node: SmqNode, s: Session, p: Buffer): void {
  const u = decodedOrClose(node, s, decodeIdPacket(p));
  if (u && s.subscriptions.has(u.id)) node.unsubscribe(s, u.id);
}
