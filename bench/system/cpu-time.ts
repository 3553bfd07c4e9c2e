// CPU time of a server process and of its busiest thread, from /proc. The
// throughput rows use it to show where a box-wide rate is bounded: a server
// that runs all its work on one thread cannot pass 1 / (CPU per message),
// however many cores the machine has.

import { readFileSync, readdirSync } from 'node:fs';

/** Clock ticks per second of utime and stime in /proc/PID/stat; 100 on Linux for x86-64 and arm64. */
const CLOCK_TICKS_PER_SECOND = 100;

export interface CpuSample {
  /** User plus system CPU seconds of the whole process. */
  processSeconds: number;
  /** CPU seconds per thread id. */
  threadSeconds: Map<string, number>;
}

export interface CpuUsage {
  /** CPU seconds the process used between two samples. */
  processSeconds: number;
  /** CPU seconds of the thread that used the most between the samples. */
  busiestThreadSeconds: number;
}

/** Reads the CPU time of `pid` and of each of its threads, or undefined when the process is gone. */
export function sampleCpu(pid: number): CpuSample | undefined {
  const processSeconds = statSeconds(`/proc/${pid}/stat`);
  if (processSeconds === undefined) return undefined;

  const threadSeconds = new Map<string, number>();
  let threads: string[];
  try {
    threads = readdirSync(`/proc/${pid}/task`);
  } catch {
    return undefined;
  }
  for (const thread of threads) {
    const seconds = statSeconds(`/proc/${pid}/task/${thread}/stat`);
    if (seconds !== undefined) threadSeconds.set(thread, seconds);
  }
  return { processSeconds, threadSeconds };
}

/** Returns the CPU used between two samples of the same process. */
export function cpuBetween(before: CpuSample, after: CpuSample): CpuUsage {
  let busiestThreadSeconds = 0;
  for (const [thread, seconds] of after.threadSeconds) {
    const used = seconds - (before.threadSeconds.get(thread) ?? 0);
    busiestThreadSeconds = Math.max(busiestThreadSeconds, used);
  }
  return { processSeconds: after.processSeconds - before.processSeconds, busiestThreadSeconds };
}

/** utime + stime of one stat file in seconds. The command name may contain spaces, so fields count from its closing parenthesis. */
function statSeconds(path: string): number | undefined {
  let stat: string;
  try {
    stat = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After the name: state is field 3 of the man page, utime 14 and stime 15.
  const utime = Number(fields[14 - 3]);
  const stime = Number(fields[15 - 3]);
  return (utime + stime) / CLOCK_TICKS_PER_SECOND;
}
