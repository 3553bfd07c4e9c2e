// Bindings and variables of the Worker, as declared in wrangler.toml.

import type { UserDO } from './objects/user-do';

export interface Env {
  DB: D1Database;
  FILES: R2Bucket;
  USER: DurableObjectNamespace<UserDO>;
  ASSETS: Fetcher;
  /** Sessions allowed at once per device class; a positive integer as text. */
  SESSIONS_PER_DEVICE_CLASS: string;
  /** `debug`, `info`, `warn` or `error`; unset means `info`. */
  LOG_LEVEL?: string;
}
