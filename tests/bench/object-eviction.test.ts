// The wait of the idle workload for evicted objects, and the share of the
// phase bound it may take. The wait runs on a scripted count of open SQLite
// files with fake timers, so its bound is tested at and one poll past its
// edge without measuring time.

import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { waitForEviction } from '../../bench/system/object-eviction';
import { evictionWaitBound, IDLE_CLOSE_RESERVE_MS, IDLE_EVICTION_MAX_MS } from '../../bench/workloads/reconnect';

const BASELINE = 3;
const POLL_MS = 1_000;
const MAX_MS = 3_000;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'Date'] });
});

afterEach(() => {
  vi.useRealTimers();
});

/** A reader of open SQLite files that returns `counts[k]` at the k-th poll, then repeats the last one. */
function scripted(counts: (number | undefined)[]): { read: () => number | undefined; reads: () => number } {
  let reads = 0;
  return {
    read: () => counts[Math.min(reads++, counts.length - 1)],
    reads: () => reads,
  };
}

async function waitFor(counts: (number | undefined)[], maxMs = MAX_MS) {
  const reader = scripted(counts);
  const pending = waitForEviction(reader.read, BASELINE, maxMs, POLL_MS);
  await vi.advanceTimersByTimeAsync(maxMs + 2 * POLL_MS);
  return { wait: await pending, reads: reader.reads() };
}

test('eviction wait stops at baseline', async () => {
  const { wait, reads } = await waitFor([12, 9, BASELINE, 0]);

  expect(wait.evicted).toBe(true);
  expect(wait.files).toBe(BASELINE);
  expect(reads).toBe(3);
});

test('eviction wait continues one above baseline', async () => {
  const { wait } = await waitFor([BASELINE + 1]);

  expect(wait.evicted).toBe(false);
  expect(wait.files).toBe(BASELINE + 1);
});

test('eviction at the bound counts', async () => {
  // Reads at 0, 1, 2 and 3 s: the fourth read is at the bound itself.
  const { wait, reads } = await waitFor([9, 9, 9, BASELINE]);

  expect(wait.evicted).toBe(true);
  expect(reads).toBe(4);
});

test('eviction one poll past the bound misses', async () => {
  const { wait, reads } = await waitFor([9, 9, 9, 9, BASELINE]);

  expect(wait.evicted).toBe(false);
  expect(wait.files).toBe(9);
  expect(reads).toBe(4);
});

test('zero bound reads once', async () => {
  const { wait, reads } = await waitFor([9, BASELINE], 0);

  expect(wait.evicted).toBe(false);
  expect(reads).toBe(1);
});

test('eviction wait ends when process gone', async () => {
  const { wait, reads } = await waitFor([9, undefined, BASELINE]);

  expect(wait.evicted).toBe(false);
  expect(wait.files).toBeUndefined();
  expect(reads).toBe(2);
});

test('wait bound is the maximum with time left', () => {
  const timeoutMs = IDLE_EVICTION_MAX_MS + IDLE_CLOSE_RESERVE_MS;

  expect(evictionWaitBound(timeoutMs, 0)).toBe(IDLE_EVICTION_MAX_MS);
  expect(evictionWaitBound(timeoutMs + 1, 0)).toBe(IDLE_EVICTION_MAX_MS);
});

test('wait bound shrinks with slow connect', () => {
  const timeoutMs = IDLE_EVICTION_MAX_MS + IDLE_CLOSE_RESERVE_MS;

  expect(evictionWaitBound(timeoutMs, 1)).toBe(IDLE_EVICTION_MAX_MS - 1);
});

test('wait bound is zero past phase bound', () => {
  const timeoutMs = 180_000;

  expect(evictionWaitBound(timeoutMs, timeoutMs - IDLE_CLOSE_RESERVE_MS)).toBe(0);
  expect(evictionWaitBound(timeoutMs, timeoutMs - IDLE_CLOSE_RESERVE_MS + 1)).toBe(0);
  expect(evictionWaitBound(timeoutMs, timeoutMs - IDLE_CLOSE_RESERVE_MS - 1)).toBe(1);
});
