// Online users: `count` users connected at once (on Feige each with its own
// UserDO), and each sends one 1:1 message to the next one, user i to user
// (i + 1) % count. The figures are the time from the first send to the last
// delivery and the count of errors: failed connects, lost, duplicated or
// misrouted messages and protocol problems. A message that arrives twice or
// at the wrong user counts as an error, so a run without errors delivered
// each message exactly once.

import { mapConcurrent } from '../feige/users';
import { withDeadline } from '../system/deadline';
import type { Connection, PreparedMessage, Target, TargetUser } from '../targets/target';
import { DeliveryTracker } from './delivery-tracker';

/** Users whose messages are encrypted at once (each claims a prekey bundle over HTTP on Feige). */
const PREPARE_CONCURRENCY = 16;
/** Connections opened at once; the rest wait, so that the server gets a steady stream of upgrades. */
const CONNECT_CONCURRENCY = 50;

export interface OnlineUsersResult {
  /** From the first send to the last delivery, or to the give-up when messages were lost. */
  totalMs: number;
  errors: number;
  /** Descriptions of the errors for the failure list, empty when there were none. */
  faults: string[];
}

/** The users of one run and the message each sends, user i to user (i + 1) % count. */
export interface OnlineUsersPlan {
  users: TargetUser[];
  messages: PreparedMessage[][];
}

/**
 * Makes the users and encrypts their messages. This is setup, not part of
 * the figure: on Feige each of the `count` senders claims a prekey bundle
 * and runs X3DH, which takes minutes for 3,000 users on a busy machine.
 */
export async function prepareOnlineUsers(target: Target, count: number, tag: string): Promise<OnlineUsersPlan> {
  if (count < 2) throw new Error(`the online-users workload needs at least 2 users, got ${count}`);
  const users = await target.chatUsers(count);
  const messages = await mapConcurrent(count, PREPARE_CONCURRENCY, (i) =>
    target.prepareMessages(users[i]!, users[(i + 1) % count]!, 1, `${tag}u${i}`),
  );
  return { users, messages };
}

/**
 * Runs the workload with two halves of `timeoutMs`: connecting and
 * delivering each get one, so that a lost message is counted before the
 * phase bound stops the run.
 */
export async function measureOnlineUsers(target: Target, plan: OnlineUsersPlan, timeoutMs: number): Promise<OnlineUsersResult> {
  const { users, messages: plans } = plan;
  const count = users.length;
  const stepTimeoutMs = Math.floor(timeoutMs / 2);
  const recipientOf = (sender: number) => (sender + 1) % count;

  // A key names its recipient too, so a message delivered to the wrong user counts as unexpected.
  const tracker = new DeliveryTracker();
  // Server acknowledgements of the sends, where the target sends them, to tell a message never stored from one stored but not delivered.
  const stored = new Set<string>();
  let problems = 0;
  const connections: Array<Connection | undefined> = new Array(count);
  let connectFailures = 0;
  let firstConnectFailure: string | undefined;
  // Set once the workload ends, so that a connect still running past a timeout closes its connection itself.
  let ended = false;
  const connectAll = mapConcurrent(count, CONNECT_CONCURRENCY, async (i) => {
    if (ended) return;
    try {
      const connection = await target.connect(users[i]!, {
        onMessage: (key) => tracker.record(`${key}@${i}`),
        onStored: (key) => stored.add(key),
        onProblem: (problem) => {
          problems += 1;
          tracker.problem(problem);
        },
        timeoutMs: stepTimeoutMs,
      });
      if (ended) await connection.close();
      else connections[i] = connection;
    } catch (error) {
      connectFailures += 1;
      firstConnectFailure ??= error instanceof Error ? error.message : String(error);
    }
  });

  try {
    await withDeadline(connectAll, stepTimeoutMs, `${target.label} connecting ${count} users`);
    const sendable = sendableMessages(plans, connections, recipientOf);
    tracker.expect(sendable.map(({ message, recipient }) => `${message.key}@${recipient}`));

    const started = performance.now();
    for (const { sender, message } of sendable) connections[sender]!.send(message);
    const delivered = await withDeadline(tracker.waitForCount(sendable.length), stepTimeoutMs, 'delivery').then(
      () => true,
      () => false,
    );
    const totalMs = performance.now() - started;

    const faults = describeFaults(tracker, connectFailures, firstConnectFailure, delivered);
    if (!delivered && stored.size > 0) faults.push(`the server acknowledged ${stored.size} of ${sendable.length} sends as stored`);
    const errors = connectFailures + tracker.missing + tracker.duplicates + tracker.unexpected + problems;
    return { totalMs, errors, faults };
  } finally {
    ended = true;
    await Promise.all(connections.map((connection) => connection?.close()));
  }
}

/** Messages whose sender and recipient are both connected; the others are already counted as failed connects. */
function sendableMessages(plans: PreparedMessage[][], connections: Array<Connection | undefined>, recipientOf: (sender: number) => number) {
  return plans.flatMap((plan, sender) => {
    const recipient = recipientOf(sender);
    if (!connections[sender] || !connections[recipient]) return [];
    return plan.map((message) => ({ sender, recipient, message }));
  });
}

function describeFaults(tracker: DeliveryTracker, connectFailures: number, firstConnectFailure: string | undefined, delivered: boolean): string[] {
  const faults: string[] = [];
  if (connectFailures > 0) faults.push(`${connectFailures} connects failed, the first with: ${firstConnectFailure}`);
  if (!delivered) faults.push(`delivery timed out with ${tracker.missing} messages missing`);
  try {
    tracker.assertExactlyOnce('delivery');
  } catch (error) {
    faults.push(error instanceof Error ? error.message : String(error));
  }
  return faults;
}
