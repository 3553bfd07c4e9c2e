// User-search bench (not a test). It seeds users into a fresh local D1 in
// stages (1,000, then 10,000, then 100,000 by default) and serves the Worker
// with `wrangler dev` after each stage. Then it times GET /api/v1/search/users
// for a fixed set of queries and prints a Markdown table of median and p95
// latencies. Search reads index ranges in order with a LIMIT, so the times
// should stay flat as the user count grows.
//
//   node bench/search.mjs [--stages 1000,10000,100000] [--repetitions 30]
//
// Everything runs on 127.0.0.1 in a temporary directory that is removed at
// the end. Seeded users go straight into D1 with SQL (the migration's
// triggers fill the search index, as for a real sign-up) because
// registering 100,000 accounts through PBKDF2 would take hours.

import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { freePort } from './system/host.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

const { values: options } = parseArgs({
  options: {
    stages: { type: 'string', default: '1000,10000,100000' },
    repetitions: { type: 'string', default: '30' },
  },
});
const STAGES = options.stages.split(',').map(Number);
const REPETITIONS = Number(options.repetitions);
const WARM_UP_REPETITIONS = 3;

/** Rows per INSERT statement and statements per SQL file handed to `wrangler d1 execute`. */
const ROWS_PER_INSERT = 500;
const INSERTS_PER_FILE = 20;

/** How long `wrangler dev` may take to respond to /api/v1/health before the bench gives up. */
const SERVER_START_TIMEOUT_MS = 90_000;

const SURNAMES = [...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤'];
const GIVEN = [...'伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕彬鹏辉建国文斌飞雪琳晶宇浩凯健俊帆帅旭宁龙林欣瑞博阳成志轩晨睿嘉怡子涵梓思雨心悦佳一诗可'];
const PINYIN = ['Wang', 'Li', 'Zhang', 'Liu', 'Chen', 'Yang', 'Huang', 'Zhao', 'Wu', 'Zhou', 'Xu', 'Sun', 'Ma', 'Zhu', 'Hu', 'Guo'];
const GIVEN_PINYIN = ['Wei', 'Fang', 'Na', 'Min', 'Jing', 'Li', 'Qiang', 'Lei', 'Jun', 'Yang', 'Yong', 'Yan', 'Jie', 'Tao', 'Ming', 'Chao'];

/** Queries timed at every stage; each row of the table. */
const QUERIES = [
  { label: 'one Chinese character (common surname)', q: '张' },
  { label: 'two Chinese characters', q: '张伟' },
  { label: 'three Chinese characters', q: '张伟明' },
  { label: 'Latin, 3 letters, many matches', q: 'ang' },
  { label: 'Latin, 2 letters, ignoring case', q: 'WE' },
  { label: 'username prefix, many matches', q: 'bench_u0' },
  { label: 'exact username', q: 'bench_u00042' },
  { label: 'no match', q: '鸽鸽鸽' },
];

/** Deterministic PRNG (mulberry32), so every run seeds the same names. */
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick(next, list) {
  return list[Math.floor(next() * list.length)];
}

/** Four in five names are Chinese (surname plus one or two characters); one in five is pinyin. */
function displayName(next) {
  if (next() < 0.2) return `${pick(next, PINYIN)} ${pick(next, GIVEN_PINYIN)}`;
  const given = next() < 0.5 ? pick(next, GIVEN) : pick(next, GIVEN) + pick(next, GIVEN);
  return pick(next, SURNAMES) + given;
}

function sqlText(value) {
  return `'${value.replace(/'/g, "''")}'`;
}

function seedSql(from, to) {
  const next = random(from + 1);
  const statements = [];
  for (let start = from; start < to; start += ROWS_PER_INSERT) {
    const rows = [];
    for (let n = start; n < Math.min(start + ROWS_PER_INSERT, to); n++) {
      const username = `bench_u${String(n).padStart(5, '0')}`;
      // The password fields hold placeholders: seeded users never sign in.
      rows.push(
        `(${sqlText(`bench-${n}`)}, ${sqlText(username)}, ${sqlText(username)}, ${sqlText(displayName(next))}, '', 'x', 'x', 1, ${n})`,
      );
    }
    statements.push(
      'INSERT INTO users (id, username, username_key, display_name, bio, password_hash, password_salt, password_iterations, created_at) VALUES\n' +
        `${rows.join(',\n')};`,
    );
  }
  return statements;
}

const quietEnv = { ...process.env, CI: 'true', WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' };

function wrangler(args) {
  const result = spawnSync('npx', ['wrangler', ...args], { cwd: root, env: quietEnv, encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`wrangler ${args.join(' ')} failed with exit code ${result.status}:\n${result.stderr}${result.stdout}`);
  }
}

function seed(persistDir, workDir, from, to) {
  const statements = seedSql(from, to);
  for (let i = 0; i < statements.length; i += INSERTS_PER_FILE) {
    const file = join(workDir, `seed-${from}-${i}.sql`);
    writeFileSync(file, statements.slice(i, i + INSERTS_PER_FILE).join('\n'));
    wrangler(['d1', 'execute', 'DB', '--local', '--persist-to', persistDir, '--file', file, '--yes']);
    rmSync(file);
  }
}

async function startServer(persistDir) {
  const port = await freePort();
  const child = spawn(
    'npx',
    ['wrangler', 'dev', '--ip', '127.0.0.1', '--port', String(port), '--persist-to', persistDir, '--log-level', 'warn'],
    { cwd: root, env: quietEnv, stdio: ['ignore', 'ignore', 'inherit'], detached: true },
  );
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
  throw new Error(`wrangler dev did not respond to ${origin}/api/v1/health within ${SERVER_START_TIMEOUT_MS} ms; see its output above`);
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

async function registerViewer(origin) {
  const response = await fetch(`${origin}/api/v1/accounts`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: 'bench_viewer', password: 'bench password 1', displayName: 'Bench viewer' }),
  });
  if (response.status !== 201) throw new Error(`registering the viewer returned ${response.status}: ${await response.text()}`);
  return (await response.json()).token;
}

