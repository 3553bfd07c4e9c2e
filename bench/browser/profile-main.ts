// `node bench/browser/profile.mjs`: runs the two IndexedDB-bound browser rows
// (the last 50 messages shown, and the catch-up of a backlog) against a fresh
// Feige under `wrangler dev`, with Chromium's sampling profiler on during the
// timed part, and prints each figure with the functions of most self time.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildWeb, startFeige } from '../feige/server';
import { FeigeTarget } from '../targets/feige-target';
import { measureBrowserCatchUp } from './catch-up';
import { measureLastFifty } from './last-fifty';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './measure';
import type { ProfileSummary } from './profiler';

// run-bundled.mjs sets FEIGE_BENCH_ROOT; the fallback is the bundle's place under node_modules/.cache/feige-bench.
const ROOT = process.env.FEIGE_BENCH_ROOT ?? resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const DEFAULT_BACKLOG = 10_000;
const BACKLOG_MAX = 100_000;
const DEFAULT_RUNS = 1;
const RUNS_MAX = 20;
const TIMEOUT_MS = 20 * 60_000;

export const USAGE = `Usage: node bench/browser/profile.mjs [--backlog-messages N] [--runs N] [--no-profile] [--checkout DIR]
  --backlog-messages N   messages of the catch-up backlog (default ${DEFAULT_BACKLOG}, at most ${BACKLOG_MAX})
  --runs N               runs of each workload (default ${DEFAULT_RUNS}, at most ${RUNS_MAX})
  --no-profile           measure without the profiler, which slows the page down
  --checkout DIR         serve the Worker and the dist/web build of another checkout, with node_modules,
                         for example one made with git archive, to compare two commits (default: this one)`;

interface Options {
  checkout: string;
  backlog: number;
  runs: number;
  profile: boolean;
}

function parseCount(argv: string[], flag: string, fallback: number, max: number): number {
  const at = argv.indexOf(flag);
  if (at === -1) return fallback;
  const value = Number(argv[at + 1]);
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new Error(`${flag} ${JSON.stringify(argv[at + 1])} is invalid: expected an integer from 1 to ${max}.\n${USAGE}`);
  }
  return value;
}

function parseOptions(argv: string[]): Options {
  const at = argv.indexOf('--checkout');
  const checkout = at === -1 ? ROOT : argv[at + 1];
  if (checkout === undefined) throw new Error(`--checkout needs a directory.\n${USAGE}`);
  return {
    checkout: resolve(checkout),
    backlog: parseCount(argv, '--backlog-messages', DEFAULT_BACKLOG, BACKLOG_MAX),
    runs: parseCount(argv, '--runs', DEFAULT_RUNS, RUNS_MAX),
    profile: !argv.includes('--no-profile'),
  };
}

function printProfile(title: string, summary: ProfileSummary | undefined): void {
  if (!summary) return;
  process.stdout.write(`  ${title}: ${summary.totalMs.toFixed(1)} ms sampled; most self time:\n`);
  for (const entry of summary.top) process.stdout.write(`    ${entry.ms.toFixed(1).padStart(8)} ms  ${entry.name}\n`);
  process.stdout.write(`  ${title}: most total time, callees included:\n`);
  for (const entry of summary.topTotal) process.stdout.write(`    ${entry.ms.toFixed(1).padStart(8)} ms  ${entry.name}\n`);
}

export async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const options = parseOptions(argv);
  const workDir = mkdtempSync(join(tmpdir(), 'feige-browser-profile-'));
  await buildWeb(options.checkout, join(workDir, 'build.log'));
  const feige = new FeigeTarget(await startFeige(options.checkout, workDir));
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, timeout: TIMEOUT_MS });
  try {
    for (let run = 1; run <= options.runs; run++) {
      const lastFifty = await measureLastFifty(feige, browser, TIMEOUT_MS, options.profile);
      if ('skipped' in lastFifty) throw new Error(lastFifty.skipped);
      process.stdout.write(`run ${run}: last 50 in the DOM ${lastFifty.shownMs.toFixed(1)} ms, frame done ${lastFifty.frameMs.toFixed(1)} ms\n`);
      printProfile('last 50', lastFifty.profile);

      const catchUp = await measureBrowserCatchUp(feige, browser, options.backlog, TIMEOUT_MS, options.profile);
      if ('skipped' in catchUp) throw new Error(catchUp.skipped);
      process.stdout.write(
        `run ${run}: catch-up of ${options.backlog}: stored ${catchUp.storedMs.toFixed(0)} ms, shown ${catchUp.shownMs.toFixed(0)} ms\n`,
      );
      printProfile('catch-up', catchUp.profile);
    }
    return 0;
  } finally {
    await browser.close();
    await feige.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
}
