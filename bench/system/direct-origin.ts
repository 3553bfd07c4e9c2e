// The origin of the workerd process that runs the Worker, past `wrangler
// dev`'s proxy. The proxy is a second workerd process that exists only under
// `wrangler dev` and takes about 6 file descriptors per open socket, so it
// runs out near 3,300 sockets under an open-file limit of 20,000. Production
// has no such proxy, so the bench talks to the Worker's own process.

import { listeningPorts } from './host.mjs';
import { LOOPBACK } from './ports';

/**
 * Returns the origin on which one of the workerd processes `pids` serves
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
