// Group fan-out: one member sends and `receivers` connections of the other
// members receive. The figure is the time from the send to the last
// receiver's receipt, the median over `messages` sequential group messages.
// A target with a member limit below `receivers` gets several receiving
// connections per member, as members with several devices have.

import { median } from '../report/stats';
import { withDeadline } from '../system/deadline';
import type { Target } from '../targets/target';
import { DeliveryTracker } from './delivery-tracker';

const SENDER = 0;

/** Members of a group with `receivers` receiving connections on a target: one per receiver plus the sender, within the target's member limit. */
export function fanOutMembers(target: Target, receivers: number): number {
  return Math.min(receivers + 1, target.groups?.maxMembers ?? Number.POSITIVE_INFINITY);
}

/**
 * Returns the median time to the last receiver. With `settleMaxMs` above 0
 * the timed messages wait until the server evicted the objects that building
 * the group loaded. On Feige, inviting the members wakes each member's own
 * object. workerd evicts those 10 s later on its one thread, which falls in
 * the middle of the timed messages when the group is large.
 */
export async function measureFanOut(
  target: Target,
  receivers: number,
  messages: number,
  tag: string,
  timeoutMs: number,
  settleMaxMs = 0,
): Promise<number> {
  const groups = target.groups;
  if (!groups) throw new Error(`${target.label} has no groups`);

  const users = await target.plainUsers(fanOutMembers(target, receivers));
  let active: DeliveryTracker | undefined;
  const group = await groups.prepareGroup(`g${tag}`.toLowerCase(), users, receivers, {
    onMessage: () => {},
    onMemberMessage: (receiverIndex, key) => {
      if (receiverIndex !== SENDER) active?.record(`${key}/${receiverIndex}`);
    },
    onProblem: (problem) => active?.problem(problem),
    timeoutMs,
  });

  const times: number[] = [];
  try {
    if (settleMaxMs > 0) await target.settle?.(settleMaxMs);
    for (let i = 0; i < messages; i++) {
      const key = `${tag}-${i}`;
      const tracker = new DeliveryTracker();
      tracker.expect(Array.from({ length: receivers }, (_, m) => `${key}/${m + 1}`));
      active = tracker;

      const sentAt = performance.now();
      group.send(SENDER, key);
      await withDeadline(tracker.waitForCount(receivers), timeoutMs, `${target.label} fan-out to ${receivers} receivers`);
      times.push(performance.now() - sentAt);
      group.checkReceived?.();
      tracker.assertExactlyOnce(`${target.label} fan-out to ${receivers} receivers`);
    }
  } finally {
    active = undefined;
    await Promise.all(group.connections.map((connection) => connection.close()));
  }
  return median(times);
}
