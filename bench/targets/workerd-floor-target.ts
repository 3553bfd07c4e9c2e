// The floor inside workerd as a bench target: bench/workerd-floor/worker.ts
// under `wrangler dev`, reached the way Feige is (straight to the workerd
// process that runs the Worker). Its path stores every message in the
// recipient's and the sender's Durable Object, as Feige's does, and does
// nothing else, so Feige's figure over this one is what Feige's own code costs.

import { cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import { SENDS_PER_FRAME_MAX } from '../../protocol/limits';
import { benchText } from '../feige/envelopes';
import { mapConcurrent } from '../feige/users';
import { withDeadline } from '../system/deadline';
import { startWranglerDev, type WranglerDev } from '../system/wrangler-dev';
import { requireOneReceiverPerMember, type ConnectOptions, type Connection, type GroupSupport, type PreparedMessage, type Target, type TargetUser } from './target';
import { WorkerdProcessTarget } from './workerd-process-target';

/**
 * Characters of each message body. Feige's bench messages are stored as
 * about 890 bytes each (the message with its prekey envelope, as JSON), and a
 * commit costs by the bytes it writes, so the floor stores as much.
 */
const FLOOR_BODY_CHARS = 890;

/** Group sockets opened at once while a group is prepared, as Feige's bench opens them. */
const CONNECT_CONCURRENCY = 32;

/** The files of the floor's Worker, copied so that wrangler writes nothing into the checkout. */
const FLOOR_FILES = ['worker.ts', 'wrangler.toml'];

export async function startWorkerdFloor(root: string, workDir: string): Promise<WorkerdFloorTarget> {
  const sources = mkdtempSync(join(workDir, 'floor-src-'));
  for (const file of FLOOR_FILES) cpSync(join(root, 'bench', 'workerd-floor', file), join(sources, file));
  // npx finds wrangler there.
  symlinkSync(join(root, 'node_modules'), join(sources, 'node_modules'), 'dir');
  const persistDir = mkdtempSync(join(workDir, 'floor-state-'));
  const logFile = join(workDir, 'workerd-floor.log');
  writeFileSync(logFile, `workerd floor, persist directory ${persistDir}\n`);

  const server = await startWranglerDev({ cwd: sources, workDir, persistDir, logFile, vars: {}, path: 'direct' });
  return new WorkerdFloorTarget(server, () => rmSync(persistDir, { recursive: true, force: true }));
}

/** A frame from the floor: delivered messages, or the acks of messages this socket sent. */
type FloorFrame = { id: string }[] | { acks: string[] };

export class WorkerdFloorTarget extends WorkerdProcessTarget implements Target {
  readonly label = 'workerd (floor)';
  readonly groups: GroupSupport = {
    prepareGroup: async (groupId, members, receivers, options) => {
      requireOneReceiverPerMember(this.label, members, receivers);
      const sender = await this.connect(members[0]!, { ...options, onMessage: (key) => options.onMemberMessage(0, key) });
      const memberSockets = await mapConcurrent(members.length - 1, CONNECT_CONCURRENCY, (i) =>
        this.connect(
          members[i + 1]!,
          { ...options, onMessage: (key) => options.onMemberMessage(i + 1, key) },
          `/group?group=${encodeURIComponent(groupId)}&`,
        ),
      );
      return {
        connections: [sender, ...memberSockets],
        send: (senderIndex, key) => {
          if (senderIndex !== 0) throw new Error(`the workerd floor sends group messages from member 0, not ${senderIndex}`);
          sender.send({ key, to: members[0]!, wire: JSON.stringify({ group: groupId, id: key, body: benchText(0) }) });
        },
      };
    },
  };

  constructor(
    private readonly server: WranglerDev,
    private readonly cleanUp: () => void,
  ) {
    super(() => server.workerdPid());
  }

  /** The inspector port of `wrangler dev`, for CPU profiles of the Worker's isolate. */
  get inspectorPort(): number {
    return this.server.inspectorPort;
  }

  async chatUsers(count: number): Promise<TargetUser[]> {
    return Array.from({ length: count }, (_, i) => ({ id: `chat${i}` }));
  }

  async plainUsers(count: number): Promise<TargetUser[]> {
    return Array.from({ length: count }, (_, i) => ({ id: `plain${i}` }));
  }

  async prepareMessages(_from: TargetUser, to: TargetUser, count: number, tag: string): Promise<PreparedMessage[]> {
    return Array.from({ length: count }, (_, i) => {
      const key = `${tag}-${i}`;
      return { key, to, wire: JSON.stringify({ to: to.id, id: key, body: benchText(i).padEnd(FLOOR_BODY_CHARS, '.') }) };
    });
  }

  /** Opens the user's own socket, or a group socket when `path` names one. */
  async connect(user: TargetUser, options: ConnectOptions, path = '/ws?'): Promise<Connection> {
    const socket = new WebSocket(`${this.server.url.replace(/^http/, 'ws')}${path}user=${encodeURIComponent(user.id)}`, {
      perMessageDeflate: false,
    });
    socket.on('message', (data) => dispatch(String(data), options));
    const opened = new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', (error) => reject(new Error(`workerd floor socket of ${user.id} failed: ${error.message}`)));
    });
    await withDeadline(opened, options.timeoutMs, `workerd floor connect of ${user.id}`);
    socket.on('error', (error) => options.onProblem(`socket error: ${error.message}`));
    return connection(socket);
  }

  reconnect(user: TargetUser, options: ConnectOptions): Promise<Connection> {
    return this.connect(user, options);
  }

  async stop(): Promise<void> {
    await this.server.stop();
    this.cleanUp();
  }
}

function dispatch(text: string, options: ConnectOptions): void {
  let frame: FloorFrame;
  try {
    frame = JSON.parse(text) as FloorFrame;
  } catch {
    options.onProblem(`workerd floor sent invalid JSON: ${text.slice(0, 100)}`);
    return;
  }
  if (Array.isArray(frame)) {
    for (const message of frame) options.onMessage(message.id);
  } else if (Array.isArray(frame.acks)) {
    for (const id of frame.acks) options.onStored?.(id);
  } else {
    options.onProblem(`unexpected workerd floor frame: ${text.slice(0, 100)}`);
  }
}

/**
 * Messages sent in one turn of the event loop go out together as one frame
 * of at most SENDS_PER_FRAME_MAX, as Feige's bench client sends `sends` frames.
 */
function connection(socket: WebSocket): Connection {
  let queued: string[] = [];
  const flush = () => {
    for (let start = 0; start < queued.length; start += SENDS_PER_FRAME_MAX) {
      socket.send(`[${queued.slice(start, start + SENDS_PER_FRAME_MAX).join(',')}]`);
    }
    queued = [];
  };
  return {
    send: (message) => {
      queued.push(message.wire);
      if (queued.length === 1) queueMicrotask(flush);
    },
    close: () =>
      new Promise((resolve) => {
        if (socket.readyState === WebSocket.CLOSED) return resolve();
        socket.once('close', () => resolve());
        socket.close(1000);
      }),
    drop: () => socket.terminate(),
  };
}
