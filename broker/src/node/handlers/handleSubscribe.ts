import type { Session } from '../Session.js';
import type { SmqNode } from '../SmqNode.js';
import { answerNameRequest } from './nameRequest.js';

/** Subscribe (4): exactly one Suback echoing the name; a repeated Subscribe is acked but counted once. */
export function handleSubscribe(node: SmqNode, s: Session, p: Buffer): void {
  const tid = answerNameRequest(node, s, p);
  if (tid !== 0) node.subscribe(s, tid);
}
