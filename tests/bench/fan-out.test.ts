// The fan-out workload on an in-memory target: where it waits for the
// server to evict the objects that building the group loaded. It asserts
// no timing.

import { expect, test } from 'vitest';
import type { Connection, GroupSupport, Target } from '../../bench/targets/target';
import { measureFanOut } from '../../bench/workloads/fan-out';

const TIMEOUT_MS = 5_000;

/** Returns a target whose group delivers each message to every receiver at once, and the steps it recorded. */
function recordingTarget(): { target: Target; steps: string[] } {
  const steps: string[] = [];
  const connection: Connection = { send: () => undefined, close: async () => undefined, drop: () => undefined };
  const groups: GroupSupport = {
    async prepareGroup(_groupId, _members, receivers, options) {
      steps.push('prepare');
      return {
        connections: [connection],
        send(_senderIndex, key) {
          steps.push(`send ${key}`);
          for (let receiver = 1; receiver <= receivers; receiver++) options.onMemberMessage(receiver, key);
        },
      };
    },
  };
  const target = {
    label: 'in memory',
    plainUsers: async (count: number) => Array.from({ length: count }, (_, index) => ({ id: `u${index}` })),
    groups,
    settle: async (maxMs: number) => void steps.push(`settle ${maxMs}`),
  } as unknown as Target;
  return { target, steps };
}

test('fan-out settles before timed messages', async () => {
  const { target, steps } = recordingTarget();

  await measureFanOut(target, 3, 2, 'settled', TIMEOUT_MS, 7_000);

  expect(steps).toEqual(['prepare', 'settle 7000', 'send settled-0', 'send settled-1']);
});

test('fan-out skips settling by default', async () => {
  const { target, steps } = recordingTarget();

  await measureFanOut(target, 3, 2, 'plain', TIMEOUT_MS);

  expect(steps).toEqual(['prepare', 'send plain-0', 'send plain-1']);
});
