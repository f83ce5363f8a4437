import type { Session } from '../Session.js';
import type { SmqNode } from '../SmqNode.js';
import { answerNameRequest } from './nameRequest.js';

/** Createsub (17): the sub-topic's id on this node; one Createsuback echoing the name. */
export function handleCreatesub(node: SmqNode, s: Session, p: Buffer): void {
  answerNameRequest(node, s, p);
}
