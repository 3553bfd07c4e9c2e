// Profiles the 1:1 throughput workload inside workerd (not a test, no
// figures). It starts Feige or the workerd floor under `wrangler dev` and
// runs the bench's throughput workload once to warm up. Then it runs it again
// with the V8 profiler of the Worker's isolate attached over the inspector
// port of `wrangler dev`, and prints the functions with the most self time.
// The profile goes to DIR as a .cpuprofile file, which Chrome DevTools opens.
//
//   node bench/one-to-one-profile.mjs [--target feige|workerd] [--pairs 1] [--messages 4000] [--window 8] [--out DIR]
//
// The profiler slows the isolate, so the throughput it prints is not a figure.

import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { saveProfile, startWorkerProfile } from './feige/group-profile.mjs';
import { startFeige } from './feige/server';
import { FeigeTarget } from './targets/feige-target';
import type { Target } from './targets/target';
import { startWorkerdFloor } from './targets/workerd-floor-target';
import { measureThroughput } from './workloads/one-to-one';

const ROOT = process.env.FEIGE_BENCH_ROOT ?? resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const PHASE_TIMEOUT_MS = 120_000;
const TOP_FUNCTIONS = 40;

export async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      target: { type: 'string', default: 'feige' },
      pairs: { type: 'string', default: '1' },
      messages: { type: 'string', default: '4000' },
      window: { type: 'string', default: '8' },
      out: { type: 'string', default: join(tmpdir(), 'feige-one-to-one-profile') },
    },
  });
  const pairs = positiveInteger('--pairs', values.pairs);
  const messages = positiveInteger('--messages', values.messages);
  const window = positiveInteger('--window', values.window);
  if (values.target !== 'feige' && values.target !== 'workerd') throw new Error(`--target is ${values.target}; expected feige or workerd`);

  const workDir = mkdtempSync(join(tmpdir(), 'feige-profile-'));
  mkdirSync(values.out, { recursive: true });
  let target: Target | undefined;
  try {
    let inspectorPort: number;
    if (values.target === 'feige') {
      const server = await startFeige(ROOT, workDir);
      inspectorPort = server.inspectorPort;
      target = new FeigeTarget(server);
    } else {
      const floor = await startWorkerdFloor(ROOT, workDir);
      inspectorPort = floor.inspectorPort;
      target = floor;
    }

    await target.chatUsers(2 * pairs);
    const warm = await measureThroughput(target, pairs, messages, window, 'warm', PHASE_TIMEOUT_MS);
    process.stdout.write(`warm-up: ${warm.perSecond.toFixed(0)} msg/s, ${warm.serverCpuPerMessageUs?.toFixed(0)} µs CPU per message\n`);

    const profiler = await startWorkerProfile(inspectorPort);
    const profiled = await measureThroughput(target, pairs, messages, window, 'profiled', PHASE_TIMEOUT_MS);
    const profile = await profiler.stop();
    process.stdout.write(`profiled: ${profiled.perSecond.toFixed(0)} msg/s\n`);

    const file = join(values.out, `${values.target}-${pairs}-pairs.cpuprofile`);
    for (const line of saveProfile(profile, file, TOP_FUNCTIONS)) process.stdout.write(`${line}\n`);
    process.stdout.write(`profile: ${file}\n`);
    return 0;
  } finally {
    await target?.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
}

function positiveInteger(flag: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${flag} is ${JSON.stringify(text)}; expected a whole number of 1 or more`);
  return value;
}
