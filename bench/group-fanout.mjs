// Group fan-out bench (not a test): measures both delivery modes of group
// messages at several group sizes and prints a Markdown table.
//
//   inbox: GroupDO writes each message into every member's inbox (one UserDO
//          call per member, batched by the group's alarm) and members get it live.
//   pull:  GroupDO stores the message once and makes no per-member call;
//          a member reads it with `group.sync`.
//
//   node bench/group-fanout.mjs [--sizes 10,50,100,200,400] [--messages 20] [--modes inbox,pull]
//
// For each mode the script serves the Worker with `wrangler dev` on 127.0.0.1
// (the GROUP_FANOUT_THRESHOLD var forces the mode), creates one group per
// size, sends `--messages` texts one after another from the owner, and times
// (a) send to `group.ack` and (b) send to the moment the most recently joined
// member has the message: the live inbox event in `inbox` mode, the
// `group.sync` answer that contains it in `pull` mode. Users and sessions go
// straight into a fresh local D1, in a temporary directory removed at the end.

import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';

const root = fileURLToPath(new URL('..', import.meta.url));

const { values: options } = parseArgs({
  options: {
    sizes: { type: 'string', default: '10,50,100,200,400' },
    messages: { type: 'string', default: '20' },
    modes: { type: 'string', default: 'inbox,pull' },
  },
});
const SIZES = options.sizes.split(',').map(Number);
const MESSAGES = Number(options.messages);
const MODES = [
  { name: 'inbox', threshold: '1000000' },
  { name: 'pull', threshold: '0' },
].filter((mode) => options.modes.split(',').includes(mode.name));

/** How long `wrangler dev` may take to answer /api/v1/health, and one frame may take to arrive. */
const SERVER_START_TIMEOUT_MS = 90_000;
const FRAME_TIMEOUT_MS = 60_000;
const INVITE_CONCURRENCY = 8;

