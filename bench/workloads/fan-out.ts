// Group fan-out: one member sends, every other online member receives. The
// figure is the time from the send to the last member's receipt, the median
// over `messages` sequential group messages.

import { median } from '../report/stats';
import { withDeadline } from '../system/deadline';
import type { Target } from '../targets/target';
import { DeliveryTracker } from './delivery-tracker';

const SENDER = 0;

export async function measureFanOut(target: Target, members: number, messages: number, tag: string, timeoutMs: number): Promise<number> {
  const groups = target.groups;
  if (!groups) throw new Error(`${target.label} has no groups`);

  const users = await target.plainUsers(members + 1);
  let active: DeliveryTracker | undefined;
  const group = await groups.prepareGroup(`g${tag}`.toLowerCase(), users, {
    onMessage: () => {},
    onMemberMessage: (memberIndex, key) => {
      if (memberIndex !== SENDER) active?.record(`${key}/${memberIndex}`);
    },
    onProblem: (problem) => active?.problem(problem),
    timeoutMs,
  });

  const times: number[] = [];
  try {
    for (let i = 0; i < messages; i++) {
      const key = `${tag}-${i}`;
      const tracker = new DeliveryTracker();
      tracker.expect(Array.from({ length: members }, (_, m) => `${key}/${m + 1}`));
      active = tracker;

      const sentAt = performance.now();
      group.send(SENDER, key);
      await withDeadline(tracker.waitForCount(members), timeoutMs, `${target.label} fan-out to ${members} members`);
      times.push(performance.now() - sentAt);
      tracker.assertExactlyOnce(`${target.label} fan-out to ${members} members`);
    }
  } finally {
    active = undefined;
    await Promise.all(group.connections.map((connection) => connection.close()));
  }
  return median(times);
}
