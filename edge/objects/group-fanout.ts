// One run of the fan-out queue: collect the oldest jobs, resolve their
// recipients from the member table as it is now, and send each recipient all
// of its events in one RPC. A run makes at most
// GROUP_FANOUT_CALLS_PER_INVOCATION calls; what is left waits for the next run.

import { GROUP_FANOUT_CALLS_PER_INVOCATION } from '../../protocol/limits';
import type { GroupQueue, FanoutJob } from './group-queue';
import type { GroupState } from './group-state';
import type { GroupDelivery } from './inbox-events';

/** Jobs one run looks at; consecutive messages to the same members share one call per member. */
const JOBS_PER_RUN = 100;

/** RPCs in flight at once, to stay under the runtime's limit of simultaneous connections. */
const PARALLEL_CALLS = 50;

export type DeliverGroupEvents = (userId: string, deliveries: GroupDelivery[]) => Promise<void>;

interface Plan {
  perUser: Map<string, GroupDelivery[]>;
  /** Jobs fully served by this run. */
  done: number[];
  /** A job served in part, with the cursor to save. */
  partial?: { jobId: number; cursor: number };
}

/**
 * Runs one batch and returns whether jobs remain. A failed call throws before
 * anything is removed, so the caller retries the whole batch later; inboxes
 * skip the events they already stored.
 */
export async function runFanout(
  state: GroupState,
  queue: GroupQueue,
  deliver: DeliverGroupEvents,
  budget = GROUP_FANOUT_CALLS_PER_INVOCATION,
): Promise<boolean> {
  const plan = planRun(state, queue.peek(JOBS_PER_RUN), budget);

  const calls = [...plan.perUser.entries()];
  for (let start = 0; start < calls.length; start += PARALLEL_CALLS) {
    const chunk = calls.slice(start, start + PARALLEL_CALLS);
    await Promise.all(chunk.map(([userId, deliveries]) => deliver(userId, deliveries)));
  }

  queue.remove(plan.done);
  if (plan.partial) queue.setCursor(plan.partial.jobId, plan.partial.cursor);
  return !queue.isEmpty();
}

/**
 * Adds jobs in queue order while the distinct recipients fit the budget. A
 * job too large for a whole run on its own is served in part from its cursor.
 */
export function planRun(state: GroupState, jobs: readonly FanoutJob[], budget: number): Plan {
  const plan: Plan = { perUser: new Map(), done: [] };

  for (const job of jobs) {
    const recipients = remainingRecipients(state, job, budget + 1);
    const added = recipients.filter((recipient) => !plan.perUser.has(recipient.userId));

    if (plan.perUser.size + added.length > budget) {
      if (plan.done.length > 0) break;

      const taken = recipients.slice(0, budget);
      addDeliveries(plan, taken, job.delivery);
      plan.partial = { jobId: job.id, cursor: taken.at(-1)?.cursor ?? job.cursor };
      break;
    }

    addDeliveries(plan, recipients, job.delivery);
    plan.done.push(job.id);
  }
  return plan;
}

interface Recipient {
  userId: string;
  /** The job cursor once this recipient is served. */
  cursor: number;
}

function remainingRecipients(state: GroupState, job: FanoutJob, limit: number): Recipient[] {
  const audience = job.audience;
  switch (audience.type) {
    case 'members':
      return state
        .membersJoinedBy(audience.visibleSeq, job.cursor, limit)
        .map((member) => ({ userId: member.userId, cursor: member.joinSeq }));
    case 'users':
      return audience.userIds
        .slice(job.cursor, job.cursor + limit)
        .map((userId, index) => ({ userId, cursor: job.cursor + index + 1 }));
    default: {
      const unreachable: never = audience;
      throw new Error(`Unknown audience ${JSON.stringify(unreachable)}`);
    }
  }
}

function addDeliveries(plan: Plan, recipients: readonly Recipient[], delivery: GroupDelivery): void {
  for (const { userId } of recipients) {
    const list = plan.perUser.get(userId) ?? [];
    list.push(delivery);
    plan.perUser.set(userId, list);
  }
}
