import { FRIEND_REQUEST_MESSAGE_MAX_CHARS, countChars } from '../../protocol/limits';
import { ApiError } from '../http/api-error';

/** C0 and C1 control characters (Unicode category Cc). */
const CONTROL_CHARACTER = /\p{Cc}/u;

/** Returns the friend request message trimmed; it may be empty. */
export function checkRequestMessage(message: string | undefined): string {
  const trimmed = (message ?? '').trim();
  const length = countChars(trimmed);
  if (length > FRIEND_REQUEST_MESSAGE_MAX_CHARS) {
    throw new ApiError(
      400,
      'request_message_too_long',
      `Friend request message has ${length} characters; the maximum is ${FRIEND_REQUEST_MESSAGE_MAX_CHARS}.`,
      { field: 'message', limit: FRIEND_REQUEST_MESSAGE_MAX_CHARS, value: length },
    );
  }
  if (CONTROL_CHARACTER.test(trimmed)) {
    throw new ApiError(400, 'invalid_request', 'Friend request message contains a control character.', {
      field: 'message',
    });
  }
  return trimmed;
}
