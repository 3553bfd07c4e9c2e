// One Durable Object per user. It owns the user's sockets (hibernation API),
// their inbox and the sessions revoked while a socket might still be opening.
// The logic lives in the modules beside this file, and this class only
// accepts, hibernates, wakes and routes.

import { DurableObject } from 'cloudflare:workers';
import {
  CLOSE_SESSION_REVOKED,
  PING_FRAME,
  PONG_FRAME,
  PROTOCOL_VERSION,
  type ChatMessage,
  type ClientGroupSendFrame,
  type ClientGroupSyncFrame,
  type ClientReadFrame,
  type ClientSyncFrame,
  type ServerEventFrame,
  type ServerKickedFrame,
} from '../../protocol/frames';
import { newId } from '../auth/tokens';
import type { Env } from '../env';
import { createLogger, parseLogLevel, type Logger } from '../log';
import { readPeerFacts } from '../relations/peer-facts';
import { openDatabase } from '../db/client';
import { areGroupMembers } from '../db/groups';
import { parseClientFrame } from './client-frames';
import { groupObject } from './group-object';
import { syncPageSize, type GroupDelivery, type RelationEvent } from './inbox-events';
import { InboxStore } from './inbox-store';
import { PeerCache, type PeerFacts } from './peer-cache';
import { RelationWatchers } from './relation-watchers';
import { RevokedSessions } from './revoked-sessions';
import { SendBatcher } from './send-batch';
import {
  readAttachment,
  rejectedSocketResponse,
  sendFrame,
  upgradeResponse,
  type SocketAttachment,
} from './sockets';
import { SESSION_ID_HEADER, USER_ID_HEADER, userObject } from './user-object';
import { UserSockets } from './user-sockets';

export type KickReason = ServerKickedFrame['reason'];

/** Close codes that a peer may report but an endpoint must not send (RFC 6455 section 7.4.1). */
const RESERVED_CLOSE_CODES = new Set([1005, 1006, 1015]);

