// The frames between the page and the decrypt worker (decrypt-worker.ts).
// An error loses its class on the way through postMessage, so a failed
// outcome carries the error's fields and the page builds the error again.
// The page decides by the error's class and reason whether the chat shows
// an unreadable message and whether a session repair starts.

import type { DecryptedEnvelope } from '../crypto/decrypt-envelope';
import { DecryptError, InvalidPayloadError, type DecryptErrorReason } from '../crypto/errors';
import type { DirectMessage, DirectOutcome } from './open-direct';

/** Page -> worker: open one sender device's messages, as openFromSender does. */
export interface OpenRequest {
  id: number;
  /** The crypto store's IndexedDB database, `feige-crypto-<userId>`. */
  cryptoDatabase: string;
  /** The account's IndexedDB database, whose lastSeq shows which messages are stored. */
  accountDatabase: string;
  senderDevice: string;
  messages: DirectMessage[];
}

/** Worker -> page: the outcomes in the order of the request's messages, or why the whole request failed. */
export type OpenReply = { id: number; ok: true; outcomes: WireOutcome[] } | { id: number; ok: false; message: string };

export type WireOutcome =
  | { kind: 'decrypted'; decrypted: DecryptedEnvelope }
  | { kind: 'failed'; error: WireError }
  | { kind: 'stored' };

export type WireError =
  | { type: 'decrypt'; reason: DecryptErrorReason; message: string }
  | { type: 'payload'; message: string; limit?: number; value?: number }
  | { type: 'other'; name: string; message: string };

export function toWireOutcome(outcome: DirectOutcome): WireOutcome {
  if (outcome.kind !== 'failed') return outcome;
  return { kind: 'failed', error: toWireError(outcome.error) };
}

export function fromWireOutcome(outcome: WireOutcome): DirectOutcome {
  if (outcome.kind !== 'failed') return outcome;
  return { kind: 'failed', error: fromWireError(outcome.error) };
}

function toWireError(error: unknown): WireError {
  if (error instanceof DecryptError) return { type: 'decrypt', reason: error.reason, message: error.message };
  if (error instanceof InvalidPayloadError) {
    return { type: 'payload', message: error.message, ...(error.limit === undefined ? {} : { limit: error.limit }), ...(error.value === undefined ? {} : { value: error.value }) };
  }
  if (error instanceof Error) return { type: 'other', name: error.name, message: error.message };
  return { type: 'other', name: 'Error', message: String(error) };
}

function fromWireError(error: WireError): Error {
  switch (error.type) {
    case 'decrypt':
      return new DecryptError(error.reason, error.message);
    case 'payload':
      return new InvalidPayloadError(error.message, error.limit, error.value);
    case 'other': {
      const rebuilt = new Error(error.message);
      rebuilt.name = error.name;
      return rebuilt;
    }
    default: {
      const unreachable: never = error;
      throw new Error(`unknown wire error ${JSON.stringify(unreachable)}`);
    }
  }
}
