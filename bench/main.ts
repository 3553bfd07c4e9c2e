// `npm run bench`: Feige against two floors, a minimal WebSocket relay and a
// minimal Worker with Feige's two stored copies per message, and against
// ejabberd with and without its archive. Starts every server on 127.0.0.1,
// runs each workload on each target in interleaved repetitions, prints the
// Markdown table and writes it to bench/results/latest.md. Everything started
// here is stopped at the end, on failure and on Ctrl-C.

import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measureBrowser, browserUnavailable } from './browser/measure';
import { measureWebAssets } from './browser/web-assets';
import { ConfigError, parseConfig, USAGE, type BenchConfig } from './config';
import { buildWeb, startFeige } from './feige/server';
import { describeMachine } from './report/machine';
import { declareRows, describeSetup } from './report/rows';
import { Results, type Column } from './report/table';
import { withDeadline } from './system/deadline';
import { killAllStarted } from './system/processes';
import { FeigeTarget } from './targets/feige-target';
import { startRelay } from './targets/relay-target';
import type { Target } from './targets/target';
import { startWorkerdFloor } from './targets/workerd-floor-target';
import { XmppTarget } from './targets/xmpp-target';
import { fanOutMembers, measureFanOut } from './workloads/fan-out';
import { measureLatency, measureThroughput } from './workloads/one-to-one';
import { measureOnlineUsers, prepareOnlineUsers, type OnlineUsersPlan } from './workloads/online-users';
import { idleUsers, measureCatchUp, measureIdle, measureStorm } from './workloads/reconnect';
import { ejabberdUnavailable, ejabberdVersion, INSTALL_HINT, startEjabberd } from './xmpp/ejabberd';

// run-bundled.mjs sets FEIGE_BENCH_ROOT; the fallback is the bundle's place under node_modules/.cache/feige-bench.
const ROOT = process.env.FEIGE_BENCH_ROOT ?? resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

