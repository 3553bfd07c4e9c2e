// Chromium's sampling profiler over CDP, summarised as the functions with the
// most self time. Used by `node bench/browser/profile.mjs` to find what a
// browser figure spends its time on.

import type { CDPSession } from 'playwright-core';

/** Microseconds between samples; Chromium's default is 1,000, too coarse for a 10 ms figure. */
const SAMPLING_INTERVAL_US = 100;

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples?: number[];
  timeDeltas?: number[];
}

export interface SelfTime {
  /** Function name and where it is defined, `name url:line:column` (zero-based, as CDP reports them). */
  name: string;
  ms: number;
}

export interface ProfileSummary {
  totalMs: number;
  top: SelfTime[];
  /** The functions with the most total time, their callees included. `ms` counts each sample once per function. */
  topTotal: SelfTime[];
}

export async function startProfile(cdp: CDPSession): Promise<void> {
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: SAMPLING_INTERVAL_US });
  await cdp.send('Profiler.start');
}

/** Stops the profiler and returns the `count` functions with the most self time. */
export async function stopProfile(cdp: CDPSession, count: number): Promise<ProfileSummary> {
  const { profile } = (await cdp.send('Profiler.stop')) as { profile: CpuProfile };
  await cdp.send('Profiler.disable');
  return summarise(profile, count);
}

function summarise(profile: CpuProfile, count: number): ProfileSummary {
  const nameOf = new Map<number, string>();
  for (const node of profile.nodes) {
    const { functionName, url, lineNumber, columnNumber } = node.callFrame;
    const file = url === '' ? '' : ` ${url.replace(/^.*\//, '')}:${lineNumber}:${columnNumber}`;
    nameOf.set(node.id, `${functionName || '(anonymous)'}${file}`);
  }

  // timeDeltas[i] is the time from sample i-1 to sample i; it is charged to sample i's node.
  const selfUs = new Map<string, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  let totalUs = 0;
  for (let i = 0; i < samples.length; i++) {
    const name = nameOf.get(samples[i]!) ?? '(unknown)';
    const delta = deltas[i] ?? 0;
    selfUs.set(name, (selfUs.get(name) ?? 0) + delta);
    totalUs += delta;
  }

  return { totalMs: totalUs / 1000, top: largest(selfUs, count), topTotal: largest(totalTimes(profile, nameOf), count) };
}

function largest(times: Map<string, number>, count: number): SelfTime[] {
  return [...times.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, us]) => ({ name, ms: us / 1000 }));
}

/** Returns each function's total time in microseconds: every sample whose stack contains it, counted once. */
function totalTimes(profile: CpuProfile, nameOf: Map<number, string>): Map<string, number> {
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);

  const totalUs = new Map<string, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    const onStack = new Set<string>();
    for (let id: number | undefined = samples[i]; id !== undefined; id = parentOf.get(id)) onStack.add(nameOf.get(id) ?? '(unknown)');
    for (const name of onStack) totalUs.set(name, (totalUs.get(name) ?? 0) + (deltas[i] ?? 0));
  }
  return totalUs;
}
