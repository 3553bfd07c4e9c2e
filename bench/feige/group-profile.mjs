// CPU profiles for bench/group-fanout.mjs: one of the workerd isolate that
// runs the Worker and its Durable Objects, taken over the DevTools protocol
// from the inspector port of `wrangler dev`, and one of the bench's own Node
// process, taken with node:inspector. Each is written as a .cpuprofile file
// (Chrome DevTools opens it) and summarized as self time per function.

import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import WebSocket from 'ws';

/** Sampling interval of both profilers, in microseconds. */
const SAMPLING_INTERVAL_US = 100;
const CDP_TIMEOUT_MS = 30_000;

/** Connects to the first target that `wrangler dev --inspector-port` lists and starts its profiler. */
export async function startWorkerProfile(inspectorPort) {
  const targets = await (await fetch(`http://127.0.0.1:${inspectorPort}/json`)).json();
  const url = targets[0]?.webSocketDebuggerUrl;
  if (!url) throw new Error(`the inspector on port ${inspectorPort} lists no target: ${JSON.stringify(targets).slice(0, 300)}`);

  const cdp = await connectCdp(url);
  // On an idle `wrangler dev` 4.86 the inspector proxy replied to the Profiler
  // commands once Runtime.enable had come first.
  // NOTE: with 1,000 or more bench sockets open it replied to no command within CDP_TIMEOUT_MS.
  await cdp.call('Runtime.enable');
  await cdp.call('Profiler.enable');
  await cdp.call('Profiler.setSamplingInterval', { interval: SAMPLING_INTERVAL_US });
  await cdp.call('Profiler.start');
  return {
    async stop() {
      const { profile } = await cdp.call('Profiler.stop');
      cdp.close();
      return profile;
    },
  };
}

/** Starts the profiler of this Node process. */
export async function startNodeProfile() {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: SAMPLING_INTERVAL_US });
  await session.post('Profiler.start');
  return {
    async stop() {
      const { profile } = await session.post('Profiler.stop');
      session.disconnect();
      return profile;
    },
  };
}

/** Writes `profile` to `path` and returns the `top` functions by self time, as text lines. */
export function saveProfile(profile, path, top = 15) {
  writeFileSync(path, JSON.stringify(profile));
  return summarizeProfile(profile, top);
}

/**
 * Sums self time per function (name, file, line) from the samples. Sample
 * `i` lasts `timeDeltas[i + 1]` microseconds, the V8 convention.
 */
export function summarizeProfile(profile, top) {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map();
  let totalUs = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const duration = profile.timeDeltas[i + 1] ?? 0;
    const frame = nodes.get(profile.samples[i]).callFrame;
    const key = `${frame.functionName || '(anonymous)'} ${shortUrl(frame.url)}:${frame.lineNumber + 1}`;
    selfUs.set(key, (selfUs.get(key) ?? 0) + duration);
    totalUs += duration;
  }

  const rows = [...selfUs.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
  const lines = [`total ${(totalUs / 1000).toFixed(1)} ms sampled`];
  for (const [key, us] of rows) lines.push(`${(us / 1000).toFixed(1).padStart(9)} ms ${((100 * us) / totalUs).toFixed(1).padStart(5)}%  ${key}`);
  return lines;
}

function shortUrl(url) {
  return url.split('/').slice(-2).join('/');
}

/** Opens a DevTools protocol connection; `call` sends one command and resolves with its result. */
function connectCdp(url) {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { perMessageDeflate: false, maxPayload: 1 << 30 });
    const pending = new Map();
    let nextId = 1;
    socket.once('error', reject);
    socket.on('message', (data) => {
      const reply = JSON.parse(String(data));
      const waiter = pending.get(reply.id);
      if (!waiter) return;
      pending.delete(reply.id);
      if (reply.error) waiter.reject(new Error(`${waiter.method} failed: ${reply.error.message}`));
      else waiter.resolve(reply.result);
    });
    socket.once('open', () =>
      resolve({
        call: (method, params = {}) =>
          new Promise((resolveCall, rejectCall) => {
            const id = nextId++;
            const timer = setTimeout(() => rejectCall(new Error(`${method} got no reply within ${CDP_TIMEOUT_MS} ms`)), CDP_TIMEOUT_MS);
            pending.set(id, {
              method,
              resolve: (result) => (clearTimeout(timer), resolveCall(result)),
              reject: (error) => (clearTimeout(timer), rejectCall(error)),
            });
            socket.send(JSON.stringify({ id, method, params }));
          }),
        close: () => socket.close(),
      }),
    );
  });
}
