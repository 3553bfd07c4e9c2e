import { POLL_INTERVAL_MS } from './timeouts';

/**
 * Polls `probe` until it returns something other than undefined and returns that.
 * Throws after `timeoutMs` with `description` (what was awaited) and the last probe error, if any.
 */
export async function waitFor<T>(
  description: string,
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;

  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await sleep(POLL_INTERVAL_MS);
  }

  const cause = lastError === undefined ? '' : ` (last error: ${describeError(lastError)})`;
  throw new Error(`Timed out after ${timeoutMs} ms waiting for ${description}${cause}`);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
