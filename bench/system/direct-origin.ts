// The origin of the workerd process that runs the Worker, past `wrangler
// dev`'s proxy. The proxy is a second workerd process that exists only under
// `wrangler dev` and takes about 6 file descriptors per open socket, so it
// runs out near 3,300 sockets under an open-file limit of 20,000. Production
// has no such proxy, so the bench talks to the Worker's own process.

import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { LOOPBACK } from './ports';

/** Returns the socket inodes that process `pid` has open. */
function socketInodes(pid: number): Set<string> {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (match) inodes.add(match[1]!);
    } catch {
      // The descriptor closed while the loop ran.
    }
  }
  return inodes;
}

/** Returns the IPv4 TCP ports that process `pid` listens on, from /proc/net/tcp. */
function listeningPorts(pid: number): number[] {
  const inodes = socketInodes(pid);
  const rows = readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1).map((line) => line.trim().split(/\s+/));
  // Field 3 is the TCP state (0A is LISTEN) and field 9 the socket inode.
  const listening = rows.filter((fields) => fields[3] === '0A' && inodes.has(fields[9] ?? ''));
  return listening.map((fields) => parseInt(fields[1]!.split(':')[1]!, 16));
}

/**
 * Returns the origin on which one of the workerd processes `pids` answers
 * /api/v1/health with 200 on a port other than the proxy's `proxyPort`.
 * Throws when none does.
 */
export async function directOrigin(pids: number[], proxyPort: number): Promise<string> {
  const ports = pids.flatMap((pid) => listeningPorts(pid)).filter((port) => port !== proxyPort);
  for (const port of ports) {
    const origin = `http://${LOOPBACK}:${port}`;
    try {
      if ((await fetch(`${origin}/api/v1/health`)).ok) return origin;
    } catch {
      // Not the HTTP entry of this process (workerd also listens for the inspector and its control socket).
    }
  }
  throw new Error(
    `workerd processes ${pids.join(', ') || '(none)'} listen on ports ${ports.join(', ') || '(none)'} besides the proxy's ${proxyPort}, ` +
      'and none of them serves /api/v1/health; rerun with --feige-via-proxy',
  );
}
