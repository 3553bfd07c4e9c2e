// The floor of the message path inside workerd: a minimal Worker that does
// what Feige's message path must do and nothing else. Each user has an
// SQLite-backed Durable Object that keeps the user's sockets with the
// hibernation API. A frame of messages makes one event in the sender's
// object and one RPC per recipient, which stores the messages in one commit
// and pushes them as one frame. Then the sender's object stores its own rows
// in one commit and sends one ack frame. No authentication, validation,
// D1 or encryption. The bench runs it as the target "workerd (floor)", so
// that each Feige figure has the runtime's own cost beside it.
//
// Groups take Feige's path for large groups: the group's object keeps each
// member's socket, and a message makes one RPC from the sender's object,
// one commit in the group's object and one send per socket, with the text
// serialized once.
//
// Sockets: /ws?user=USER (the user's own), /group?group=GROUP&user=USER.
// Frames, client -> user object: an array of {"to": USER, "id": ID, "body":
// TEXT} and {"group": GROUP, "id": ID, "body": TEXT}.
// Object -> recipient or group member: an array of such messages.
// Object -> sender: {"acks": [ID, ...]} once every copy is stored.

import { DurableObject } from 'cloudflare:workers';

interface Env {
  FLOOR_USER: DurableObjectNamespace<FloorUser>;
  FLOOR_GROUP: DurableObjectNamespace<FloorGroup>;
}

/** One 1:1 message on the wire and in storage. */
interface FloorMessage {
  to: string;
  id: string;
  body: string;
}

/** One group message on the wire and in storage. */
interface FloorGroupMessage {
  group: string;
  id: string;
  body: string;
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);
    // The bench finds the Worker's own workerd port by this path, as it does for Feige.
    if (url.pathname === '/api/v1/health') return new Response('ok');

    const user = url.searchParams.get('user');
    if (!user || request.headers.get('Upgrade') !== 'websocket') {
      return new Response('expected a WebSocket upgrade with ?user=', { status: 400 });
    }
    if (url.pathname === '/group') {
      const group = url.searchParams.get('group');
      if (!group) return new Response('expected ?group=', { status: 400 });
      return env.FLOOR_GROUP.get(env.FLOOR_GROUP.idFromName(group)).fetch(request);
    }
    return env.FLOOR_USER.get(env.FLOOR_USER.idFromName(user)).fetch(request);
  },
};

export class FloorUser extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.storage.sql.exec('CREATE TABLE IF NOT EXISTS messages (id TEXT PRIMARY KEY, peer TEXT NOT NULL, body TEXT NOT NULL, ts INTEGER NOT NULL)');
  }

  async fetch(request: Request): Promise<Response> {
    const user = new URL(request.url).searchParams.get('user')!;
    const [client, server] = Object.values(new WebSocketPair());
    this.ctx.acceptWebSocket(server!, [user]);
    return new Response(null, { status: 101, webSocket: client });
  }

  async webSocketMessage(ws: WebSocket, data: string | ArrayBuffer): Promise<void> {
    const frame = JSON.parse(String(data)) as (FloorMessage | FloorGroupMessage)[];
    const messages = frame.filter((item): item is FloorMessage => 'to' in item);
    const groupMessages = frame.filter((item): item is FloorGroupMessage => 'group' in item);

    const byRecipient = new Map<string, FloorMessage[]>();
    for (const message of messages) {
      const list = byRecipient.get(message.to) ?? [];
      list.push(message);
      byRecipient.set(message.to, list);
    }
    await Promise.all([
      ...[...byRecipient].map(([to, list]) => this.env.FLOOR_USER.get(this.env.FLOOR_USER.idFromName(to)).deliver(list)),
      ...groupMessages.map((message) => this.env.FLOOR_GROUP.get(this.env.FLOOR_GROUP.idFromName(message.group)).post(message)),
    ]);

    this.store(messages);
    ws.send(JSON.stringify({ acks: frame.map((item) => item.id) }));
  }

  /** Stores the messages in one commit and pushes them to every socket of this user. */
  async deliver(messages: FloorMessage[]): Promise<void> {
    this.store(messages);
    const text = JSON.stringify(messages);
    for (const ws of this.ctx.getWebSockets()) ws.send(text);
  }

  async webSocketClose(ws: WebSocket, code: number): Promise<void> {
    ws.close(code === 1005 ? 1000 : code);
  }

  private store(messages: FloorMessage[]): void {
    const ts = Date.now();
    for (const message of messages) {
      this.ctx.storage.sql.exec('INSERT OR IGNORE INTO messages (id, peer, body, ts) VALUES (?, ?, ?, ?)', message.id, message.to, message.body, ts);
    }
  }
}

export class FloorGroup extends DurableObject<Env> {
  /** The open member sockets, kept in memory as GroupDO keeps them, so that a message needs no socket list from the runtime. */
  private readonly sockets = new Set<WebSocket>();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.storage.sql.exec('CREATE TABLE IF NOT EXISTS messages (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, body TEXT NOT NULL, ts INTEGER NOT NULL)');
    for (const ws of ctx.getWebSockets()) this.sockets.add(ws);
  }

  async fetch(request: Request): Promise<Response> {
    const user = new URL(request.url).searchParams.get('user')!;
    const [client, server] = Object.values(new WebSocketPair());
    this.ctx.acceptWebSocket(server!, [user]);
    this.sockets.add(server!);
    return new Response(null, { status: 101, webSocket: client });
  }

  /** Stores the message in one commit and sends it to every member socket. The output gate keeps the sends back until the commit. */
  async post(message: FloorGroupMessage): Promise<void> {
    this.ctx.storage.sql.exec('INSERT OR IGNORE INTO messages (id, body, ts) VALUES (?, ?, ?)', message.id, message.body, Date.now());
    const text = JSON.stringify([message]);
    for (const ws of this.sockets) {
      try {
        ws.send(text);
      } catch {
        // Closed before its close event ran.
        this.sockets.delete(ws);
      }
    }
  }

  async webSocketClose(ws: WebSocket, code: number): Promise<void> {
    this.sockets.delete(ws);
    ws.close(code === 1005 ? 1000 : code);
  }

  async webSocketError(ws: WebSocket): Promise<void> {
    this.sockets.delete(ws);
  }
}
