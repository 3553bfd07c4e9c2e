// Every input limit of Feige, shared by the edge (which enforces them) and the
// PWA (which checks them first so the user sees the limit in their language).
// docs/protocol.md lists them; tests exercise each at and one past its edge.

/** Usernames: ASCII letters, digits and underscore, starting with a letter. */
export const USERNAME_MIN_LENGTH = 3;
export const USERNAME_MAX_LENGTH = 32;
export const USERNAME_PATTERN = /^[A-Za-z][A-Za-z0-9_]*$/;

/** Display names count Unicode code points, so Chinese names get the same room as Latin ones. */
export const DISPLAY_NAME_MAX_CHARS = 64;
export const BIO_MAX_CHARS = 280;

/** Passwords count code points; the upper bound caps PBKDF2 input work per request. */
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

/** UTF-8 bytes of one text message, the same order as the large messengers' limits. */
export const TEXT_MAX_BYTES = 4096;

/** Bytes of one WebSocket frame from a client; anything larger is rejected before parsing. */
export const FRAME_MAX_BYTES = 65_536;

/**
 * `send` frames in one `sends` frame. A client with several messages ready
 * (an outbox after a reconnect, a fast typist, a bench window) sends them in
 * one WebSocket message, and the edge handles them in one event of the
 * sender's object: one storage commit, one call to each recipient's object.
 * The whole frame stays within FRAME_MAX_BYTES as well.
 */
export const SENDS_PER_FRAME_MAX = 32;

/**
 * UTF-8 bytes of the frames inside one server `batch` frame. The edge starts
 * a new batch before the frame that would pass it, unless that frame is the
 * batch's first. Cloudflare Workers reject WebSocket messages over 1 MiB, and
 * one event with an envelope of ENVELOPE_MAX_BYTES is far below this.
 */
export const BATCH_FRAME_MAX_BYTES = 512 * 1024;

/** Client ids are opaque strings chosen by the client, for example a UUID. */
export const CID_MIN_LENGTH = 8;
export const CID_MAX_LENGTH = 64;

/**
 * Inbox events returned by one sync page. A device that was away catches up
 * in pages of this size, so fewer pages mean fewer round trips and fewer
 * IndexedDB transactions. SYNC_PAGE_MAX_BYTES bounds the frame as well.
 */
export const SYNC_PAGE_MAX = 1000;

/**
 * UTF-8 bytes of the JSON of the events of one sync page. A page ends before
 * the event that would pass it, unless that event is the page's first.
 * Cloudflare Workers reject WebSocket messages over 1 MiB, and this leaves
 * room for the rest of the frame. The largest event, a message with an
 * envelope of ENVELOPE_MAX_BYTES, is far below it.
 */
export const SYNC_PAGE_MAX_BYTES = 768 * 1024;

/** Bytes of one HTTP JSON request body. */
export const HTTP_BODY_MAX_BYTES = 16_384;

// End-to-end encryption: devices, the key directory and envelopes.

/** Characters of a device id. The edge chooses ids of 22 characters; the bound leaves room to change that. */
export const DEVICE_ID_MAX_LENGTH = 64;

/**
 * Devices registered per user, signed in or not. Registering past it first
 * removes the least recently refreshed devices whose session was revoked.
 * When every device is still signed in, the registration is rejected.
 */
export const DEVICES_PER_USER_MAX = 8;

/**
 * Recipient entries in one envelope: the peer's devices plus the sender's
 * other devices, so at most 2 × DEVICES_PER_USER_MAX − 1.
 */
export const ENVELOPE_RECIPIENTS_MAX = 16;

/**
 * UTF-8 bytes of one envelope serialized as compact JSON. The rest of a
 * `send` frame (type, cid, recipient id) takes a few hundred bytes, so the
 * largest envelope still fits in FRAME_MAX_BYTES.
 */
export const ENVELOPE_MAX_BYTES = FRAME_MAX_BYTES - 1_024;

/** One-time prekeys the edge stores per device. */
export const ONE_TIME_PREKEYS_PER_DEVICE_MAX = 100;

/** One-time prekeys in one upload: 50 keys with the largest ids are 8,870 bytes of JSON, well inside HTTP_BODY_MAX_BYTES. */
export const ONE_TIME_PREKEYS_UPLOAD_MAX = 50;

/** A device whose stock of one-time prekeys falls below this gets a `prekeys.low` frame. */
export const ONE_TIME_PREKEYS_LOW_THRESHOLD = 20;

/** Users in one prekey bundle claim. A 1:1 message needs two: the peer and the sender (for their other devices). */
export const PREKEY_CLAIM_USERS_MAX = 8;

