// Free ports and the open files of a process on the local machine, shared by
// the bench's plain-Node scripts and its TypeScript. This module is in
// JavaScript so that `node bench/group-fanout.mjs` and `node bench/search.mjs`
// import it without a build step. Types are in host.d.mts.

import { readdirSync, readlinkSync } from 'node:fs';
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
