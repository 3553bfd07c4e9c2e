// Group fan-out bench (not a test): time from one group message's send to its
// first and to its last online receiver, in both delivery modes.
//
//   inbox: GroupDO writes each message into every member's inbox (one UserDO
//          call per member, batched by the group's alarm); each member is
//          online on its own /ws socket and gets the inbox event.
//   pull:  GroupDO stores the message once and pushes one `group.entry` to
//          every group socket (GET /api/v1/groups/:id/socket) it accepted.
//          It makes no call to any member's object.
//
//   node bench/group-fanout.mjs [--sizes 100,1000,10000] [--messages 7] [--modes inbox,pull] [--phase-timeout-ms 600000] [--direct]
//                               [--profile-dir DIR]
//
// `--direct` opens the sockets on the workerd process that runs the Worker
// instead of on wrangler's dev proxy. The proxy is a second workerd process
// that exists only under `wrangler dev`, and it takes about 6 file
// descriptors per open socket, so it runs out at about 3,300 sockets under an
// open-file limit of 20,000.
//
// `--sizes` counts online receivers. A group has at most GROUP_MEMBERS_MAX
// (2,000) members. So for a larger size `pull` mode opens several group
// sockets per member, as a member with several devices does, and `inbox` mode
// skips the size.
//
// `--profile-dir` takes CPU profiles of the timed messages of each row, with
// a sampling interval of 100 µs. One is of the workerd isolate that runs the
// Worker and GroupDO, taken over the inspector port of `wrangler dev`. The
// other is of this Node process, which receives every frame. Both go to DIR
// as .cpuprofile files, and the functions with the most self time are
// printed. The profilers slow both processes, so rows measured with them are
// not figures.
// NOTE: in two runs with 1,000 and 10,000 sockets the inspector proxy of
// wrangler 4.86 replied to no command (30 s timeout), although it replied on
// an idle server, so the workerd profile is unproven under bench load.
//
// The script seeds users and sessions straight into a fresh local D1. For each
// mode it serves a copy of the Worker with `wrangler dev` on 127.0.0.1, where
// the GROUP_FANOUT_THRESHOLD var forces the mode. It builds each group through
// the HTTP API and waits until a warm-up message reached every receiver. Then
// it sends `--messages` texts one after another from the owner. Every phase is
// bounded by `--phase-timeout-ms`, and temporary files are removed at the end.

import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { directOrigin, seedDatabase, snapshotSources, startServer, tokenOf, userIdOf } from './feige/group-bench-server.mjs';
import { saveProfile, startNodeProfile, startWorkerProfile } from './feige/group-profile.mjs';
import { freePort } from './system/host.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

const { values: options } = parseArgs({
  options: {
    sizes: { type: 'string', default: '100,1000,10000' },
    messages: { type: 'string', default: '7' },
    modes: { type: 'string', default: 'inbox,pull' },
    'phase-timeout-ms': { type: 'string', default: '600000' },
    direct: { type: 'boolean', default: false },
    'profile-dir': { type: 'string' },
  },
});
const SIZES = options.sizes.split(',').map(Number);
const MESSAGES = Number(options.messages);
const PHASE_TIMEOUT_MS = Number(options['phase-timeout-ms']);
const PROFILE_DIR = options['profile-dir'];
const MODES = [
  { name: 'inbox', threshold: '1000000' },
  { name: 'pull', threshold: '0' },
].filter((mode) => options.modes.split(',').includes(mode.name));

/** GROUP_MEMBERS_MAX in protocol/limits.ts. */
const GROUP_MEMBERS_MAX = 2_000;
const INVITE_CONCURRENCY = 8;
const CONNECT_CONCURRENCY = 32;

const log = (message) => process.stderr.write(`[bench:group-fanout] ${message}\n`);

