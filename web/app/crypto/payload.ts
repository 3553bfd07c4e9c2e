// The plaintext inside an encrypted message: a JSON object keyed on `kind`.
// `text` is a chat message. `session_reset` is a control message with no
// content: a device that could not decrypt a message sends it to start a
// fresh session, and receivers show nothing for it. `sender_key` hands a
// group member device's sender key to another member device. Later kinds
// (file, image, call key, receipt) join the union under their own `kind`, and
// a reader that meets a kind it does not know gets an InvalidPayloadError,
// not a crash.

import * as z from 'zod/mini';
import { PAYLOAD_MAX_BYTES, PUBLIC_KEY_BYTES, deviceIdSchema, fixedBytesField } from '../../../protocol/envelope';
import { TEXT_MAX_BYTES, countUtf8Bytes } from '../../../protocol/limits';
import { UINT32_MAX, utf8Decode, utf8Encode, type Bytes } from './bytes';
import { InvalidPayloadError } from './errors';
import { describeIssue } from './schemas';

export { PAYLOAD_MAX_BYTES };

export const payloadSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('text'), text: z.string().check(z.minLength(1)) }),
  z.strictObject({ kind: z.literal('session_reset') }),
  /** A group member device's sender key (sender-key.ts), sent to each other member device over the 1:1 session. */
  z.strictObject({
    kind: z.literal('sender_key'),
    groupId: z.string().check(z.minLength(1), z.maxLength(64)),
    senderDevice: deviceIdSchema,
    keyId: z.number().check(z.int(), z.minimum(0), z.maximum(UINT32_MAX)),
    iteration: z.number().check(z.int(), z.minimum(0), z.maximum(UINT32_MAX)),
    chainKey: fixedBytesField(PUBLIC_KEY_BYTES),
    signingKey: fixedBytesField(PUBLIC_KEY_BYTES),
  }),
]);
export type Payload = z.infer<typeof payloadSchema>;
export type PayloadKind = Payload['kind'];

function checkLimits(payload: Payload): void {
  switch (payload.kind) {
    case 'text': {
      const bytes = countUtf8Bytes(payload.text);
      if (bytes > TEXT_MAX_BYTES) {
        throw new InvalidPayloadError(
          `text is ${bytes} UTF-8 bytes, over TEXT_MAX_BYTES = ${TEXT_MAX_BYTES}`,
          TEXT_MAX_BYTES,
          bytes,
        );
      }
      return;
    }
    case 'session_reset':
    case 'sender_key':
      return;
    default: {
      const unreachable: never = payload;
      throw new InvalidPayloadError(`unknown payload ${JSON.stringify(unreachable)}`);
    }
  }
}

export function encodePayload(payload: Payload): Bytes {
  const parsed = payloadSchema.safeParse(payload);
  if (!parsed.success) throw new InvalidPayloadError(`invalid payload: ${describeIssue(parsed.error.issues[0]!)}`);
  checkLimits(parsed.data);

  // TODO: pad the serialized payload, because ciphertext sizes now reveal text lengths to the server.
  const bytes = utf8Encode(JSON.stringify(parsed.data));
  if (bytes.length > PAYLOAD_MAX_BYTES) {
    throw new InvalidPayloadError(
      `payload is ${bytes.length} bytes, over PAYLOAD_MAX_BYTES = ${PAYLOAD_MAX_BYTES}`,
      PAYLOAD_MAX_BYTES,
      bytes.length,
    );
  }
  return bytes;
}

/**
 * Parses a decrypted payload. Throws InvalidPayloadError for bad UTF-8, bad
 * JSON, an unknown kind or a broken limit.
 */
export function decodePayload(bytes: Bytes): Payload {
  if (bytes.length > PAYLOAD_MAX_BYTES) {
    throw new InvalidPayloadError(
      `payload is ${bytes.length} bytes, over PAYLOAD_MAX_BYTES = ${PAYLOAD_MAX_BYTES}`,
      PAYLOAD_MAX_BYTES,
      bytes.length,
    );
  }

  let json: unknown;
  try {
    json = JSON.parse(utf8Decode(bytes));
  } catch (error) {
    throw new InvalidPayloadError(`payload is not UTF-8 JSON: ${(error as Error).message}`);
  }

  const parsed = payloadSchema.safeParse(json);
  if (!parsed.success) throw new InvalidPayloadError(`invalid payload: ${describeIssue(parsed.error.issues[0]!)}`);
  checkLimits(parsed.data);
  return parsed.data;
}
