// The Double Ratchet session state and its bounds. The state holds only
// CryptoKeys, Uint8Arrays, strings, numbers, arrays and null, so it is
// structured-cloneable: IndexedDB stores it as it is, and restoreRatchetState
// checks whatever comes back.

import * as z from 'zod/mini';
import type { Bytes } from './bytes';
import { KEY_BYTES, SHA256_BYTES, type KeyPairWithPublicBytes } from './primitives';
import { HEADER_COUNTER_MAX } from './ratchet-header';
import { describeIssue, storedBytes } from './schemas';

/**
 * Message keys one incoming message may make the receiver skip in one chain.
 * A larger gap is rejected as `too_far_ahead`. It bounds the work a forged
 * header can cause, and covers the messages a device misses while offline
 * in one conversation between two replies.
 */
export const MAX_SKIP = 1000;

/** Skipped message keys kept per session across all chains; past it the oldest key is evicted. */
export const MAX_SKIPPED_KEYS = 2000;

/**
 * Earlier remote ratchet keys remembered per session. A message under one of
 * them whose key is not among the skipped keys is reported as `replayed`
 * instead of starting a DH ratchet step that can only fail as `tampered`.
 */
export const RETIRED_RATCHET_KEYS_MAX = 32;

export const RATCHET_STATE_VERSION = 1;

export interface ChainState {
  chainKey: Bytes;
  /** Message keys derived from this chain so far: Ns or Nr in Signal's notation. */
  index: number;
}

export interface SkippedMessageKey {
  /** The remote ratchet public key of the chain, base64url. */
  ratchetKey: string;
  index: number;
  messageKey: Bytes;
}

export interface RatchetState {
  version: typeof RATCHET_STATE_VERSION;
  /** X3DH associated data, prefixed to every message's AES-GCM associated data. */
  associatedData: Bytes;
  rootKey: Bytes;
  ownRatchetKey: KeyPairWithPublicBytes;
  remoteRatchetKey: Bytes | null;
  sendingChain: ChainState | null;
  receivingChain: ChainState | null;
  /** PN: the length of the previous sending chain, sent in every header. */
  previousSendingChainLength: number;
  /** Oldest first, at most MAX_SKIPPED_KEYS. */
  skippedKeys: SkippedMessageKey[];
  /** base64url, oldest first, at most RETIRED_RATCHET_KEYS_MAX. */
  retiredRatchetKeys: string[];
}

/** Copies the parts of a state that ratchet steps replace or modify, so a failed step leaves the original intact. */
export function cloneRatchetState(state: RatchetState): RatchetState {
  return {
    ...state,
    ownRatchetKey: { ...state.ownRatchetKey },
    sendingChain: state.sendingChain && { ...state.sendingChain },
    receivingChain: state.receivingChain && { ...state.receivingChain },
    skippedKeys: state.skippedKeys.map((key) => ({ ...key })),
    retiredRatchetKeys: [...state.retiredRatchetKeys],
  };
}


const counter = z.number().check(z.int(), z.minimum(0), z.maximum(HEADER_COUNTER_MAX + 1));

const chainSchema = z.object({ chainKey: storedBytes(SHA256_BYTES), index: counter });

export const ratchetStateSchema = z.object({
  version: z.literal(RATCHET_STATE_VERSION),
  associatedData: storedBytes(),
  rootKey: storedBytes(SHA256_BYTES),
  ownRatchetKey: z.object({ privateKey: z.instanceof(CryptoKey), publicKey: storedBytes(KEY_BYTES) }),
  remoteRatchetKey: z.nullable(storedBytes(KEY_BYTES)),
  sendingChain: z.nullable(chainSchema),
  receivingChain: z.nullable(chainSchema),
  previousSendingChainLength: counter,
  skippedKeys: z.array(
    z.object({ ratchetKey: z.string(), index: counter, messageKey: storedBytes(SHA256_BYTES) }),
  ).check(z.maxLength(MAX_SKIPPED_KEYS)),
  retiredRatchetKeys: z.array(z.string()).check(z.maxLength(RETIRED_RATCHET_KEYS_MAX)),
});

/**
 * Checks a value read back from storage (or received by postMessage) and
 * returns it as a RatchetState. Throws a TypeError naming the first field
 * that does not fit.
 */
export function restoreRatchetState(value: unknown): RatchetState {
  const parsed = ratchetStateSchema.safeParse(value);
  if (!parsed.success) {
    throw new TypeError(`invalid ratchet state: ${describeIssue(parsed.error.issues[0]!)}`);
  }
  return parsed.data;
}