const quietEnv = { ...process.env, CI: 'true', WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' };

function sqlText(value) {
  return `'${value.replace(/'/g, "''")}'`;
}

function tokenOf(n) {
  return `bench-group-token-${n}`;
}

function tokenHash(token) {
  return createHash('sha256').update(token).digest('base64url');
}

/** Users and one desktop session each; the password fields hold placeholders because seeded users never sign in. */
function seedSql(count) {
  const now = Date.now();
  const statements = [];
  for (let start = 0; start < count; start += 500) {
    const users = [];
    const sessions = [];
    for (let n = start; n < Math.min(start + 500, count); n++) {
      const id = `bench-g-${n}`;
      users.push(`(${sqlText(id)}, 'bg_${n}', 'bg_${n}', 'Bench ${n}', '', 'x', 'x', 1, ${now})`);
      sessions.push(`('bench-s-${n}', ${sqlText(id)}, ${sqlText(tokenHash(tokenOf(n)))}, 'desktop', 'bench', ${now}, ${now})`);
    }
    statements.push(
      `INSERT INTO users (id, username, username_key, display_name, bio, password_hash, password_salt, password_iterations, created_at) VALUES\n${users.join(',\n')};`,
      `INSERT INTO sessions (id, user_id, token_hash, device_class, user_agent, created_at, last_seen_at) VALUES\n${sessions.join(',\n')};`,
    );
  }
  return statements.join('\n');
}

function wrangler(args) {
  const result = spawnSync('npx', ['wrangler', ...args], { cwd: root, env: quietEnv, encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`wrangler ${args.join(' ')} failed with exit code ${result.status}:\n${result.stderr}${result.stdout}`);
  }
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function startServer(persistDir, threshold) {
  const port = await freePort();
  const args = ['wrangler', 'dev', '--ip', '127.0.0.1', '--port', String(port), '--persist-to', persistDir, '--log-level', process.env.BENCH_LOG_LEVEL ?? 'warn'];
  args.push('--var', `GROUP_FANOUT_THRESHOLD:${threshold}`, '--var', 'LOG_LEVEL:warn');
  const child = spawn('npx', args, { cwd: root, env: quietEnv, stdio: ['ignore', 'ignore', 'inherit'], detached: true });
  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + SERVER_START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited with code ${child.exitCode}`);
    try {
      const response = await fetch(`${origin}/api/v1/health`);
      if (response.ok) return { origin, stop: () => stopServer(child) };
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  stopServer(child);
  throw new Error(`wrangler dev did not answer ${origin}/api/v1/health within ${SERVER_START_TIMEOUT_MS} ms`);
}

/** Stops `wrangler dev` and the workerd it started: both are in the child's process group. */
function stopServer(child) {
  if (child.exitCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    // Already gone.
  }
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

/** A socket that queues frames; `next(match)` returns the first queued or arriving frame that matches. */
async function openSocket(origin, token) {
  const ws = new WebSocket(`${origin.replace('http', 'ws')}/ws`, ['feige.v1', `bearer.${token}`]);
  const frames = [];
  let wake = () => {};
  ws.on('message', (data) => {
    frames.push(JSON.parse(data.toString()));
    wake();
  });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });

  async function next(match) {
    const deadline = Date.now() + FRAME_TIMEOUT_MS;
    for (;;) {
      const index = frames.findIndex(match);
      if (index >= 0) return frames.splice(index, 1)[0];
      if (Date.now() > deadline) throw new Error('no matching frame arrived in time');
      await new Promise((resolve) => {
        wake = resolve;
        setTimeout(resolve, 200);
      });
    }
  }
  await next((frame) => frame.type === 'welcome');
  return { send: (frame) => ws.send(JSON.stringify(frame)), next, close: () => ws.close() };
}

/** Creates a group of `size` members from users [first, first + size) and waits until the joins have fanned out. */
async function makeGroup(origin, first, size) {
  const owner = tokenOf(first);
  const group = await api(origin, owner, 'POST', '/groups', { name: `bench ${size}`, memberLimit: Math.max(size, 2), joinPolicy: 'invite_only' });
  const invitees = Array.from({ length: size - 1 }, (_, i) => `bench-g-${first + 1 + i}`);
  for (let i = 0; i < invitees.length; i += INVITE_CONCURRENCY) {
    const batch = invitees.slice(i, i + INVITE_CONCURRENCY);
    await Promise.all(batch.map((userId) => api(origin, owner, 'POST', `/groups/${group.id}/invitations`, { userId })));
  }
  return { group, owner, observer: tokenOf(first + size - 1) };
}

/** Waits until the owner's inbox contains the observer's `joined` change, which the fan-out delivers last. */
async function settle(origin, owner, groupId, observerId, delivery) {
  if (delivery === 'pull') return;
  const socket = await openSocket(origin, owner);
  for (let after = 0; ; ) {
    socket.send({ type: 'sync', after });
    const page = await socket.next((frame) => frame.type === 'sync.page');
    const done = page.events.some((e) => e.kind === 'group' && e.groupId === groupId && e.change.type === 'joined' && e.change.userId === observerId);
    if (done) break;
    after = page.events.at(-1)?.seq ?? after;
    if (!page.hasMore) await new Promise((resolve) => setTimeout(resolve, 200));
  }
  socket.close();
}

async function measure(origin, first, size, mode) {
  const { group, owner, observer } = await makeGroup(origin, first, size);
  await settle(origin, owner, group.id, `bench-g-${first + size - 1}`, group.delivery);
  const sender = await openSocket(origin, owner);
  const reader = await openSocket(origin, observer);

  const acks = [];
  const deliveries = [];
  for (let i = 0; i < MESSAGES; i++) {
    const cid = `bench-${size}-${mode}-${i}`;
    const started = performance.now();
    sender.send({ type: 'group.send', cid, groupId: group.id, content: { type: 'text', text: `message ${i}` } });
    const ack = await sender.next((frame) => (frame.type === 'group.ack' || frame.type === 'error') && frame.cid === cid);
    if (ack.type === 'error') throw new Error(`send failed: ${ack.code} ${ack.message}`);
    acks.push(performance.now() - started);

    if (group.delivery === 'inbox') {
      await reader.next((frame) => frame.type === 'event' && frame.event.kind === 'group.message' && frame.event.message.cid === cid);
    } else {
      reader.send({ type: 'group.sync', groupId: group.id, after: ack.groupSeq - 1 });
      await reader.next((frame) => frame.type === 'group.page' && frame.entries.some((e) => e.kind === 'message' && e.message.cid === cid));
    }
    deliveries.push(performance.now() - started);
  }
  sender.close();
  reader.close();
  return { delivery: group.delivery, ack: median(acks), delivered: median(deliveries) };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function main() {
  const workDir = mkdtempSync(join(tmpdir(), 'feige-group-bench-'));
  const persistDir = join(workDir, 'state');
  mkdirSync(join(root, 'dist/web'), { recursive: true });
  const userCount = SIZES.reduce((sum, size) => sum + size, 0) * MODES.length;
  let server;
  const stop = () => {
    server?.stop();
    rmSync(workDir, { recursive: true, force: true });
  };
  process.on('SIGINT', () => {
    stop();
    process.exit(130);
  });

  try {
    console.error(`[bench:group-fanout] seeding ${userCount} users in ${persistDir}`);
    wrangler(['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', persistDir]);
    const seedFile = join(workDir, 'seed.sql');
    writeFileSync(seedFile, seedSql(userCount));
    wrangler(['d1', 'execute', 'DB', '--local', '--persist-to', persistDir, '--file', seedFile, '--yes']);

    const rows = [];
    let first = 0;
    for (const mode of MODES) {
      server = await startServer(persistDir, mode.threshold);
      for (const size of SIZES) {
        console.error(`[bench:group-fanout] ${mode.name}, ${size} members`);
        rows.push({ size, mode: mode.name, ...(await measure(server.origin, first, size, mode.name)) });
        first += size;
      }
      server.stop();
      server = undefined;
    }
    printTable(rows);
  } finally {
    stop();
  }
}

function printTable(rows) {
  console.log('| members | delivery | UserDO calls per message | send → ack, median ms | send → last member has it, median ms |');
  console.log('| --- | --- | --- | --- | --- |');
  for (const row of rows) {
    const calls = row.delivery === 'inbox' ? `${row.size} (batched)` : '0';
    console.log(`| ${row.size} | ${row.delivery} | ${calls} | ${row.ack.toFixed(1)} | ${row.delivered.toFixed(1)} |`);
  }
  console.log(
    `\n${MESSAGES} messages per row, sent one after another from the owner, through \`wrangler dev\` on 127.0.0.1. ` +
      '"Last member" is the most recently joined member: the end of the fan-out order in `inbox` mode; in `pull` mode it reads with one `group.sync` after the ack.',
  );
}

await main();
