// The rows of the results table and the setup lines of its header, from the
// bench settings.

import type { BenchConfig } from '../config';
import { FeigeTarget } from '../targets/feige-target';
import type { Target } from '../targets/target';
import { fanOutMembers } from '../workloads/fan-out';
import { IDLE_EVICTION_MAX_MS, idleUsers } from '../workloads/reconnect';
import type { Results } from './table';

/** Returns the header lines that state how the bench reached Feige and how its large groups were built. */
export function describeSetup(config: BenchConfig, targets: Target[]): string[] {
  const feige = targets.find((target) => target instanceof FeigeTarget);
  if (!feige) return [];

  const lines = [
    feige.path === 'direct'
      ? "Feige clients (HTTP and sockets) connected straight to the workerd process that runs the Worker, past `wrangler dev`'s proxy, as production has no such proxy"
      : "Feige clients (HTTP and sockets) connected through `wrangler dev`'s proxy (--feige-via-proxy)",
  ];
  const split = config.fanoutSizes.filter((size) => fanOutMembers(feige, size) < size + 1);
  if (split.length > 0) {
    const members = fanOutMembers(feige, Math.max(...split));
    lines.push(
      `Feige groups hold at most ${members.toLocaleString('en-US')} members, so its fan-out to ${split.join(', ')} opens several group sockets per member, as members with several devices have`,
    );
  }
  return lines;
}

export function declareRows(config: BenchConfig, results: Results): void {
  results.row({ id: 'latency.p50', label: '1:1 latency p50', unit: 'ms', better: 'lower' });
  results.row({ id: 'latency.p99', label: '1:1 latency p99', unit: 'ms', better: 'lower' });
  results.row({ id: 'latency.p999', label: '1:1 latency p99.9', unit: 'ms', better: 'lower' });
  for (const pairs of config.throughputPairs) {
    results.row({ id: `throughput.${pairs}.rate`, label: `1:1 throughput, ${pairs} pairs`, unit: 'msg/s', better: 'higher' });
    results.row({ id: `throughput.${pairs}.p99`, label: `1:1 latency p99 under that load, ${pairs} pairs`, unit: 'ms', better: 'lower' });
    results.row({ id: `throughput.${pairs}.cpu`, label: `server CPU per message in that run, ${pairs} pairs`, unit: 'µs', better: 'lower' });
    results.row({ id: `throughput.${pairs}.thread`, label: `busiest server thread on a CPU in that run, ${pairs} pairs`, unit: '%', better: 'neither' });
  }
  for (const size of config.fanoutSizes) {
    results.row({ id: `fanout.${size}`, label: `group fan-out to ${size} online members`, unit: 'ms', better: 'lower' });
  }
  results.row({ id: 'catchup', label: `catch-up of ${config.backlogMessages} messages after reconnect`, unit: 'ms', better: 'lower' });
  results.row({ id: 'storm', label: `reconnect storm, ${config.stormClients} clients`, unit: 'ms', better: 'lower' });
  const idleUserCount = idleUsers(config.idleSockets, config.socketsPerUser);
  const idleSetup = `${config.idleSockets} sockets of ${idleUserCount} users held, their objects counted`;
  results.row({
    id: 'idle',
    label: `server memory per idle socket, after the users' objects were evicted or ${IDLE_EVICTION_MAX_MS / 1000} s (${idleSetup})`,
    unit: 'KiB',
    better: 'lower',
  });
  results.row({ id: 'idle.connected', label: `server memory per idle socket, right after connecting (${idleSetup})`, unit: 'KiB', better: 'lower' });
  results.row({ id: 'online.time', label: `${config.onlineUsers} online users, each sends one 1:1 message, to the last delivered`, unit: 'ms', better: 'lower' });
  results.row({ id: 'online.errors', label: `${config.onlineUsers} online users, errors (failed connects, lost or duplicated messages)`, unit: 'count', better: 'lower' });
  results.row({ id: 'web.js', label: 'PWA initial JS, gzip', unit: 'KB', better: 'lower' });
  results.row({ id: 'web.css', label: 'PWA initial CSS, gzip', unit: 'KB', better: 'lower' });
  results.row({ id: 'browser.cold', label: 'load to interactive, cold, 4x CPU throttling', unit: 'ms', better: 'lower' });
  results.row({ id: 'browser.warm', label: 'load to interactive, warm, 4x CPU throttling', unit: 'ms', better: 'lower' });
  results.row({ id: 'browser.last50', label: 'open a chat to its last 50 messages shown', unit: 'ms', better: 'lower' });
  results.row({ id: 'browser.last50.frame', label: 'open a chat to the frame after its last 50 messages', unit: 'ms', better: 'lower' });
  // Fewer than 50 means the chat first showed a window read ahead before the
  // last messages arrived, and the rest came with a second read.
  results.row({ id: 'browser.last50.first', label: "messages in that chat's first render, of 50", unit: 'count', better: 'higher' });
  const backlog = config.backlogMessages;
  results.row({
    id: 'browser.catchup.stored',
    label: `catch-up of ${backlog} messages in Chromium, to the last stored in IndexedDB`,
    unit: 'ms',
    better: 'lower',
  });
  results.row({ id: 'browser.catchup.shown', label: `catch-up of ${backlog} messages in Chromium, to the chat shown`, unit: 'ms', better: 'lower' });
}
