// The scale workloads at tiny sizes against Feige, reached straight on the
// workerd process that runs the Worker. Online users must deliver every
// message exactly once with no error, idle sockets shared by fewer users must
// all open and their objects must leave memory while the sockets stay open,
// an evicted user object must wake on a frame, and a group message must reach
// each receiver once. No timing is asserted.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ensureWebBuild, startFeige } from '../../bench/feige/server';
import { FeigeSocket } from '../../bench/feige/socket';
import { createAccount } from '../../bench/feige/users';
import { withDeadline } from '../../bench/system/deadline';
import { waitForEviction } from '../../bench/system/object-eviction';
import { FeigeTarget } from '../../bench/targets/feige-target';
import { measureFanOut } from '../../bench/workloads/fan-out';
import { measureOnlineUsers, prepareOnlineUsers } from '../../bench/workloads/online-users';
import { IDLE_EVICTION_MAX_MS, measureIdle } from '../../bench/workloads/reconnect';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TIMEOUT_MS = 90_000;

let workDir: string;
let target: FeigeTarget;

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'feige-bench-scale-test-'));
  await ensureWebBuild(ROOT, join(workDir, 'build.log'));
  target = new FeigeTarget(await startFeige(ROOT, workDir));
});

afterAll(async () => {
  await target?.stop();
  rmSync(workDir, { recursive: true, force: true });
});

test('bench reaches workerd past proxy', () => {
  expect(target.path).toBe('direct');
});

test('online users deliver without errors', async () => {
  const plan = await prepareOnlineUsers(target, 5, 'test-online');
  const result = await measureOnlineUsers(target, plan, TIMEOUT_MS);

  expect(result.faults).toEqual([]);
  expect(result.errors).toBe(0);
});

test('idle sockets share users', async () => {
  const result = await measureIdle(target, 7, 3, TIMEOUT_MS);

  expect(result.held).toBe(7);
  expect(result.users).toBe(3);
});

test('idle objects evicted before reading', async () => {
  // Objects of the tests before would otherwise leave memory during the wait and hide this phase's.
  await target.settle(TIMEOUT_MS);
  const result = await measureIdle(target, 7, 3, TIMEOUT_MS);

  expect(result.loadedDatabaseFiles).toBeGreaterThan(0);
  expect(result.evicted).toBe(true);
  expect(result.extraDatabaseFiles).toBe(0);
});

test('evicted user object wakes on frame', async () => {
  const user = await createAccount(target.origin, `wake${Date.now().toString(36)}`);
  await target.settle(TIMEOUT_MS);
  const filesBefore = target.openDatabaseFiles();
  expect(filesBefore).toEqual(expect.any(Number));

  const readEvents = [0, 0, 0];
  const sockets = await Promise.all(
    readEvents.map((_, i) =>
      FeigeSocket.open(target.origin, user.token, { onEvent: (event) => (readEvents[i]! += event.kind === 'read' ? 1 : 0) }, TIMEOUT_MS),
    ),
  );
  try {
    expect(target.openDatabaseFiles()).toBeGreaterThan(filesBefore!);
    const wait = await waitForEviction(() => target.openDatabaseFiles(), filesBefore!, IDLE_EVICTION_MAX_MS);
    expect(wait.evicted).toBe(true);

    sockets[0]!.sendText(JSON.stringify({ type: 'read', conversationId: 'wake-test', readSeq: 0 }));
    const bothReceived = (async () => {
      while (readEvents[1] === 0 || readEvents[2] === 0) await new Promise((resolve) => setTimeout(resolve, 50));
    })();
    await withDeadline(bothReceived, TIMEOUT_MS, 'the read event on the two other sockets');

    // The sending socket is left out of the broadcast.
    expect(readEvents).toEqual([0, 1, 1]);
  } finally {
    await Promise.all(sockets.map((socket) => socket.close()));
  }
});

test('group fan-out reaches receivers once', async () => {
  // measureFanOut rejects when a receiver misses a message, gets it twice or gets a frame that fails its schema.
  await expect(measureFanOut(target, 3, 2, 'test-fanout', TIMEOUT_MS)).resolves.toEqual(expect.any(Number));
});
