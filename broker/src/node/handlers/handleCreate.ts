import type { Session } from '../Session.js';
import type { SmqNode } from '../SmqNode.js';
import { answerNameRequest } from './nameRequest.js';

/** Create (6): the topic's TID, created if new; one Createack echoing the name. */
export function handleCreate(node: SmqNode, s: Session, p: Buffer): void {
  answerNameRequest(node, s, p);
}
