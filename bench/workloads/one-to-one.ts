// 1:1 workloads: sequential latency and windowed throughput. Latency is
// measured from the sender's write to the recipient's receipt of that
// message, on one machine, so no clock skew enters.

import { quantile } from '../report/stats';
import { cpuBetween, sampleCpu } from '../system/cpu-time';
import { withDeadline } from '../system/deadline';
import type { Connection, PreparedMessage, Target } from '../targets/target';
import { DeliveryTracker } from './delivery-tracker';

export interface LatencyResult {
  p50: number;
  p99: number;
  p999: number;
}

export interface ThroughputResult {
  /** Messages received by recipients per second for the whole box. */
  perSecond: number;
  p99: number;
  /** CPU time of the server process per message received, in microseconds; undefined without /proc. */
  serverCpuPerMessageUs: number | undefined;
  /** Share of the run's wall time that the server's busiest thread was on a CPU, in percent. */
  busiestThreadPercent: number | undefined;
}

/** Sends `count` messages from user 0 to user 1, each after the previous one arrived. */
export async function measureLatency(target: Target, count: number, tag: string, timeoutMs: number): Promise<LatencyResult> {
  const [sender, recipient] = await target.chatUsers(2);
  const messages = await target.prepareMessages(sender!, recipient!, count, tag);
  const tracker = new DeliveryTracker();
  tracker.expect(messages.map((message) => message.key));

  const latencies: number[] = [];
  let sentAt = 0;
  let next = 0;
  let sendNext: () => void = () => {};

  const receiver = await target.connect(recipient!, {
    onMessage: (key) => {
      if (!tracker.record(key)) return;
      latencies.push(performance.now() - sentAt);
      sendNext();
    },
    onProblem: (problem) => tracker.problem(problem),
    timeoutMs,
  });
  const senderConnection = await target.connect(sender!, { onMessage: () => {}, onProblem: (p) => tracker.problem(p), timeoutMs });

  try {
    sendNext = () => {
      if (next >= messages.length) return;
      sentAt = performance.now();
      senderConnection.send(messages[next++]!);
    };
    sendNext();
    await withDeadline(tracker.waitForCount(count), timeoutMs, `${target.label} latency run of ${count} messages`);
    tracker.assertExactlyOnce(`${target.label} latency run`);
  } finally {
    await Promise.all([senderConnection.close(), receiver.close()]);
  }
  return { p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99), p999: quantile(latencies, 0.999) };
}

/**
 * Runs `pairs` sender → recipient pairs at once; each sender keeps at most
 * `window` messages in flight and sends the next when one arrives. Before
 * the timed part each pair exchanges one warm-up message, which is not
 * counted, so that the figure is the steady state and not the first wake
 * of each Durable Object and its caches.
 */
export async function measureThroughput(
  target: Target,
  pairs: number,
  total: number,
  window: number,
  tag: string,
  timeoutMs: number,
): Promise<ThroughputResult> {
  const users = await target.chatUsers(2 * pairs);
  const perPair = Math.max(1, Math.floor(total / pairs));
  // Message 0 of each plan is the warm-up; the ratchet needs the messages encrypted in sending order.
  const prepared: PreparedMessage[][] = await Promise.all(
    Array.from({ length: pairs }, (_, pair) => target.prepareMessages(users[2 * pair]!, users[2 * pair + 1]!, perPair + 1, `${tag}p${pair}`)),
  );
  const warmUps = prepared.map((plan) => plan[0]!);
  const plans = prepared.map((plan) => plan.slice(1));

  const warmUpTracker = new DeliveryTracker();
  warmUpTracker.expect(warmUps.map((message) => message.key));
  const tracker = new DeliveryTracker();
  for (const plan of plans) tracker.expect(plan.map((message) => message.key));
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  const senders: Connection[] = [];
  const receivers: Connection[] = [];
  const nextIndex = new Array<number>(pairs).fill(0);

  const sendFrom = (pair: number) => {
    const index = nextIndex[pair]!;
    if (index >= perPair) return;
    nextIndex[pair] = index + 1;
    const message = plans[pair]![index]!;
    sentAt.set(message.key, performance.now());
    senders[pair]!.send(message);
  };

  try {
    for (let pair = 0; pair < pairs; pair++) {
      receivers.push(
        await target.connect(users[2 * pair + 1]!, {
          onMessage: (key) => {
            if (warmUps[pair]!.key === key) {
              warmUpTracker.record(key);
              return;
            }
            if (!tracker.record(key)) return;
            latencies.push(performance.now() - sentAt.get(key)!);
            sendFrom(pair);
          },
          onProblem: (problem) => tracker.problem(problem),
          timeoutMs,
        }),
      );
      senders.push(await target.connect(users[2 * pair]!, { onMessage: () => {}, onProblem: (p) => tracker.problem(p), timeoutMs }));
    }

    for (let pair = 0; pair < pairs; pair++) senders[pair]!.send(warmUps[pair]!);
    await withDeadline(warmUpTracker.waitForCount(pairs), timeoutMs, `${target.label} warm-up of ${pairs} pairs`);
    warmUpTracker.assertExactlyOnce(`${target.label} warm-up of ${pairs} pairs`);

    const pid = target.serverPid();
    const cpuBefore = pid === undefined ? undefined : sampleCpu(pid);
    const started = performance.now();
    for (let pair = 0; pair < pairs; pair++) for (let i = 0; i < window; i++) sendFrom(pair);
    await withDeadline(tracker.waitForCount(perPair * pairs), timeoutMs, `${target.label} throughput run with ${pairs} pairs`);
    const elapsedMs = performance.now() - started;
    const cpuAfter = pid === undefined ? undefined : sampleCpu(pid);
    tracker.assertExactlyOnce(`${target.label} throughput run with ${pairs} pairs`);
    warmUpTracker.assertExactlyOnce(`${target.label} warm-up of ${pairs} pairs`);

    const count = perPair * pairs;
    const cpu = cpuBefore && cpuAfter ? cpuBetween(cpuBefore, cpuAfter) : undefined;
    return {
      perSecond: (count * 1000) / elapsedMs,
      p99: quantile(latencies, 0.99),
      serverCpuPerMessageUs: cpu ? (cpu.processSeconds * 1e6) / count : undefined,
      busiestThreadPercent: cpu ? (cpu.busiestThreadSeconds * 1e5) / elapsedMs : undefined,
    };
  } finally {
    await Promise.all([...senders, ...receivers].map((connection) => connection.close()));
  }
}
