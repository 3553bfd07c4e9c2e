// Typed errors of the end-to-end encryption library. Callers branch on
// `reason` (DecryptError) or the class, never on message text.

export const DECRYPT_ERROR_REASONS = [
  /** The AES-GCM tag failed, or the envelope or header is malformed: some byte was changed. */
  'tampered',
  /** The message key for this header was already used, or was evicted from the skipped-key cache. */
  'replayed',
  /** Decrypting would skip more message keys than MAX_SKIP in one chain. */
  'too_far_ahead',
  /** No session with the sender exists, or the prekey the message names is gone. */
  'no_session',
  /** The envelope carries no entry for this device. */
  'not_for_this_device',
  /** The envelope version is not one this library reads. */
  'unsupported_version',
  /** The sender's identity DH key is not signed by the sender's identity signing key. */
  'bad_signature',
] as const;

export type DecryptErrorReason = (typeof DECRYPT_ERROR_REASONS)[number];

export class DecryptError extends Error {
  override readonly name = 'DecryptError';

  constructor(
    readonly reason: DecryptErrorReason,
    message: string,
  ) {
    super(message);
  }
}

/** A prekey bundle or public identity that is malformed or whose signature does not verify. */
export class InvalidBundleError extends Error {
  override readonly name = 'InvalidBundleError';

  constructor(
    /** The bundle field at fault, for example `signedPreKey.signature`. */
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** A plaintext payload that breaks its schema or a size limit. */
export class InvalidPayloadError extends Error {
  override readonly name = 'InvalidPayloadError';

  constructor(
    message: string,
    readonly limit?: number,
    readonly value?: number,
  ) {
    super(message);
  }
}

/** The session store lost the compare-and-swap race on one peer's session more often than allowed. */
export class SessionUpdateConflictError extends Error {
  override readonly name = 'SessionUpdateConflictError';
}