/** Rejects with a message naming `what` when `promise` takes longer than PHASE_TIMEOUT_MS. */
function bounded(promise, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${PHASE_TIMEOUT_MS} ms`)), PHASE_TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}


async function api(origin, token, method, path, body) {
  const response = await fetch(`${origin}/api/v1${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status >= 300) throw new Error(`${method} ${path} returned ${response.status}: ${text}`);
  return text ? JSON.parse(text) : undefined;
}

async function mapConcurrent(items, concurrency, work) {
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}

/** Opens a socket and resolves after its welcome frame. `onData` receives every later frame as a Buffer. */
function openSocket(url, token, welcomeType, onData) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, ['feige.v1', `bearer.${token}`], { perMessageDeflate: false });
    ws.once('error', reject);
    ws.once('close', (code) => reject(new Error(`${url} closed with ${code} before ${welcomeType}`)));
    ws.once('message', (data) => {
      const frame = JSON.parse(String(data));
      if (frame.type !== welcomeType) return reject(new Error(`${url} sent ${String(data).slice(0, 200)} instead of ${welcomeType}`));
      ws.removeAllListeners('close');
      ws.on('message', onData);
      resolve(ws);
    });
  });
}

/** Creates a group of `memberCount` users from user number `first`, the first one the owner. */
async function makeGroup(origin, first, memberCount) {
  const owner = tokenOf(first);
  const group = await api(origin, owner, 'POST', '/groups', { name: `bench ${memberCount}`, memberLimit: Math.max(memberCount, 2), joinPolicy: 'invite_only' });
  const invitees = Array.from({ length: memberCount - 1 }, (_, i) => userIdOf(first + 1 + i));
  await mapConcurrent(invitees, INVITE_CONCURRENCY, (userId) => api(origin, owner, 'POST', `/groups/${group.id}/invitations`, { userId }));
  return group;
}

/** Opens `size` receiver sockets spread over members first+1 … first+memberCount-1; `onFrame(index, data)` gets each frame. */
async function openReceivers(origin, group, first, memberCount, size, onFrame) {
  const wsOrigin = origin.replace('http', 'ws');
  const members = memberCount - 1;
  const slots = Array.from({ length: size }, (_, i) => first + 1 + (i % members));
  let opened = 0;
  return mapConcurrent(slots, CONNECT_CONCURRENCY, async (user, index) => {
    const onData = (data) => onFrame(index, data);
    const url = group.delivery === 'pull' ? `${wsOrigin}/api/v1/groups/${group.id}/socket` : `${wsOrigin}/ws`;
    try {
      const ws = await openSocket(url, tokenOf(user), group.delivery === 'pull' ? 'group.welcome' : 'welcome', onData);
      opened++;
      if (opened % 1000 === 0) log(`${opened} of ${size} receiver sockets open`);
      return ws;
    } catch (error) {
      throw new Error(`receiver socket ${index + 1} of ${size} failed with ${opened} open: ${error.message}`);
    }
  });
}

