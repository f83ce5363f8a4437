import { AckStatus, PacketType } from '../../protocol/constants.js';
import { ACK_FOR, encodeAck, type NameRequestType } from '../../protocol/names.js';
import type { Session } from '../Session.js';
import type { SmqNode } from '../SmqNode.js';

/**
 * Answers Subscribe, Create or Createsub with exactly one ack echoing the name byte for byte
 * (spec rule 3). Returns the granted id, or 0 when denied or when the ack closed the session.
 */
export function answerNameRequest(node: SmqNode, s: Session, p: Buffer): number {
  const type = p[0] as NameRequestType;
  const name = p.subarray(1);
  const id = grantName(node, s, type, name);
  const sent = s.send(encodeAck(ACK_FOR[type], id === 0 ? AckStatus.Denied : AckStatus.Ok, id, name));
  return sent ? id : 0;
}

/**
 * The id of a requested name, created if new, or 0 when denied (a denied ack carries status 1 and
 * id 0): empty or too long, refused by a permit* hook (or the hook threw), or the table is full.
 * A name the node already knows is granted even when its table is full. Denials are counted.
 */
function grantName(node: SmqNode, s: Session, type: NameRequestType, name: Buffer): number {
  const { limits, counters } = node;
  if (name.length === 0 || name.length > limits.maxTopicNameLength) {
    counters.denials.badName++;
    return 0;
  }
  if (!permits(node, s, type, name)) {
    counters.denials.hook++;
    return 0;
  }
  const topic = type !== PacketType.Createsub;
  const registry = topic ? node.topics.names : node.subtopics;
  const known = registry.idOf(name);
  if (known !== undefined) return known;
  const full = registry.size >= (topic ? limits.maxTopics : limits.maxSubtopics);
  const id = full ? undefined : registry.ensure(name);
  if (id === undefined) counters.denials[topic ? 'topicLimit' : 'subtopicLimit']++;
  return id ?? 0;
}

/** The permitTopic / permitSubtopic verdict; a hook that throws denies (and is logged). */
function permits(node: SmqNode, s: Session, type: NameRequestType, name: Buffer): boolean {
  const { permitTopic, permitSubtopic } = node.hooks;
  try {
    if (type === PacketType.Createsub) return !permitSubtopic || permitSubtopic(name, s) === true;
    return !permitTopic || permitTopic(name, type === PacketType.Subscribe, s) === true;
  } catch (err) {
    node.hookFailed(type === PacketType.Createsub ? 'permitSubtopic' : 'permitTopic', err);
    return false;
  }
}