async function signInViewer(origin) {
  const response = await fetch(`${origin}/api/v1/sessions`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: 'bench_viewer', password: 'bench password 1' }),
  });
  if (response.status !== 201) throw new Error(`signing the viewer in returned ${response.status}: ${await response.text()}`);
  return (await response.json()).token;
}

async function timeQuery(origin, token, q) {
  const url = `${origin}/api/v1/search/users?q=${encodeURIComponent(q)}&limit=20`;
  const times = [];
  let hits = 0;
  for (let i = 0; i < WARM_UP_REPETITIONS + REPETITIONS; i++) {
    const started = performance.now();
    const response = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
    const body = await response.json();
    const elapsed = performance.now() - started;
    if (response.status !== 200) throw new Error(`search ${JSON.stringify(q)} returned ${response.status}: ${JSON.stringify(body)}`);
    if (i >= WARM_UP_REPETITIONS) times.push(elapsed);
    hits = body.users.length;
  }
  times.sort((a, b) => a - b);
  const at = (fraction) => times[Math.min(times.length - 1, Math.floor(fraction * times.length))];
  return { median: at(0.5), p95: at(0.95), hits };
}

async function main() {
  const workDir = mkdtempSync(join(tmpdir(), 'feige-search-bench-'));
  const persistDir = join(workDir, 'state');
  mkdirSync(join(root, 'dist/web'), { recursive: true });
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
    console.error(`[bench:search] applying migrations in ${persistDir}`);
    wrangler(['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', persistDir]);

    const results = new Map();
    let seeded = 0;
    let token;
    for (const stage of STAGES) {
      console.error(`[bench:search] seeding users ${seeded} to ${stage}`);
      seed(persistDir, workDir, seeded, stage);
      seeded = stage;

      server = await startServer(persistDir);
      token = token === undefined ? await registerViewer(server.origin) : await signInViewer(server.origin);
      for (const query of QUERIES) {
        results.set(`${query.q}@${stage}`, await timeQuery(server.origin, token, query.q));
      }
      server.stop();
      server = undefined;
    }

    printTable(results);
  } finally {
    stop();
  }
}

function printTable(results) {
  const format = (ms) => ms.toFixed(1);
  const header = ['query', 'q', ...STAGES.map((stage) => `${stage.toLocaleString('en')} users: median / p95 ms (hits)`)];
  console.log(`| ${header.join(' | ')} |`);
  console.log(`| ${header.map(() => '---').join(' | ')} |`);
  for (const query of QUERIES) {
    const cells = STAGES.map((stage) => {
      const result = results.get(`${query.q}@${stage}`);
      return `${format(result.median)} / ${format(result.p95)} (${result.hits})`;
    });
    console.log(`| ${query.label} | \`${query.q}\` | ${cells.join(' | ')} |`);
  }
  console.log(
    `\nGET /api/v1/search/users?limit=20 through \`wrangler dev\` on 127.0.0.1, ${REPETITIONS} timed requests per cell after ${WARM_UP_REPETITIONS} warm-up requests.`,
  );
}

await main();
