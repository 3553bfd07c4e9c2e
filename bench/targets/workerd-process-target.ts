// The readings of the workerd process behind a target that runs under
// `wrangler dev` (Feige and the workerd floor): its memory, its CPU time, its
// open SQLite files, and the wait until it has evicted the objects of earlier
// phases.

import { openFiles } from '../system/memory-map';
import { settleOpenFiles } from '../system/object-eviction';
import { residentBytes } from '../system/processes';

export abstract class WorkerdProcessTarget {
  constructor(private readonly workerdPid: () => number | undefined) {}

  serverRss(): number | undefined {
    const pid = this.workerdPid();
    return pid === undefined ? undefined : residentBytes(pid);
  }

  serverPid(): number | undefined {
    return this.workerdPid();
  }

  openDatabaseFiles(): number | undefined {
    const pid = this.workerdPid();
    return pid === undefined ? undefined : openFiles(pid)?.sqlite;
  }

  /** Waits for workerd to evict the idle objects of earlier phases (`settleOpenFiles`). */
  settle(maxMs: number): Promise<void> {
    return settleOpenFiles(() => this.openDatabaseFiles(), maxMs);
  }
}
