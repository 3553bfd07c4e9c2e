// The floor of the message path inside workerd: a minimal Worker that keeps
// what Feige's 1:1 path must do and nothing else. Each user has an
// SQLite-backed Durable Object that holds the user's sockets with the
// hibernation API. A frame of messages makes one event in the sender's
// object, one RPC per recipient, which stores the messages in one commit and
// pushes them as one frame, and then the sender's own rows in one commit,
// after which the sender gets one ack frame. No authentication, validation,
// D1 or encryption. The bench runs it as the target "workerd (floor)", so
// that each Feige figure has the runtime's own cost beside it.
//
// Frames, client -> object: an array of {"to": USER, "id": ID, "body": TEXT}.
// Object -> recipient: the same array, filtered to that recipient.
// Object -> sender: {"acks": [ID, ...]} once both copies are stored.

import { DurableObject } from 'cloudflare:workers';

interface Env {
  FLOOR_USER: DurableObjectNamespace<FloorUser>;
}

/** One message on the wire and in storage. */
interface FloorMessage {
  to: string;
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
    const messages = JSON.parse(String(data)) as FloorMessage[];

    const byRecipient = new Map<string, FloorMessage[]>();
    for (const message of messages) {
      const list = byRecipient.get(message.to) ?? [];
      list.push(message);
      byRecipient.set(message.to, list);
    }
    await Promise.all(
      [...byRecipient].map(([to, list]) => this.env.FLOOR_USER.get(this.env.FLOOR_USER.idFromName(to)).deliver(list)),
    );

    this.store(messages);
    ws.send(JSON.stringify({ acks: messages.map((message) => message.id) }));
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
