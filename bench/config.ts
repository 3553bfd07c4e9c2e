// Bench settings from CLI flags, with BENCH_* environment variables as
// defaults (`--latency-messages 500` or BENCH_LATENCY_MESSAGES=500). Every
// size is bounded so that a typo cannot start an unbounded run.

import { dirname, join } from 'node:path';

export const TARGET_NAMES = ['feige', 'relay', 'workerd', 'ejabberd'] as const;
export type TargetName = (typeof TARGET_NAMES)[number];

export interface BenchConfig {
  quick: boolean;
  /** Interleaved repetitions of every workload; each table figure is their median. */
  repetitions: number;
  targets: ReadonlySet<TargetName>;
  latencyMessages: number;
  /** Messages of one throughput run, split evenly across its pairs. */
  throughputMessages: number;
  throughputPairs: number[];
  /** Messages one sender may have in flight (sent, not yet received by its peer). */
  throughputWindow: number;
  fanoutSizes: number[];
  fanoutMessages: number;
  backlogMessages: number;
  stormClients: number;
  idleSockets: number;
  /** Idle sockets each user opens at once, as browser tabs of one session do, so the idle workload needs that many times fewer users. */
  socketsPerUser: number;
  /** Users connected at once in the online-users workload, each with its own UserDO on Feige. */
  onlineUsers: number;
  /** Connect Feige clients through wrangler's dev proxy instead of straight to the workerd process that runs the Worker. */
  feigeViaProxy: boolean;
  browser: boolean;
  /** Upper bound of one phase (one workload on one target); a phase past it fails and the run goes on. */
  phaseTimeoutMs: number;
  /** Output file of the Markdown table, written besides stdout. */
  outputFile: string;
}

/** Upper bound of every count flag: far above the documented targets, low enough to stop a typo. */
export const COUNT_FLAG_MAX = 100_000;
export const REPETITIONS_MAX = 50;
export const PHASE_TIMEOUT_MAX_MS = 30 * 60_000;
/**
 * Upper bound of --sockets-per-user. Feige sets no per-user socket limit in
 * protocol/limits.ts or edge/, so this bound only stops a typo: 100 tabs of
 * one session is already far past real use.
 */
export const SOCKETS_PER_USER_MAX = 100;

const FULL: Omit<BenchConfig, 'targets' | 'outputFile'> = {
  quick: false,
  repetitions: 5,
  latencyMessages: 1_000,
  throughputMessages: 2_000,
  throughputPairs: [1, 50, 200],
  throughputWindow: 8,
  fanoutSizes: [100, 1_000, 10_000],
  fanoutMessages: 20,
  backlogMessages: 10_000,
  stormClients: 300,
  idleSockets: 10_000,
  socketsPerUser: 10,
  onlineUsers: 3_000,
  feigeViaProxy: false,
  browser: true,
  phaseTimeoutMs: 180_000,
};

const QUICK: Omit<BenchConfig, 'targets' | 'outputFile'> = {
  quick: true,
  repetitions: 1,
  latencyMessages: 100,
  throughputMessages: 400,
  throughputPairs: [1, 4],
  throughputWindow: 4,
  fanoutSizes: [10, 50],
  fanoutMessages: 5,
  backlogMessages: 300,
  stormClients: 20,
  idleSockets: 50,
  socketsPerUser: 5,
  onlineUsers: 20,
  feigeViaProxy: false,
  browser: true,
  phaseTimeoutMs: 60_000,
};

/** File name of a quick run's table, next to the default output, so that a smoke run keeps the recorded results. */
export const QUICK_OUTPUT_NAME = 'quick.md';

export const USAGE = `Usage: npm run bench -- [flags]   (each flag also reads BENCH_<NAME> from the environment)
  --quick                    tiny sizes and 1 repetition, for a smoke run
  --repetitions N            interleaved repetitions per workload (default 5, at most ${REPETITIONS_MAX})
  --targets LIST             comma-separated subset of ${TARGET_NAMES.join(',')} (default all)
  --latency-messages N       sequential 1:1 messages per latency run (default ${FULL.latencyMessages})
  --throughput-messages N    messages per throughput run, split across its pairs (default ${FULL.throughputMessages})
  --throughput-pairs LIST    sender/recipient pair counts (default ${FULL.throughputPairs.join(',')})
  --throughput-window N      messages in flight per sender (default ${FULL.throughputWindow})
  --fanout-sizes LIST        online group members (default ${FULL.fanoutSizes.join(',')})
  --fanout-messages N        group messages per fan-out run (default ${FULL.fanoutMessages})
  --backlog-messages N       messages waiting for the catch-up run (default ${FULL.backlogMessages})
  --storm-clients N          clients that drop and reconnect at once (default ${FULL.stormClients})
  --idle-sockets N           idle sockets held for the memory figure (default ${FULL.idleSockets})
  --sockets-per-user N       idle sockets each user holds, like tabs of one session (default ${FULL.socketsPerUser}, at most ${SOCKETS_PER_USER_MAX})
  --online-users N           users connected at once, each sending one 1:1 message (default ${FULL.onlineUsers})
  --feige-via-proxy          connect Feige clients through wrangler's dev proxy, not straight to the Worker's workerd
  --no-browser               skip the Chromium rows
  --phase-timeout-ms N       upper bound of one phase in milliseconds (default ${FULL.phaseTimeoutMs})
  --output FILE              where to write the Markdown table (default bench/results/latest.md,
                             and bench/results/${QUICK_OUTPUT_NAME} with --quick)
  --help                     print this text
Counts are 1..${COUNT_FLAG_MAX}.`;

