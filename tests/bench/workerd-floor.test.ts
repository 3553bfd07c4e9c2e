// The workerd floor target end to end under `wrangler dev`: every message
// arrives exactly once and is acknowledged once to its sender. It asserts no
// timing.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startWorkerdFloor, type WorkerdFloorTarget } from '../../bench/targets/workerd-floor-target';
import { measureFanOut } from '../../bench/workloads/fan-out';
import { measureLatency, measureThroughput } from '../../bench/workloads/one-to-one';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TIMEOUT_MS = 60_000;
/** More than one frame's worth, so a burst goes out as several frames. */
const BURST = 40;

let workDir: string;
let target: WorkerdFloorTarget;

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'feige-floor-test-'));
  target = await startWorkerdFloor(ROOT, workDir);
});

afterAll(async () => {
  await target?.stop();
  rmSync(workDir, { recursive: true, force: true });
});

test('burst arrives and is acked once', async () => {
  const [sender, recipient] = await target.chatUsers(2);
  const messages = await target.prepareMessages(sender!, recipient!, BURST, 'burst');
  const received = new Map<string, number>();
  const acked = new Map<string, number>();
  const problems: string[] = [];
  let finish: () => void = () => {};
  const done = new Promise<void>((resolve) => (finish = resolve));
  const check = () => {
    if (received.size === BURST && acked.size === BURST) finish();
  };

  const receiver = await target.connect(recipient!, {
    onMessage: (key) => {
      received.set(key, (received.get(key) ?? 0) + 1);
      check();
    },
    onProblem: (problem) => problems.push(problem),
    timeoutMs: TIMEOUT_MS,
  });
  const sending = await target.connect(sender!, {
    onMessage: (key) => problems.push(`the sender got its own message ${key}`),
    onStored: (key) => {
      acked.set(key, (acked.get(key) ?? 0) + 1);
      check();
    },
    onProblem: (problem) => problems.push(problem),
    timeoutMs: TIMEOUT_MS,
  });
  for (const message of messages) sending.send(message);
  await done;
  await Promise.all([receiver.close(), sending.close()]);

  expect(problems).toEqual([]);
  for (const message of messages) {
    expect(received.get(message.key)).toBe(1);
    expect(acked.get(message.key)).toBe(1);
  }
});

test('bench workloads deliver exactly once', async () => {
  // Both workloads throw unless every message arrived exactly once.
  const latency = await measureLatency(target, 20, 'latency', TIMEOUT_MS);
  expect(latency.p50).toBeGreaterThan(0);

  const throughput = await measureThroughput(target, 2, 40, 4, 'throughput', TIMEOUT_MS);
  expect(throughput.perSecond).toBeGreaterThan(0);
});

test('group message reaches each member once', async () => {
  // measureFanOut throws unless every receiver got every message exactly once.
  const median = await measureFanOut(target, 5, 3, 'fanout', TIMEOUT_MS);
  expect(median).toBeGreaterThan(0);
});
