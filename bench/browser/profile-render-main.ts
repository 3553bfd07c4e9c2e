// `node bench/browser/profile-render.mjs`: measures only the "last 50
// messages shown" row, for one or more builds of the PWA at once. Each
// `--checkout` gets its own `wrangler dev`, and the runs alternate between
// them, so that a before/after comparison runs under the same load on the machine.
// Prints every run, the medians per checkout, and optionally Chromium's CPU
// profile or a trace of the main thread between the click and the frame after.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildWeb, startFeige } from '../feige/server';
import { FeigeTarget } from '../targets/feige-target';
import { measureLastFifty, type LastFiftyFigures } from './last-fifty';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './measure';
import type { ProfileSummary } from './profiler';
import type { TraceSummary } from './trace-summary';

const ROOT = process.env.FEIGE_BENCH_ROOT ?? resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const DEFAULT_RUNS = 5;
const RUNS_MAX = 50;
const TIMEOUT_MS = 5 * 60_000;
/** Each other chat is a new user and an X3DH session, so a run with many takes long. */
const OTHER_CHATS_MAX = 200;

export const USAGE = `Usage: node bench/browser/profile-render.mjs [--runs N] [--other-chats N] [--profile | --trace] [--screenshots DIR] [--checkout DIR]...
  --runs N          runs per checkout (default ${DEFAULT_RUNS}, at most ${RUNS_MAX})
  --other-chats N   seed N more conversations of one message each first, so that the chat list has N more rows
                    (default 0, at most ${OTHER_CHATS_MAX})
  --profile         record Chromium's sampling CPU profile of each run (slows the page down)
  --trace           record a Chromium trace of each run and list the main thread's tasks, style and layout
  --screenshots DIR save a PNG of each run's opened chat in DIR (run-R-checkout-C.png), to compare builds
  --checkout DIR    build dist/web of this checkout and serve it with its Worker (with node_modules); repeat it to
                    compare builds, whose runs then alternate (default: this checkout)`;

interface Options {
  checkouts: string[];
  runs: number;
  otherChats: number;
  profile: boolean;
  trace: boolean;
  screenshots?: string;
}

function parseOptions(argv: string[]): Options {
  const checkouts: string[] = [];
  let runs = DEFAULT_RUNS;
  let otherChats = 0;
  let screenshots: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '--checkout') {
      const dir = argv[++i];
      if (dir === undefined) throw new UsageError('--checkout needs a directory.');
      checkouts.push(resolve(dir));
    } else if (flag === '--runs') {
      runs = wholeNumber(flag, argv[++i], 1, RUNS_MAX);
    } else if (flag === '--other-chats') {
      otherChats = wholeNumber(flag, argv[++i], 0, OTHER_CHATS_MAX);
    } else if (flag === '--screenshots') {
      screenshots = argv[++i];
      if (screenshots === undefined) throw new UsageError('--screenshots needs a directory.');
    } else if (flag !== '--profile' && flag !== '--trace') {
      throw new UsageError(`unknown option ${JSON.stringify(flag)}.`);
    }
  }
  return {
    checkouts: checkouts.length > 0 ? checkouts : [ROOT],
    runs,
    otherChats,
    profile: argv.includes('--profile'),
    trace: argv.includes('--trace'),
    screenshots: screenshots === undefined ? undefined : resolve(screenshots),
  };
}

/** Parses the value of `flag` as a whole number from `min` to `max`, or throws an error that names the value and the range. */
function wholeNumber(flag: string, text: string | undefined, min: number, max: number): number {
  if (text === undefined) throw new UsageError(`${flag} needs a value: an integer from ${min} to ${max}.`);

  const value = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new UsageError(`${flag} ${JSON.stringify(text)} is invalid: expected an integer from ${min} to ${max}.`);
  }
  return value;
}

/** A bad command line: main prints its message and the usage, with no stack trace. */
class UsageError extends Error {}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function printProfile(summary: ProfileSummary | undefined): void {
  if (!summary) return;
  process.stdout.write(`  ${summary.totalMs.toFixed(1)} ms sampled; most self time:\n`);
  for (const entry of summary.top) process.stdout.write(`    ${entry.ms.toFixed(1).padStart(8)} ms  ${entry.name}\n`);
  process.stdout.write('  most total time, callees included:\n');
  for (const entry of summary.topTotal) process.stdout.write(`    ${entry.ms.toFixed(1).padStart(8)} ms  ${entry.name}\n`);
}

function printTrace(summary: TraceSummary | undefined): void {
  if (!summary) return;
  process.stdout.write(`  main thread from the click to the frame after (${summary.windowMs.toFixed(1)} ms):\n`);
  for (const event of summary.events) {
    process.stdout.write(`    +${event.startMs.toFixed(1).padStart(6)} ms ${event.durationMs.toFixed(2).padStart(7)} ms  ${event.name}\n`);
  }
  process.stdout.write('  totals (nested events overlap their parents):\n');
  for (const [name, ms] of summary.totals) process.stdout.write(`    ${ms.toFixed(2).padStart(8)} ms  ${name}\n`);
  process.stdout.write('  JavaScript from the click to the 50th element, total time by function (sampled):\n');
  for (const [name, ms] of summary.functions) process.stdout.write(`    ${ms.toFixed(2).padStart(8)} ms  ${name}\n`);
}

export async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  let options: Options;
  try {
    options = parseOptions(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\n${USAGE}\n`);
    return 2;
  }
  const workDir = mkdtempSync(join(tmpdir(), 'feige-render-profile-'));
  const targets: FeigeTarget[] = [];
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, timeout: TIMEOUT_MS });
  try {
    for (const [index, checkout] of options.checkouts.entries()) {
      await buildWeb(checkout, join(workDir, `build-${index}.log`));
      targets.push(new FeigeTarget(await startFeige(checkout, mkdtempSync(join(workDir, `server-${index}-`)))));
    }

    const results: LastFiftyFigures[][] = options.checkouts.map(() => []);
    for (let run = 1; run <= options.runs; run++) {
      for (const [index, feige] of targets.entries()) {
        const screenshotPath = options.screenshots && join(options.screenshots, `run-${run}-checkout-${index + 1}.png`);
        const figures = await measureLastFifty(feige, browser, TIMEOUT_MS, options.profile, {
          trace: options.trace,
          screenshotPath,
          otherChats: options.otherChats,
        });
        if ('skipped' in figures) throw new Error(figures.skipped);
        results[index]!.push(figures);
        process.stdout.write(
          `run ${run} ${options.checkouts[index]}: 50th element ${figures.shownMs.toFixed(1)} ms, frame after ${figures.frameMs.toFixed(1)} ms, ` +
            `${figures.firstRenderMessages} messages in the first render\n`,
        );
        printProfile(figures.profile);
        printTrace(figures.trace);
      }
    }

    for (const [index, checkout] of options.checkouts.entries()) {
      const shown = median(results[index]!.map((figures) => figures.shownMs));
      const frame = median(results[index]!.map((figures) => figures.frameMs));
      const fewest = Math.min(...results[index]!.map((figures) => figures.firstRenderMessages));
      process.stdout.write(
        `median of ${options.runs} ${checkout}: 50th element ${shown.toFixed(1)} ms, frame after ${frame.toFixed(1)} ms; ` +
          `fewest messages in a first render ${fewest}\n`,
      );
    }
    return 0;
  } finally {
    await browser.close();
    for (const feige of targets) await feige.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
}
