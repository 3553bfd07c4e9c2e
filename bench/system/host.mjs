// Free ports, the open files of a process and its listening ports on the local machine, shared by
// the bench's plain-Node scripts and its TypeScript. This module is in
// JavaScript so that `node bench/group-fanout.mjs` and `node bench/search.mjs`
// import it without a build step. Types are in host.d.mts.

import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { createServer } from 'node:net';

/** Asks the kernel for a free TCP port on 127.0.0.1. */
export async function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Returns whether process `pid` has a file under `dir` open. The bench uses
 * it to find the workerd process that runs the Worker and its Durable
 * Objects, because wrangler's proxy runtime is also a workerd process but
 * has no SQLite file of the persist directory open.
 */
export function holdsFileUnder(pid, dir) {
  try {
    return readdirSync(`/proc/${pid}/fd`).some((fd) => {
      try {
        return readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith(dir);
      } catch {
        return false;
      }
    });
  } catch {
    return false;
  }
}

/** Returns the IPv4 TCP ports that process `pid` listens on, from /proc/net/tcp. */
export function listeningPorts(pid) {
  const inodes = socketInodes(pid);
  const rows = readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1).map((line) => line.trim().split(/\s+/));
  // Field 3 is the TCP state (0A is LISTEN) and field 9 the socket inode.
  const listening = rows.filter((fields) => fields[3] === '0A' && inodes.has(fields[9]));
  return listening.map((fields) => parseInt(fields[1].split(':')[1], 16));
}

/** Returns the socket inodes that process `pid` has open. */
function socketInodes(pid) {
  const inodes = new Set();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (match) inodes.add(match[1]);
    } catch {
      // The descriptor closed while the loop ran.
    }
  }
  return inodes;
}