async function measure(server, first, size, mode) {
  const origin = server.origin;
  const memberCount = Math.min(size + 1, GROUP_MEMBERS_MAX);
  const group = await bounded(makeGroup(origin, first, memberCount), `building a group of ${memberCount}`);
  if (group.delivery !== mode) throw new Error(`the group got ${group.delivery} delivery, not ${mode}`);

  let current;
  const receivers = await bounded(
    openReceivers(origin, group, first, memberCount, size, (index, data) => {
      if (!current || !isCurrentMessage(current, data)) return;
      if (current.receivedBy[index] === 1) current.duplicates++;
      current.receivedBy[index] = 1;
      current.count++;
      const now = performance.now();
      current.first ??= now;
      if (current.count === size) current.done(now);
    }),
    `opening ${size} receiver sockets`,
  );
  // A failed row still closes its sockets, so the next row starts with its file descriptors free.
  let sender;
  const rows = [];
  try {
    const acks = new Map();
    sender = await openSocket(`${origin.replace('http', 'ws')}/ws`, tokenOf(first), 'welcome', (text) => {
      const frame = JSON.parse(text);
      if (frame.type === 'group.ack' || frame.type === 'error') acks.get(frame.cid)?.(frame);
    });

    /** Sends one message; resolves once it reached every receiver and its ack is back, in either order. */
    const send = (cid) =>
      new Promise((resolve, reject) => {
        const run = {
          cid,
          started: performance.now(),
          count: 0,
          duplicates: 0,
          receivedBy: new Uint8Array(size),
          frame: undefined,
          first: undefined,
          last: undefined,
          ack: undefined,
        };
        const settle = () => {
          if (run.last !== undefined && run.ack !== undefined) resolve(run);
        };
        run.done = (at) => {
          run.last = at;
          settle();
        };
        acks.set(cid, (frame) => {
          if (frame.type === 'error') return reject(new Error(`send failed: ${frame.code} ${frame.message}`));
          run.ack = performance.now();
          settle();
        });
        current = run;
        sender.send(JSON.stringify({ type: 'group.send', cid, groupId: group.id, content: contentFor(group, cid) }));
      });

    // The warm-up drains what the joins left queued (in `inbox` mode, every join fans out to every member).
    await bounded(send(`bench-${mode}-${size}-warmup`), `the warm-up message to ${size} receivers`);
    const profiles = PROFILE_DIR ? await startProfiles(server.inspectorPort) : undefined;
    for (let i = 0; i < MESSAGES; i++) {
      const run = await bounded(send(`bench-${mode}-${size}-${i}`), `message ${i} to ${size} receivers`);
      if (run.duplicates > 0) throw new Error(`${run.duplicates} receivers got message ${i} twice`);
      rows.push({ ack: run.ack - run.started, first: run.first - run.started, last: run.last - run.started });
    }
    if (profiles) await saveProfiles(profiles, `${mode}-${size}`);
  } finally {
    sender?.close();
    for (const ws of receivers) ws.terminate();
  }
  return { memberCount, ack: median(rows.map((r) => r.ack)), first: median(rows.map((r) => r.first)), last: median(rows.map((r) => r.last)) };
}

/**
 * Returns whether `data` carries the message of `run`. A group socket gets
 * the same bytes on every socket, so the first frame that parses as the
 * message is kept and later ones are compared byte for byte, which keeps the
 * Node side of a 10,000-socket run cheap. /ws frames differ per member and
 * are each parsed.
 */
function isCurrentMessage(run, data) {
  if (run.frame?.equals(data)) return true;

  const message = parseMessage(data);
  if (message?.cid !== run.cid) return false;
  if (!run.frame && message.sameOnEverySocket) run.frame = data;
  return true;
}

/** Reads the cid of a `group.entry` message frame or a `group.message` inbox event; undefined for other frames. */
function parseMessage(data) {
  let frame;
  try {
    frame = JSON.parse(String(data));
  } catch {
    return undefined;
  }
  if (frame.type === 'group.entry' && frame.entry?.kind === 'message') return { cid: frame.entry.message?.cid, sameOnEverySocket: true };
  if (frame.type === 'event' && frame.event?.kind === 'group.message') return { cid: frame.event.message?.cid, sameOnEverySocket: false };
  return undefined;
}

async function startProfiles(inspectorPort) {
  return { worker: await startWorkerProfile(inspectorPort), node: await startNodeProfile() };
}

/** Writes both profiles of one row to PROFILE_DIR and logs their summaries. */
async function saveProfiles(profiles, row) {
  const node = await profiles.node.stop();
  const worker = await profiles.worker.stop();
  for (const [name, profile] of [['workerd', worker], ['node', node]]) {
    const path = join(PROFILE_DIR, `${row}-${name}.cpuprofile`);
    log(`${name} profile of ${row} in ${path}, self time:\n  ${saveProfile(profile, path).join('\n  ')}`);
  }
}

