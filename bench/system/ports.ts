import { createServer } from 'node:net';

/** Every server of the bench listens on loopback only. */
export const LOOPBACK = '127.0.0.1';

/** Asks the kernel for a free TCP port on 127.0.0.1. */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, LOOPBACK, () => {
      const address = server.address();
      server.close(() => {
        if (address === null || typeof address === 'string') reject(new Error('no TCP address for a free port'));
        else resolve(address.port);
      });
    });
  });
}