export class ConfigError extends Error {}

/** Parses flags over BENCH_* variables over the defaults; throws ConfigError naming the bad value. */
export function parseConfig(argv: string[], env: NodeJS.ProcessEnv, defaultOutput: string): BenchConfig {
  const flags = readFlags(argv, env);
  const base = flags.has('quick') ? QUICK : FULL;

  const targets = flags.has('targets') ? parseTargets(flags.get('targets')!) : new Set(TARGET_NAMES);
  return {
    quick: base.quick,
    repetitions: countFlag(flags, 'repetitions', base.repetitions, REPETITIONS_MAX),
    targets,
    latencyMessages: countFlag(flags, 'latency-messages', base.latencyMessages),
    throughputMessages: countFlag(flags, 'throughput-messages', base.throughputMessages),
    throughputPairs: listFlag(flags, 'throughput-pairs', base.throughputPairs),
    throughputWindow: countFlag(flags, 'throughput-window', base.throughputWindow),
    fanoutSizes: listFlag(flags, 'fanout-sizes', base.fanoutSizes),
    fanoutMessages: countFlag(flags, 'fanout-messages', base.fanoutMessages),
    backlogMessages: countFlag(flags, 'backlog-messages', base.backlogMessages),
    stormClients: countFlag(flags, 'storm-clients', base.stormClients),
    idleSockets: countFlag(flags, 'idle-sockets', base.idleSockets),
    socketsPerUser: countFlag(flags, 'sockets-per-user', base.socketsPerUser, SOCKETS_PER_USER_MAX),
    onlineUsers: countFlag(flags, 'online-users', base.onlineUsers),
    feigeViaProxy: flags.has('feige-via-proxy') ? true : base.feigeViaProxy,
    browser: flags.has('no-browser') ? false : base.browser,
    phaseTimeoutMs: countFlag(flags, 'phase-timeout-ms', base.phaseTimeoutMs, PHASE_TIMEOUT_MAX_MS),
    outputFile: flags.get('output') ?? (base.quick ? join(dirname(defaultOutput), QUICK_OUTPUT_NAME) : defaultOutput),
  };
}

const BOOLEAN_FLAGS = new Set(['quick', 'no-browser', 'feige-via-proxy', 'help']);
const VALUE_FLAGS = new Set([
  'repetitions',
  'targets',
  'latency-messages',
  'throughput-messages',
  'throughput-pairs',
  'throughput-window',
  'fanout-sizes',
  'fanout-messages',
  'backlog-messages',
  'storm-clients',
  'idle-sockets',
  'sockets-per-user',
  'online-users',
  'phase-timeout-ms',
  'output',
]);

function readFlags(argv: string[], env: NodeJS.ProcessEnv): Map<string, string> {
  const flags = new Map<string, string>();
  for (const name of [...BOOLEAN_FLAGS, ...VALUE_FLAGS]) {
    const value = env[`BENCH_${name.toUpperCase().replaceAll('-', '_')}`];
    if (value === undefined || value === '') continue;
    if (BOOLEAN_FLAGS.has(name) && value !== '1' && value !== 'true') continue;
    flags.set(name, value);
  }

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const name = arg.startsWith('--') ? arg.slice(2) : '';
    if (BOOLEAN_FLAGS.has(name)) {
      flags.set(name, 'true');
      continue;
    }
    if (!VALUE_FLAGS.has(name)) throw new ConfigError(`Unknown argument ${JSON.stringify(arg)}.\n${USAGE}`);

    const value = argv[i + 1];
    if (value === undefined) throw new ConfigError(`Flag --${name} needs a value.\n${USAGE}`);
    flags.set(name, value);
    i++;
  }
  return flags;
}

function countFlag(flags: Map<string, string>, name: string, fallback: number, max = COUNT_FLAG_MAX): number {
  const text = flags.get(name);
  if (text === undefined) return fallback;
  return parseCount(name, text, max);
}

function parseCount(name: string, text: string, max: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new ConfigError(`--${name} ${JSON.stringify(text)} is invalid: expected an integer from 1 to ${max}.`);
  }
  return value;
}

function listFlag(flags: Map<string, string>, name: string, fallback: number[]): number[] {
  const text = flags.get(name);
  if (text === undefined) return fallback;
  return text.split(',').map((part) => parseCount(name, part.trim(), COUNT_FLAG_MAX));
}

function parseTargets(text: string): Set<TargetName> {
  const targets = new Set<TargetName>();
  for (const part of text.split(',')) {
    const name = part.trim();
    const known = TARGET_NAMES.find((target) => target === name);
    if (!known) throw new ConfigError(`--targets names ${JSON.stringify(name)}; expected some of ${TARGET_NAMES.join(', ')}.`);
    targets.add(known);
  }
  return targets;
}
