import type { Database } from '../db/client';
import type { SessionRow } from '../db/sessions';
import type { Env } from '../env';
import type { Logger } from '../log';

/** Hono's type parameter for this Worker: bindings plus per-request variables. */
export interface AppEnv {
  Bindings: Env;
  Variables: {
    db: Database;
    log: Logger;
    /** The caller's active session, set by `requireSession`. */
    session: SessionRow;
  };
}
