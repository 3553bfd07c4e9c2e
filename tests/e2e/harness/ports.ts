import { createServer, connect } from 'node:net';

export const LOOPBACK = '127.0.0.1';

/** Returns a TCP port on 127.0.0.1 that was free a moment ago. */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, LOOPBACK, () => {
      const address = probe.address();
      if (address === null || typeof address === 'string') {
        probe.close();
        reject(new Error(`Expected a TCP address from the port probe, got ${String(address)}`));
        return;
      }
      probe.close(() => resolve(address.port));
    });
  });
}

/** Resolves true when something accepts a TCP connection on 127.0.0.1:port. */
export function isPortOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: LOOPBACK, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
