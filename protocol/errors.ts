// The closed set of error codes. HTTP answers carry them in
// {"error": {"code", "message", ...details}}; socket error frames carry them
// in {"type": "error", "code", ...}. The PWA maps each code to a catalog string.

export const ERROR_CODES = [
  'invalid_request', // a body, query or frame failed schema validation
  'invalid_frame', // a socket frame that is not JSON or has no known shape
  'unknown_frame', // a socket frame whose "type" is not one the server accepts
  'frame_too_large', // a socket frame over FRAME_MAX_BYTES
  'payload_too_large', // an HTTP body over HTTP_BODY_MAX_BYTES
  'text_too_long', // message text over TEXT_MAX_BYTES
  'username_invalid', // username breaks the documented rules
  'username_taken', // another account has this username, ignoring case
  'display_name_invalid',
  'bio_too_long',
  'password_invalid', // password shorter or longer than allowed
  'invalid_credentials', // wrong username or password at sign-in
  'unauthorized', // missing, unknown or revoked session token
  'forbidden',
  'not_found',
  'recipient_not_found', // a message to a user id that does not exist
  'rate_limited',
  'internal', // an unexpected failure; details are logged, never sent
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** The HTTP error envelope. `limit` and `value` name the broken limit where there is one. */
export interface ErrorBody {
  error: {
    code: ErrorCode;
    message: string;
    field?: string;
    limit?: number;
    value?: number;
  };
}
