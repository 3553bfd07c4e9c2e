// The scale workloads at tiny sizes against Feige, reached straight on the
// workerd process that runs the Worker. Online users must deliver every
// message exactly once with no error, idle sockets shared by fewer users must
// all open, and a group message must reach each receiver once. No timing is
// asserted.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ensureWebBuild, startFeige } from '../../bench/feige/server';
import { FeigeTarget } from '../../bench/targets/feige-target';
import { measureFanOut } from '../../bench/workloads/fan-out';
import { measureOnlineUsers, prepareOnlineUsers } from '../../bench/workloads/online-users';
import { measureIdle } from '../../bench/workloads/reconnect';

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

test('group fan-out reaches receivers once', async () => {
  // measureFanOut rejects when a receiver misses a message, gets it twice or gets a frame that fails its schema.
  await expect(measureFanOut(target, 3, 2, 'test-fanout', TIMEOUT_MS)).resolves.toEqual(expect.any(Number));
});