/**
 * Groups up to GROUP_E2E_MEMBERS_MAX take only sender-key ciphertext, which
 * the edge stores and forwards without reading. Random bytes of the size of a
 * short encrypted text stand in for it. Larger groups take text.
 */
function contentFor(group, cid) {
  if (group.encryption !== 'end_to_end') return { type: 'text', text: cid };
  return { type: 'group_e2e', senderDevice: 'bench-device', keyId: 0, iteration: 0, ciphertext: randomBytes(96).toString('base64url') };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function plan() {
  const runs = [];
  let first = 0;
  for (const mode of MODES) {
    for (const size of SIZES) {
      if (mode.name === 'inbox' && size + 1 > GROUP_MEMBERS_MAX) continue;
      runs.push({ mode, size, first });
      first += Math.min(size + 1, GROUP_MEMBERS_MAX);
    }
  }
  return { runs, userCount: first };
}

async function main() {
  const workDir = mkdtempSync(join(tmpdir(), 'feige-group-bench-'));
  if (PROFILE_DIR) mkdirSync(PROFILE_DIR, { recursive: true });
  const sources = join(workDir, 'src');
  const persistDir = join(workDir, 'state');
  snapshotSources(root, sources);
  const { runs, userCount } = plan();
  let server;
  const stop = () => {
    server?.stop();
    rmSync(workDir, { recursive: true, force: true });
  };
  process.on('SIGINT', () => {
    stop();
    process.exit(130);
  });

  const startLoad = loadavg().map((value) => value.toFixed(2)).join(', ');
  const rows = [];
  try {
    log(`seeding ${userCount} users in ${persistDir}`);
    seedDatabase(sources, persistDir, workDir, userCount);

    for (const mode of MODES) {
      const inspectorPort = PROFILE_DIR ? await freePort() : undefined;
      server = { ...(await startServer(sources, persistDir, mode.threshold, inspectorPort)), inspectorPort };
      if (options.direct) {
        server.origin = await directOrigin(persistDir);
        log(`sockets and requests go straight to ${server.origin}`);
      }
      for (const run of runs.filter((candidate) => candidate.mode === mode)) {
        log(`${mode.name}, ${run.size} receivers`);
        try {
          rows.push({ size: run.size, mode: mode.name, ...(await measure(server, run.first, run.size, mode.name)) });
        } catch (error) {
          log(`${mode.name}, ${run.size} receivers failed: ${error.message}`);
          rows.push({ size: run.size, mode: mode.name, failure: error.message });
        }
      }
      server.stop();
      server = undefined;
    }
  } finally {
    stop();
  }
  printTable(rows, startLoad);
}

function printTable(rows, startLoad) {
  const cell = (value) => (value === undefined ? '—' : value.toFixed(1));
  console.log(`Machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB; ` +
    `load average ${startLoad} at the start, ${loadavg().map((value) => value.toFixed(2)).join(', ')} at the end.\n`);
  console.log('| online receivers | members | delivery | per-member calls per message | send → ack, median ms | send → first receiver, median ms | send → last receiver, median ms |');
  console.log('| ---: | ---: | --- | ---: | ---: | ---: | ---: |');
  for (const row of rows) {
    const calls = row.mode === 'inbox' ? `${row.size + 1} (batched)` : '0';
    if (row.failure) console.log(`| ${row.size} | — | ${row.mode} | ${calls} | failed: ${row.failure} | | |`);
    else console.log(`| ${row.size} | ${row.memberCount} | ${row.mode} | ${calls} | ${cell(row.ack)} | ${cell(row.first)} | ${cell(row.last)} |`);
  }
  const path = options.direct ? 'straight to the workerd of `wrangler dev`, past its proxy' : 'through `wrangler dev`';
  console.log(`\nMedian of ${MESSAGES} messages per row, sent one after another from the owner, ${path} on 127.0.0.1.`);
}

await main();
