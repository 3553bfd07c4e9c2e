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
  'not_allowed', // a message, follow or friend request that a block or the recipient's privacy setting rejects
  'request_message_too_long', // friend request message over FRIEND_REQUEST_MESSAGE_MAX_CHARS
  'region_too_long', // profile region over REGION_MAX_CHARS
  'image_type_unsupported', // an avatar whose bytes are not PNG, JPEG or WebP
  'image_too_large', // an avatar over AVATAR_MAX_BYTES
  'query_too_long', // a search query over SEARCH_QUERY_MAX_CHARS
  'encryption_required', // a `send` with plain `text` content; 1:1 messages travel as `e2e` envelopes
  'envelope_too_large', // an encrypted envelope over ENVELOPE_MAX_BYTES
  'devices_changed', // an envelope that does not address exactly the current devices; the frame lists them
  'device_not_registered', // a key directory call or encrypted send from a session with no registered device
  'too_many_devices', // a device registration past DEVICES_PER_USER_MAX devices that are all signed in
  'too_many_prekeys', // a one-time prekey upload past ONE_TIME_PREKEYS_PER_DEVICE_MAX stored keys
  'not_a_member', // a group call or group message from a user who is not (or no longer) a member
  'already_member', // an application or invitation for a user who is already a member of the group
  'already_handled', // a decision on a group application that another admin already approved or rejected
  'group_full', // a join that would take a group past its member limit
  'owner_must_transfer', // the owner tried to leave; they transfer ownership first or dissolve the group
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
