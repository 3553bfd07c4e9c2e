// Skipped message keys: keys of messages that a later message overtook, kept
// so those messages still decrypt when they arrive. Functions here modify the
// working copy of a state that ratchet.ts passes in.

import { toBase64Url, type Bytes } from './bytes';
import { DecryptError } from './errors';
import { kdfChainKey } from './ratchet-kdf';
import { MAX_SKIP, MAX_SKIPPED_KEYS, type RatchetState } from './ratchet-state';

/** Removes and returns the skipped key for (ratchetKey, index), so each key decrypts at most once. */
export function takeSkippedKey(state: RatchetState, ratchetKey: string, index: number): Bytes | null {
  const position = state.skippedKeys.findIndex((key) => key.ratchetKey === ratchetKey && key.index === index);
  if (position === -1) return null;

  const [entry] = state.skippedKeys.splice(position, 1);
  return entry!.messageKey;
}

/**
 * Advances the receiving chain to `until`, storing a key for every message
 * number passed over. Rejects a jump of more than MAX_SKIP keys; past
 * MAX_SKIPPED_KEYS it evicts the oldest stored keys.
 */
export async function skipMessageKeys(state: RatchetState, until: number): Promise<void> {
  const chain = state.receivingChain;
  if (!chain || !state.remoteRatchetKey) return;

  if (until - chain.index > MAX_SKIP) {
    throw new DecryptError(
      'too_far_ahead',
      `message number ${until} would skip ${until - chain.index} message keys from ${chain.index}; ` +
        `at most MAX_SKIP = ${MAX_SKIP} may be skipped in one chain`,
    );
  }

  const ratchetKey = toBase64Url(state.remoteRatchetKey);
  let { chainKey, index } = chain;
  while (index < until) {
    const step = await kdfChainKey(chainKey);
    state.skippedKeys.push({ ratchetKey, index, messageKey: step.messageKey });
    chainKey = step.chainKey;
    index++;
  }

  // TODO: expire skipped keys by age too. A key for a message that never
  // arrives stays until MAX_SKIPPED_KEYS newer keys push it out.
  const excess = state.skippedKeys.length - MAX_SKIPPED_KEYS;
  if (excess > 0) state.skippedKeys.splice(0, excess);
  state.receivingChain = { chainKey, index };
}