// Relations, profiles and user search.

/** Region on a profile: free text in code points, for example "上海" or "Lyon, France". */
export const REGION_MAX_CHARS = 64;

/** Code points of the short message that goes with a friend request. */
export const FRIEND_REQUEST_MESSAGE_MAX_CHARS = 100;

/** A pending friend request expires this long after it was last sent: 30 days, in milliseconds. */
export const FRIEND_REQUEST_TTL_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * Bytes of one uploaded avatar, sent as the raw request body. The PWA uploads
 * a square of AVATAR_SIZE_PX pixels, which as WebP or JPEG is far below this.
 */
export const AVATAR_MAX_BYTES = 262_144;
export const AVATAR_SIZE_PX = 256;

/** Code points of a user search query after trimming; at least 1. */
export const SEARCH_QUERY_MAX_CHARS = 64;

/** Results in one search page: SEARCH_PAGE_DEFAULT unless the request sets `limit`, at most SEARCH_PAGE_MAX. */
export const SEARCH_PAGE_DEFAULT = 20;
export const SEARCH_PAGE_MAX = 50;

/** Users in one page of the following, followers, friends and blocked lists. */
export const USER_LIST_PAGE_DEFAULT = 50;
export const USER_LIST_PAGE_MAX = 100;

/** Counts Unicode code points, the unit of every character limit above. */
export function countChars(value: string): number {
  let count = 0;
  for (const _ of value) count++;
  return count;
}

/**
 * Counts UTF-8 bytes, the unit of TEXT_MAX_BYTES, without encoding. A lone
 * surrogate counts as the 3 bytes of U+FFFD, as TextEncoder writes it.
 */
export function countUtf8Bytes(value: string): number {
  let bytes = 0;
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (isHighSurrogate(code) && isLowSurrogate(value.charCodeAt(index + 1))) {
      bytes += 4;
      index++;
    } else bytes += 3;
  }
  return bytes;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

// Groups.

/** Code points of a group name after trimming; at least 1. */
export const GROUP_NAME_MAX_CHARS = 64;
/** Code points of a group's introduction. */
export const GROUP_INTRODUCTION_MAX_CHARS = 500;
/** Code points of a group notice (the pinned announcement). */
export const GROUP_NOTICE_MAX_CHARS = 1_000;
/** Code points of a member's nickname in one group. */
export const GROUP_NICKNAME_MAX_CHARS = 64;
/** Code points of the message that goes with an application to join. */
export const GROUP_APPLICATION_MESSAGE_MAX_CHARS = 100;

/** Member limit of a new group when the creator sets none. */
export const GROUP_MEMBERS_DEFAULT = 200;
/**
 * The largest member limit a group may have. Sends to a group above
 * GROUP_FANOUT_THRESHOLD make no per-member call. The one notice that reaches
 * every member (dissolution) goes out in batches of
 * GROUP_FANOUT_CALLS_PER_INVOCATION calls per alarm run.
 * NOTE: a design bound. bench/group-fanout.mjs measured `pull` groups of
 * this size (docs/groups.md) and `inbox` groups up to 1,001 members.
 */
export const GROUP_MEMBERS_MAX = 2_000;
/** The smallest member limit: the owner and one more. */
export const GROUP_MEMBERS_MIN = 2;

/**
 * Groups whose member limit is at most this get every message and notice
 * written into each member's inbox. Larger groups get one marker per member
 * and are read with `group.sync`. bench/group-fanout.mjs measures both modes,
 * and docs/groups.md records the numbers behind the value.
 */
export const GROUP_FANOUT_THRESHOLD = 200;

/**
 * Calls to UserDOs that one GroupDO invocation (an alarm run) makes at most,
 * well under the 1,000 subrequests Workers allow per invocation.
 */
export const GROUP_FANOUT_CALLS_PER_INVOCATION = 500;

/** Members in one page of the member list. */
export const GROUP_MEMBER_PAGE_DEFAULT = 100;
export const GROUP_MEMBER_PAGE_MAX = 500;

/** Entries in one `group.page`: the default and the maximum. */
export const GROUP_SYNC_PAGE_MAX = 200;

/** Groups a user may create or join. */
export const GROUPS_PER_USER_MAX = 500;

/**
 * Groups whose member limit is at most this are end-to-end encrypted with
 * sender keys, which each member hands to every other member's devices over
 * the 1:1 sessions. Larger groups are encrypted in transit and at rest only.
 */
export const GROUP_E2E_MEMBERS_MAX = 200;
