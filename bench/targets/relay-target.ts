// The floor as a bench target: bench/relay/server.mjs in its own process,
// driven over `ws` with the relay's JSON frames.

import type { ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import { benchText } from '../feige/envelopes';
import { withDeadline } from '../system/deadline';
import { LOOPBACK } from '../system/ports';
import { logTail, residentBytes, spawnLogged, stopGroup } from '../system/processes';
import { requireOneReceiverPerMember, type ConnectOptions, type Connection, type GroupSupport, type PreparedMessage, type Target, type TargetUser } from './target';

const START_TIMEOUT_MS = 10_000;
const POLL_MS = 50;

export async function startRelay(root: string, workDir: string): Promise<RelayTarget> {
  const logFile = join(workDir, 'relay.log');
  writeFileSync(logFile, '');
  const child = spawnLogged(process.execPath, [join(root, 'bench', 'relay', 'server.mjs')], logFile, { cwd: root });

  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const match = /listening (\d+)/.exec(readFileSync(logFile, 'utf8'));
    if (match) return new RelayTarget(child, Number(match[1]));
    if (child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  await stopGroup(child);
  throw new Error(`the relay did not start within ${START_TIMEOUT_MS} ms\n${logTail(logFile)}`);
}

interface RelayFrame {
  id?: unknown;
}

export class RelayTarget implements Target {
  readonly label = 'relay (floor)';
  readonly groups: GroupSupport;

  constructor(
    private readonly child: ChildProcess,
    private readonly port: number,
  ) {
    this.groups = {
      prepareGroup: async (groupId, members, receivers, options) => {
        requireOneReceiverPerMember(this.label, members, receivers);
        const connections = await Promise.all(
          members.map((member, index) =>
            this.open(member, { ...options, onMessage: (key) => options.onMemberMessage(index, key) }),
          ),
        );
        for (const socket of connections) socket.send(JSON.stringify({ join: groupId }));
        // The relay handles one socket's frames in order, so a round trip through each socket proves its join landed.
        await Promise.all(connections.map((socket, index) => this.echo(socket, members[index]!, options.timeoutMs)));
        return {
          connections: connections.map((socket) => this.connection(socket)),
          send: (senderIndex, key) =>
            connections[senderIndex]!.send(JSON.stringify({ group: groupId, id: key, body: benchText(0) })),
        };
      },
    };
  }

  async chatUsers(count: number): Promise<TargetUser[]> {
    return Array.from({ length: count }, (_, i) => ({ id: `u${i}` }));
  }

  plainUsers(count: number): Promise<TargetUser[]> {
    return this.chatUsers(count);
  }

  async prepareMessages(_from: TargetUser, to: TargetUser, count: number, tag: string): Promise<PreparedMessage[]> {
    return Array.from({ length: count }, (_, i) => {
      const key = `${tag}-${i}`;
      return { key, to, wire: JSON.stringify({ to: to.id, id: key, body: benchText(i) }) };
    });
  }

  async connect(user: TargetUser, options: ConnectOptions): Promise<Connection> {
    return this.connection(await this.open(user, options));
  }

  reconnect(user: TargetUser, options: ConnectOptions): Promise<Connection> {
    return this.connect(user, options);
  }

  serverRss(): number | undefined {
    return this.child.pid === undefined ? undefined : residentBytes(this.child.pid);
  }

  serverPid(): number | undefined {
    return this.child.pid;
  }

  stop(): Promise<void> {
    return stopGroup(this.child);
  }

  private open(user: TargetUser, options: ConnectOptions): Promise<WebSocket> {
    const socket = new WebSocket(`ws://${LOOPBACK}:${this.port}/?user=${encodeURIComponent(user.id)}`, {
      perMessageDeflate: false,
    });
    socket.on('message', (data) => {
      let frame: RelayFrame;
      try {
        frame = JSON.parse(String(data)) as RelayFrame;
      } catch {
        options.onProblem(`relay sent invalid JSON: ${String(data).slice(0, 100)}`);
        return;
      }
      if (typeof frame.id === 'string') options.onMessage(frame.id);
      else options.onProblem(`relay frame without id: ${String(data).slice(0, 100)}`);
    });
    const opened = new Promise<WebSocket>((resolve, reject) => {
      socket.once('open', () => resolve(socket));
      socket.once('error', (error) => reject(new Error(`relay socket of ${user.id} failed: ${error.message}`)));
    });
    return withDeadline(opened, options.timeoutMs, `relay connect of ${user.id}`);
  }

  /** Sends a message to the socket's own user and waits until it comes back. */
  private echo(socket: WebSocket, user: TargetUser, timeoutMs: number): Promise<void> {
    const key = `echo-${user.id}-${Math.random()}`;
    const returned = new Promise<void>((resolve) => {
      const listener = (data: WebSocket.RawData) => {
        if (!String(data).includes(key)) return;
        socket.off('message', listener);
        resolve();
      };
      socket.on('message', listener);
    });
    socket.send(JSON.stringify({ to: user.id, id: key, body: '' }));
    return withDeadline(returned, timeoutMs, `relay echo of ${user.id}`);
  }

  private connection(socket: WebSocket): Connection {
    return {
      send: (message) => socket.send(message.wire),
      close: () =>
        new Promise((resolve) => {
          if (socket.readyState === WebSocket.CLOSED) return resolve();
          socket.once('close', () => resolve());
          socket.close();
        }),
      drop: () => socket.terminate(),
    };
  }
}
