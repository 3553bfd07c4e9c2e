// Bindings and variables of the Worker, as declared in wrangler.toml.

import type { GroupDO } from './objects/group-do';
import type { UserDO } from './objects/user-do';

export interface Env {
  DB: D1Database;
  FILES: R2Bucket;
  USER: DurableObjectNamespace<UserDO>;
  GROUP: DurableObjectNamespace<GroupDO>;
  ASSETS: Fetcher;
  /** Sessions allowed at once per device class; a positive integer as text. */
  SESSIONS_PER_DEVICE_CLASS: string;
  /**
   * Member limit up to which a new group gets `inbox` delivery, a whole
   * number as text; unset means GROUP_FANOUT_THRESHOLD. bench/group-fanout.mjs
   * sets it to measure both delivery modes at the same size.
   */
  GROUP_FANOUT_THRESHOLD?: string;
  /** `debug`, `info`, `warn` or `error`; unset means `info`. */
  LOG_LEVEL?: string;
  /**
   * A Worker secret, not a var: 32 random bytes as base64url that seal other
   * secrets at rest (edge/crypto/sealed.ts). Checked where it is first used.
   */
  SECRETS_KEY?: string;
}
