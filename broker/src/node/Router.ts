import { PUBLISH_HEADER_SIZE } from '../protocol/constants.js';
import { isTidRange } from './EtidAllocator.js';
import type { DropReason, NodeHooks, PublishInfo } from './options.js';
import type { Session } from './Session.js';
import type { SmqNode } from './SmqNode.js';
import type { TapPublishEvent } from './tap.js';

/**
 * Routes one Publish (spec rule 6): to every subscriber of a topic TID on every node, or to the one
 * client at an ETID, wherever it is. Local receivers get the packet byte for byte as received;
 * nothing is copied unless the tap listens (the topic's preview copies at most 64 bytes into a
 * buffer it owns). A publish that came from a peer (`via`) is delivered locally only: messages
 * cross at most one hop.
 */
export function routePublish(node: SmqNode, from: Session | undefined, packet: Buffer, via?: string): void {
  const dest = packet.readUInt32BE(1);
  const counters = node.counters;
  counters.publishes++;
  const topic = isTidRange(dest) ? node.topics.entry(dest) : undefined;
  if (topic !== undefined) topic.published(packet, via !== undefined);
  const onPublish = node.hooks.onPublish;
  if (via === undefined && onPublish && !publishPermitted(node, onPublish, from, packet)) {
    dropped(node, from, packet, 'hook', via);
    return;
  }
  const cluster = via === undefined ? node.cluster : undefined;
  let receivers = 0;
  let slow = 0;
  if (isTidRange(dest)) {
    if (topic !== undefined) {
      for (const sub of topic.subscribers) {
        if (sub.deliver(packet)) receivers++;
        else slow++;
      }
    }
    if (cluster !== undefined) receivers += cluster.forwardToTopic(packet, dest);
  } else {
    const target = node.isServerEtid(dest) ? node.server : node.sessionByEtid(dest);
    if (target !== undefined) {
      if (target.deliver(packet)) receivers = 1;
      else slow = 1;
    } else if (cluster?.forwardToEtid(packet, dest)) receivers = 1;
  }
  counters.deliveries += receivers;
  if (slow > 0) {
    counters.drops.slowConsumer += slow;
    tellDrop(node, from, packet, 'slowConsumer');
  }
  if (receivers === 0 && slow === 0) dropped(node, from, packet, 'noReceiver', via);
  else if (node.tappingPublishes) node.emitTap(tapEvent(node, from, packet, receivers, undefined, via));
}

function dropped(
  node: SmqNode,
  from: Session | undefined,
  packet: Buffer,
  reason: DropReason,
  via: string | undefined,
) {
  node.counters.drops[reason]++;
  if (from) from.counters.drops++;
  tellDrop(node, from, packet, reason);
  if (node.tappingPublishes) node.emitTap(tapEvent(node, from, packet, 0, reason, via));
}

/** onPublish's verdict; a hook that throws lets the message pass (and is logged). */
function publishPermitted(
  node: SmqNode,
  onPublish: NonNullable<NodeHooks['onPublish']>,
  from: Session | undefined,
  packet: Buffer,
): boolean {
  try {
    return onPublish(info(packet, from)) !== false;
  } catch (err) {
    node.hookFailed('onPublish', err);
    return true;
  }
}

/** Calls onDrop; a hook that throws is logged and ignored. */
function tellDrop(node: SmqNode, from: Session | undefined, packet: Buffer, reason: DropReason): void {
  const onDrop = node.hooks.onDrop;
  if (!onDrop) return;
  try {
    onDrop(info(packet, from), reason);
  } catch (err) {
    node.hookFailed('onDrop', err);
  }
}

function info(packet: Buffer, from: Session | undefined): PublishInfo {
  return {
    dest: packet.readUInt32BE(1),
    ptid: packet.readUInt32BE(5),
    subtid: packet.readUInt32BE(9),
    packet,
    from,
  };
}

function tapEvent(
  node: SmqNode,
  from: Session | undefined,
  packet: Buffer,
  receivers: number,
  drop: DropReason | undefined,
  via: string | undefined,
): TapPublishEvent {
  const dest = packet.readUInt32BE(1);
  const subtid = packet.readUInt32BE(9);
  const topicName = node.topics.names.nameOf(dest);
  const size = packet.length - PUBLISH_HEADER_SIZE;
  const cap = Math.min(size, node.limits.tapCaptureBytes);
  const destKind = topicName ? 'topic' : node.isLiveEtid(dest) ? 'etid' : 'unknown';
  return {
    kind: 'publish',
    node: node.name,
    time: Date.now(),
    destKind,
    dest,
    topic: topicName?.toString('utf8'),
    subtid,
    subtopic: subtid === 0 ? undefined : node.subtopics.nameOf(subtid)?.toString('utf8'),
    ptid: packet.readUInt32BE(5),
    publisherUid: from?.uid.toString('hex'),
    destUid: destKind === 'etid' ? node.sessionByEtid(dest)?.uid.toString('hex') : undefined,
    receivers,
    size,
    head: Buffer.from(packet.subarray(PUBLISH_HEADER_SIZE, PUBLISH_HEADER_SIZE + cap)),
    truncated: cap < size,
    payload: packet.subarray(PUBLISH_HEADER_SIZE),
    dropped: drop,
    via,
  };
}
