// CPU accounting from /proc that the throughput rows use to show whether one
// server thread bounds the rate.

import { expect, test } from 'vitest';
import { cpuBetween, sampleCpu } from '../../bench/system/cpu-time';

/** Spins the calling thread until `count` square roots are done, so it uses measurable CPU time. */
function burn(count: number): number {
  let sum = 0;
  for (let i = 0; i < count; i++) sum += Math.sqrt(i);
  return sum;
}

test('sample covers process and threads', () => {
  const sample = sampleCpu(process.pid);

  expect(sample).toBeDefined();
  expect(sample!.threadSeconds.has(String(process.pid))).toBe(true);
  expect(sample!.processSeconds).toBeGreaterThan(0);
});

test('sample of a missing process', () => {
  expect(sampleCpu(2 ** 30)).toBeUndefined();
});

test('busy main thread counts as busiest', () => {
  const before = sampleCpu(process.pid)!;
  burn(3e8);
  const usage = cpuBetween(before, sampleCpu(process.pid)!);

  expect(usage.busiestThreadSeconds).toBeGreaterThan(0.05);
  // The process total is read before the threads, so a thread can be one clock tick (10 ms) ahead of it.
  expect(usage.processSeconds).toBeGreaterThanOrEqual(usage.busiestThreadSeconds - 0.02);
});