export async function main(argv: string[]): Promise<number> {
  let config: BenchConfig;
  try {
    config = parseConfig(argv, process.env, join(ROOT, 'bench', 'results', 'latest.md'));
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    throw error;
  }
  if (argv.includes('--help')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }

  const workDir = mkdtempSync(join(tmpdir(), 'feige-bench-'));
  // ejabberd runs as its own user and must reach its directories below this one.
  chmodSync(workDir, 0o755);
  const targets: Target[] = [];
  const onSignal = (signal: NodeJS.Signals) => {
    log(`${signal}: stopping every server this bench started`);
    killAllStarted();
    rmSync(workDir, { recursive: true, force: true });
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  // Output piped into `head` closes early. An unhandled EPIPE would end the
  // process before the servers are stopped, so the run goes on without output.
  for (const stream of [process.stdout, process.stderr]) stream.on('error', ignoreClosedPipe);

  try {
    const started = new Date();
    const machine = describeMachine(ROOT, ejabberdVersion());
    await startTargets(config, workDir, targets);
    const results = new Results();
    await runAll(config, targets, results);

    const loadAtEnd = loadavg().map((value) => value.toFixed(2)).join(', ');
    const durationS = (Date.now() - started.getTime()) / 1000;
    const table = results.toMarkdown(machine, loadAtEnd, config.repetitions, started, durationS, describeSetup(config, targets));
    process.stdout.write(table);
    mkdirSync(dirname(config.outputFile), { recursive: true });
    writeFileSync(config.outputFile, table);
    log(`wrote ${config.outputFile}`);
    return 0;
  } finally {
    for (const target of targets) {
      await target.stop().catch((error: unknown) => log(`stopping ${target.label} failed: ${String(error)}`));
    }
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    rmSync(workDir, { recursive: true, force: true });
  }
}

async function startTargets(config: BenchConfig, workDir: string, targets: Target[]): Promise<void> {
  if (config.targets.has('feige')) {
    log('building dist/web, then starting wrangler dev');
    await buildWeb(ROOT, join(workDir, 'build.log'));
    targets.push(new FeigeTarget(await startFeige(ROOT, workDir, config.feigeViaProxy ? 'proxy' : 'direct')));
  }
  if (config.targets.has('relay')) {
    targets.push(await startRelay(ROOT, workDir));
  }
  if (config.targets.has('workerd')) {
    log('starting the workerd floor under wrangler dev');
    targets.push(await startWorkerdFloor(ROOT, workDir));
  }
  if (config.targets.has('ejabberd')) {
    const unavailable = ejabberdUnavailable();
    if (unavailable) {
      log(`skipping ejabberd: ${unavailable}`);
      log(`to compare with ejabberd, install it once: ${INSTALL_HINT}`);
      return;
    }
    log('starting ejabberd with its archive in SQLite, and ejabberd without archive');
    targets.push(new XmppTarget(await startEjabberd(workDir, 'archive')));
    targets.push(new XmppTarget(await startEjabberd(workDir, 'memory')));
  }
}

/** Runs one phase with the configured bound; a failure is recorded in its cells and the run goes on. */
async function phase(
  config: BenchConfig,
  results: Results,
  rowIds: string[],
  target: Target,
  what: string,
  run: () => Promise<Record<string, number>>,
): Promise<void> {
  const column = target.label as Column;
  try {
    const figures = await withDeadline(run(), config.phaseTimeoutMs, `${what} on ${target.label}`);
    for (const [rowId, value] of Object.entries(figures)) results.add(rowId, column, value);
    log(`${what} on ${target.label}: ${Object.entries(figures).map(([id, value]) => `${id}=${value.toFixed(3)}`).join(' ')}`);
  } catch (error) {
    for (const rowId of rowIds) results.fail(rowId, column, error);
    log(`${what} on ${target.label} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

async function runAll(config: BenchConfig, targets: Target[], results: Results): Promise<void> {
  declareRows(config, results);
  const feige = targets.find((target) => target instanceof FeigeTarget);
  for (const target of targets) {
    if (!target.groups) for (const size of config.fanoutSizes) results.note(`fanout.${size}`, target.label as Column, 'n/a — groups not built');
    if (!target.catchUp) results.note('catchup', target.label as Column, 'n/a — keeps no messages');
  }

  await preparePools(config, targets);
  for (let rep = 1; rep <= config.repetitions; rep++) {
    log(`repetition ${rep} of ${config.repetitions}`);
    // Rotating the order spreads any drift of the machine (other load, heat) over every target.
    const order = targets.map((_, i) => targets[(i + rep - 1) % targets.length]!);

    for (const target of order) {
      await phase(config, results, ['latency.p50', 'latency.p99', 'latency.p999'], target, '1:1 latency', async () => {
        const latency = await measureLatency(target, config.latencyMessages, `r${rep}l`, config.phaseTimeoutMs);
        return { 'latency.p50': latency.p50, 'latency.p99': latency.p99, 'latency.p999': latency.p999 };
      });
    }
    for (const pairs of config.throughputPairs) {
      for (const target of order) {
        const ids = [`throughput.${pairs}.rate`, `throughput.${pairs}.p99`, `throughput.${pairs}.cpu`, `throughput.${pairs}.thread`];
        await phase(config, results, ids, target, `1:1 throughput, ${pairs} pairs`, async () => {
          const result = await measureThroughput(target, pairs, config.throughputMessages, config.throughputWindow, `r${rep}t${pairs}`, config.phaseTimeoutMs);
          const figures: Record<string, number> = { [ids[0]!]: result.perSecond, [ids[1]!]: result.p99 };
          if (result.serverCpuPerMessageUs !== undefined) figures[ids[2]!] = result.serverCpuPerMessageUs;
          if (result.busiestThreadPercent !== undefined) figures[ids[3]!] = result.busiestThreadPercent;
          return figures;
        });
      }
    }
    for (const size of config.fanoutSizes) {
      for (const target of order.filter((candidate) => candidate.groups)) {
        // Every member opens a socket, so the objects that earlier phases left loaded must be evicted first.
        await target.settle?.(SETTLE_MAX_MS);
        await phase(config, results, [`fanout.${size}`], target, `fan-out to ${size}`, async () => ({
          [`fanout.${size}`]: await measureFanOut(target, size, config.fanoutMessages, `r${rep}f${size}`, config.phaseTimeoutMs, SETTLE_MAX_MS),
        }));
      }
    }
    for (const target of order.filter((candidate) => candidate.catchUp)) {
      await phase(config, results, ['catchup'], target, `catch-up of ${config.backlogMessages}`, async () => ({
        catchup: await measureCatchUp(target, config.backlogMessages, `r${rep}c`, config.phaseTimeoutMs),
      }));
    }
    for (const target of order) {
      await phase(config, results, ['storm'], target, `reconnect storm of ${config.stormClients}`, async () => {
        const storm = await measureStorm(target, config.stormClients, config.phaseTimeoutMs);
        if (storm.failures > 0) {
          throw new Error(`${storm.failures} of ${config.stormClients} reconnects failed, the first with: ${storm.firstFailure}`);
        }
        return { storm: storm.totalMs };
      });
    }
    for (const target of order) {
      const what = `${config.idleSockets} idle connections of ${idleUsers(config.idleSockets, config.socketsPerUser)} users`;
      await target.settle?.(SETTLE_MAX_MS);
      await phase(config, results, ['idle', 'idle.connected'], target, what, async () => {
        const idle = await measureIdle(target, config.idleSockets, config.socketsPerUser, config.phaseTimeoutMs);
        const opened = idle.loadedDatabaseFiles === undefined ? '' : ` (${idle.loadedDatabaseFiles} more SQLite files open)`;
        log(`${what} on ${target.label}: connected in ${(idle.connectMs / 1000).toFixed(1)} s${opened}, memory read ${(idle.evictionWaitMs / 1000).toFixed(1)} s later`);
        if (idle.evicted === false) {
          log(`${target.label} still had ${idle.extraDatabaseFiles} SQLite files of idle objects open after ${idle.evictionWaitMs} ms; the idle row counts those objects as loaded`);
        }
        return { idle: idle.bytesPerConnection / 1024, 'idle.connected': idle.bytesPerConnectionConnected / 1024 };
      });
    }
    for (const target of order) await onlineUsersPhase(config, results, target, `r${rep}o`);
    if (feige) await browserPhase(config, results, feige as FeigeTarget);
  }
}

/**
 * Runs the online-users workload. The error count is a figure of its own, so
 * a run with errors records it and fails only the time row, naming the errors.
 */
async function onlineUsersPhase(config: BenchConfig, results: Results, target: Target, tag: string): Promise<void> {
  const rowIds = ['online.time', 'online.errors'];
  const phaseName = `${config.onlineUsers} online users`;
  // Encrypting the messages is setup with its own bound, so the phase bound covers connecting and delivering only.
  let plan: OnlineUsersPlan;
  try {
    await target.settle?.(SETTLE_MAX_MS);
    plan = await withDeadline(prepareOnlineUsers(target, config.onlineUsers, tag), POOL_TIMEOUT_MS, `${target.label} encrypting the messages of ${phaseName}`);
  } catch (error) {
    for (const rowId of rowIds) results.fail(rowId, target.label as Column, error);
    log(`${phaseName} on ${target.label} failed: ${error instanceof Error ? error.message : String(error)}`);
    return;
  }

  await phase(config, results, rowIds, target, phaseName, async (): Promise<Record<string, number>> => {
    const online = await measureOnlineUsers(target, plan, config.phaseTimeoutMs);
    if (online.errors === 0) return { 'online.time': online.totalMs, 'online.errors': 0 };

    results.add('online.errors', target.label as Column, online.errors);
    results.fail('online.time', target.label as Column, new Error(`${online.errors} errors: ${online.faults.join('; ')}`));
    return {};
  });
}

/** Upper bound of the wait for a server to evict the objects of earlier phases before the online users connect. */
const SETTLE_MAX_MS = 120_000;

/** Upper bound of making every target's users before the first repetition (Feige registers them through PBKDF2). */
const POOL_TIMEOUT_MS = 30 * 60_000;

/** Makes every user the workloads will need up front, so no phase spends its time bound on sign-ups. */
async function preparePools(config: BenchConfig, targets: Target[]): Promise<void> {
  const chatCount = Math.max(4, 2 * Math.max(...config.throughputPairs), config.onlineUsers);
  for (const target of targets) {
    const fanOutCount = Math.max(...config.fanoutSizes.map((size) => fanOutMembers(target, size)));
    const plainCount = Math.max(config.stormClients, idleUsers(config.idleSockets, config.socketsPerUser), fanOutCount);
    log(`making ${chatCount} chat users and ${plainCount} other users on ${target.label}`);
    await withDeadline(
      Promise.all([target.chatUsers(chatCount), target.plainUsers(plainCount)]),
      POOL_TIMEOUT_MS,
      `making the users of ${target.label}`,
    );
  }
}

async function browserPhase(config: BenchConfig, results: Results, feige: FeigeTarget): Promise<void> {
  const assets = measureWebAssets(join(ROOT, 'dist', 'web'));
  if (assets === undefined) {
    for (const id of ['web.js', 'web.css']) results.note(id, 'Feige', 'skipped — dist/web missing');
  } else {
    results.add('web.js', 'Feige', assets.jsGzipBytes / 1000);
    results.add('web.css', 'Feige', assets.cssGzipBytes / 1000);
  }

  const browserIds = [
    'browser.cold',
    'browser.warm',
    'browser.last50',
    'browser.last50.frame',
    'browser.last50.first',
    'browser.catchup.stored',
    'browser.catchup.shown',
  ];
  const unavailable = config.browser ? browserUnavailable(join(ROOT, 'dist', 'web')) : 'skipped by --no-browser';
  if (unavailable) {
    for (const id of browserIds) results.note(id, 'Feige', unavailable);
    return;
  }
  await phase(config, results, browserIds, feige, 'Chromium load and render', async () => {
    const browser = await measureBrowser(feige, config.backlogMessages, config.phaseTimeoutMs);
    for (const [id, reason] of Object.entries(browser.skipped)) results.note(id, 'Feige', reason);
    return browser.figures;
  });
}

function ignoreClosedPipe(error: NodeJS.ErrnoException): void {
  if (error.code !== 'EPIPE') throw error;
}