export class UserDO extends DurableObject<Env> {
  private readonly inbox: InboxStore;
  private readonly revoked: RevokedSessions;
  private readonly log: Logger;
  private readonly watchers: RelationWatchers;
  private readonly sends: SendBatcher;
  private readonly sockets: UserSockets;
  /** Created by the first send, which tells this object whose it is. */
  private peers: PeerCache | undefined;
  /** Group sends run one at a time, so a user's group messages get group seqs in the order they were sent. */
  private sendQueue: Promise<void> = Promise.resolve();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.inbox = new InboxStore(ctx.storage.sql);
    this.revoked = new RevokedSessions(ctx.storage.sql);
    this.watchers = new RelationWatchers(ctx.storage.sql);
    this.log = createLogger('user-do', parseLogLevel(env.LOG_LEVEL));
    this.sockets = new UserSockets(ctx, this.revoked);
    this.sends = new SendBatcher({
      inbox: this.inbox,
      log: this.log,
      facts: (userId, peerId) => this.peerCache(userId).get(peerId),
      groupMembers: (groupId, userIds) => areGroupMembers(openDatabase(this.env.DB), groupId, userIds),
      deliverMany: (recipientId, messages) => userObject(this.env, recipientId).deliverMany(messages),
      openSockets: () => this.sockets.open(),
    });
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(PING_FRAME, PONG_FRAME));
  }

  /** Accepts a WebSocket upgrade that the Worker authenticated. */
  async fetch(request: Request): Promise<Response> {
    const userId = request.headers.get(USER_ID_HEADER);
    const sessionId = request.headers.get(SESSION_ID_HEADER);
    if (request.headers.get('Upgrade')?.toLowerCase() !== 'websocket' || !userId || !sessionId) {
      return new Response('UserDO accepts only WebSocket upgrades forwarded by the Worker.', { status: 400 });
    }

    const log = this.log.child({ userId, sessionId });
    if (this.revoked.has(sessionId)) {
      log.info('rejected the upgrade of a revoked session');
      return rejectedSocketResponse('This session was revoked; sign in again.');
    }

    const [client, server] = Object.values(new WebSocketPair());
    const attachment: SocketAttachment = { userId, sessionId, socketId: newId() };
    this.ctx.acceptWebSocket(server, [sessionId]);
    server.serializeAttachment(attachment);
    sendFrame(server, {
      type: 'welcome',
      v: PROTOCOL_VERSION,
      userId,
      sessionId,
      headSeq: this.inbox.headSeq(),
    });

    log.debug('socket opened', { socketId: attachment.socketId });
    return upgradeResponse(client);
  }

  async webSocketMessage(ws: WebSocket, data: string | ArrayBuffer): Promise<void> {
    const attachment = readAttachment(ws);
    if (!attachment) {
      this.log.error('closing a socket without a valid attachment');
      ws.close(1011, 'internal error');
      return;
    }
    if (this.revoked.has(attachment.sessionId)) {
      ws.close(CLOSE_SESSION_REVOKED, 'session revoked');
      return;
    }

    const log = this.log.child({ userId: attachment.userId, sessionId: attachment.sessionId });
    const parsed = parseClientFrame(data);
    if (!parsed.ok) {
      log.debug('rejected a client frame', { code: parsed.error.code, reason: parsed.error.message });
      sendFrame(ws, parsed.error);
      return;
    }

    const frame = parsed.frame;
    switch (frame.type) {
      case 'send':
        await this.sends.enqueue({ ws, attachment, frame, log });
        return;
      case 'sends':
        // All in this one event, so they share one batch: one storage commit and one deliverMany per recipient.
        await this.sends.enqueue(...frame.sends.map((send) => ({ ws, attachment, frame: send, log })));
        return;
      case 'sync':
        this.handleSync(ws, frame);
        return;
      case 'read':
        this.handleRead(ws, attachment, frame);
        return;
      case 'group.send': {
        // In the send queue, so a user's group messages get group seqs in the order they were sent.
        const run = this.sendQueue.then(() => this.handleGroupSend(ws, attachment, frame, log));
        this.sendQueue = run.catch(() => undefined);
        await run;
        return;
      }
      case 'group.sync':
        await this.handleGroupSync(ws, attachment, frame, log);
        return;
      default: {
        const unreachable: never = frame;
        throw new Error(`Unhandled client frame ${JSON.stringify(unreachable)}`);
      }
    }
  }

  async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    const attachment = readAttachment(ws);
    this.log.debug('socket closed by client', { ...attachment, code, reason });
    if (ws.readyState === WebSocket.CLOSED) return;

    // The socket is CLOSING here: the runtime (workerd 2026-03-10 with this
    // compatibility date) leaves the reply close frame to the object.
    ws.close(RESERVED_CLOSE_CODES.has(code) ? 1000 : code, 'closed by client');
  }

  async webSocketError(ws: WebSocket, error: unknown): Promise<void> {
    this.log.warn('socket error', { ...readAttachment(ws), error });
  }

  /**
   * Stores a message from another user in this inbox and pushes it to every
   * socket of this user. The sender's object calls it over RPC. A repeat with
   * the same (from, cid) stores nothing and pushes nothing.
   */
  async deliver(message: ChatMessage): Promise<void> {
    await this.deliverMany([message]);
  }

  /**
   * Stores several messages from other users, in the order given, in one
   * storage commit, and pushes the new ones to every socket of this user,
   * as one `batch` frame when there are two or more.
   */
  async deliverMany(messages: ChatMessage[]): Promise<void> {
    const now = Date.now();
    const frames: ServerEventFrame[] = [];
    for (const message of messages) {
      const event = this.inbox.appendMessageOnce(message, now);
      if (event) frames.push({ type: 'event', event });
    }
    this.sockets.broadcastBatch(frames);
    // TODO: send Web Push when no socket of this user is open, only if shouldNotify (protocol/notifications.ts) allows it.
  }

  /**
   * Records that `watcherId`'s object caches facts about this user for its
   * sends, so that `relationsChanged` reaches it.
   */
  async watchRelations(watcherId: string): Promise<void> {
    this.watchers.add(watcherId);
  }

  /**
   * A relation, setting, device or session of this user (`userId`) changed
   * in D1. Drops this object's cached peer facts and tells every watcher to
   * drop what it holds about this user. The Worker calls it after the D1 write.
   */
  async relationsChanged(userId: string): Promise<void> {
    this.peers?.clear();
    const results = await Promise.allSettled(this.watchers.list().map((watcherId) => userObject(this.env, watcherId).peerChanged(userId)));
    const failures = results.filter((result) => result.status === 'rejected').length;
    if (failures > 0) this.log.error('telling watchers of a relation change failed', { userId, failures });
  }

  /** `peerId`'s object reports a change of its relations, settings or devices. */
  async peerChanged(peerId: string): Promise<void> {
    this.peers?.forget(peerId);
  }

  /**
   * Appends a follow, friend or settings event to this inbox and pushes it to
   * every socket of this user. The Worker calls it over RPC after the D1
   * change the event reports.
   */
  async appendEvent(event: RelationEvent): Promise<void> {
    const stored = this.inbox.appendRelationEvent(event, Date.now());
    this.sockets.broadcast({ type: 'event', event: stored });
  }

  /**
   * Stores group events from a GroupDO in this inbox, in the order given, and
   * pushes the new ones to every socket of this user. A repeat of a (group,
   * key) pair stores and pushes nothing, so a retried fan-out is harmless.
   */
  async deliverGroupEvents(groupId: string, deliveries: GroupDelivery[]): Promise<void> {
    const appended = this.inbox.appendGroupEvents(groupId, deliveries, Date.now());
    for (const event of appended) this.sockets.broadcast({ type: 'event', event });
  }

  /**
   * Kicks the sockets of sessions that D1 already marks revoked, and remembers
   * the ids so that an upgrade still on its way is rejected. The Worker calls
   * it over RPC after the D1 write.
   */
  async revokeSessions(sessionIds: string[], reason: KickReason): Promise<void> {
    this.revoked.add(sessionIds, Date.now());

    for (const sessionId of sessionIds) {
      for (const ws of this.ctx.getWebSockets(sessionId)) {
        sendFrame(ws, { type: 'kicked', reason });
        ws.close(CLOSE_SESSION_REVOKED, reason);
      }
    }
    this.log.info('revoked sessions', { sessionIds, reason });
  }

  /**
   * Sends `prekeys.low` to the sockets of one session, whose device has
   * `remaining` one-time prekeys left. The Worker calls it over RPC after a
   * claim.
   */
  async notifyPreKeysLow(sessionId: string, remaining: number): Promise<void> {
    if (this.revoked.has(sessionId)) return;
    for (const ws of this.ctx.getWebSockets(sessionId)) sendFrame(ws, { type: 'prekeys.low', remaining });
  }

  private peerCache(userId: string): PeerCache {
    this.peers ??= new PeerCache({
      // relationsChanged of this user clears every entry here, so this user never watches itself.
      watch: async (peerId) => {
        if (peerId !== userId) await userObject(this.env, peerId).watchRelations(userId);
      },
      read: (peerId): Promise<PeerFacts> => readPeerFacts(this.env.DB, userId, peerId),
    });
    return this.peers;
  }

  /**
   * Forwards a group message to the group's object, which checks membership
   * and stores it, and answers with its `group.ack` or error. Group messages
   * reach this user's devices, the sending one included, through the group's
   * fan-out or `group.sync`.
   */
  private async handleGroupSend(ws: WebSocket, attachment: SocketAttachment, frame: ClientGroupSendFrame, log: Logger): Promise<void> {
    try {
      sendFrame(ws, await groupObject(this.env, frame.groupId).send(attachment.userId, frame));
    } catch (error) {
      log.error('group send failed', { groupId: frame.groupId, cid: frame.cid, error });
      sendFrame(ws, { type: 'error', code: 'internal', cid: frame.cid, message: 'Sending failed; resend with the same cid.' });
    }
  }

  private async handleGroupSync(ws: WebSocket, attachment: SocketAttachment, frame: ClientGroupSyncFrame, log: Logger): Promise<void> {
    try {
      sendFrame(ws, await groupObject(this.env, frame.groupId).sync(attachment.userId, frame.groupId, frame.after, frame.limit));
    } catch (error) {
      log.error('group sync failed', { groupId: frame.groupId, error });
      sendFrame(ws, { type: 'error', code: 'internal', message: 'Reading the group failed; try again.' });
    }
  }

  private handleSync(ws: WebSocket, frame: ClientSyncFrame): void {
    const page = this.inbox.readPage(frame.after, syncPageSize(frame.limit));
    sendFrame(ws, { type: 'sync.page', events: page.events, hasMore: page.hasMore, headSeq: this.inbox.headSeq() });
  }

  private handleRead(ws: WebSocket, attachment: SocketAttachment, frame: ClientReadFrame): void {
    const headSeq = this.inbox.headSeq();
    if (frame.readSeq > headSeq) {
      sendFrame(ws, {
        type: 'error',
        code: 'invalid_request',
        message: `readSeq ${frame.readSeq} is past the newest inbox seq ${headSeq}.`,
      });
      return;
    }

    const event = this.inbox.appendRead({ conversationId: frame.conversationId, readSeq: frame.readSeq }, Date.now());
    this.sockets.broadcast({ type: 'event', event }, attachment.socketId);
  }
}
