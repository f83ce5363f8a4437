import { CloseReason } from '../CloseReason.js';
import type { Session } from '../Session.js';
import type { SmqNode } from '../SmqNode.js';

/** Disconnect (11) from a client: it leaves; its reason text goes to the log and the tap. */
export function handleDisconnect(node: SmqNode, s: Session, p: Buffer): void {
  node.closeSession(s, CloseReason.ClientDisconnect, p.length > 1 ? p.toString('utf8', 1, 128) : undefined);
}
