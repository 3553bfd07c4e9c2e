// A tiny bench configuration end to end against Feige: real accounts,
// devices and encrypted envelopes, real sockets. Asserts that every message
// sent arrives exactly once, live and again through `sync` catch-up. It asserts
// no timing.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ensureWebBuild, startFeige } from '../../bench/feige/server';
import { FeigeTarget } from '../../bench/targets/feige-target';
import type { Connection, PreparedMessage, TargetUser } from '../../bench/targets/target';
import { measureThroughput } from '../../bench/workloads/one-to-one';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PAIRS = 3;
const MESSAGES_PER_PAIR = 8;
const TIMEOUT_MS = 60_000;

let workDir: string;
let target: FeigeTarget;

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'feige-bench-test-'));
  await ensureWebBuild(ROOT, join(workDir, 'build.log'));
  target = new FeigeTarget(await startFeige(ROOT, workDir));
});

afterAll(async () => {
  await target?.stop();
  rmSync(workDir, { recursive: true, force: true });
});

/** Counts arrivals per key until `expected` distinct keys arrived. */
function counter(expected: number) {
  const counts = new Map<string, number>();
  const problems: string[] = [];
  let finish: () => void = () => {};
  const done = new Promise<void>((resolve) => (finish = resolve));
  return {
    counts,
    problems,
    done,
    options: {
      onMessage: (key: string) => {
        counts.set(key, (counts.get(key) ?? 0) + 1);
        if (counts.size === expected) finish();
      },
      onProblem: (problem: string) => problems.push(problem),
      timeoutMs: TIMEOUT_MS,
    },
  };
}

test('live and synced messages arrive once', async () => {
  const users = await target.chatUsers(2 * PAIRS);
  const plans: PreparedMessage[][] = [];
  for (let pair = 0; pair < PAIRS; pair++) {
    plans.push(await target.prepareMessages(users[2 * pair]!, users[2 * pair + 1]!, MESSAGES_PER_PAIR, `test-live-${pair}`));
  }
  const recipients: TargetUser[] = users.filter((_, index) => index % 2 === 1);

  const live = recipients.map(() => counter(MESSAGES_PER_PAIR));
  const connections: Connection[] = [];
  for (let pair = 0; pair < PAIRS; pair++) connections.push(await target.connect(recipients[pair]!, live[pair]!.options));
  const senders: Connection[] = [];
  for (let pair = 0; pair < PAIRS; pair++) senders.push(await target.connect(users[2 * pair]!, counter(0).options));

  for (let pair = 0; pair < PAIRS; pair++) for (const message of plans[pair]!) senders[pair]!.send(message);
  await Promise.all(live.map((entry) => entry.done));
  await Promise.all([...connections, ...senders].map((connection) => connection.close()));

  for (let pair = 0; pair < PAIRS; pair++) {
    expect(live[pair]!.problems).toEqual([]);
    for (const message of plans[pair]!) expect(live[pair]!.counts.get(message.key)).toBe(1);
    expect(live[pair]!.counts.size).toBe(MESSAGES_PER_PAIR);
  }

  // A new device of each recipient syncs from seq 0 and must see the same messages once each.
  for (let pair = 0; pair < PAIRS; pair++) {
    const synced = counter(MESSAGES_PER_PAIR);
    const connection = await target.syncFromStart(recipients[pair]!, synced.options);
    await connection.close();
    expect(synced.problems).toEqual([]);
    for (const message of plans[pair]!) expect(synced.counts.get(message.key)).toBe(1);
    expect(synced.counts.size).toBe(MESSAGES_PER_PAIR);
  }
});

test('throughput run delivers messages once', async () => {
  // measureThroughput rejects when a message is missing, duplicated or unexpected, naming the counts.
  await expect(measureThroughput(target, 2, 10, 3, 'test-throughput', TIMEOUT_MS)).resolves.toMatchObject({
    perSecond: expect.any(Number),
  });
});
