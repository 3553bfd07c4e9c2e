// One Durable Object per group, addressed by `idFromName(groupId)`. It stores
// the members with their roles, the settings, the applications and the
// group's ordered log in SQLite. The operations live in the modules beside
// this file; this class runs them, keeps the D1 directory in step and drains
// the fan-out queue from its alarm. It also holds the members' group sockets
// and pushes each new log entry to them (group-live.ts).
//
// Every operation reads and writes SQLite without awaiting in between, so
// membership changes and sends are serialized: once a removal returns, no
// send from the removed member is accepted.

import { DurableObject } from 'cloudflare:workers';
import {
  PING_FRAME,
  PONG_FRAME,
  type ClientGroupSendFrame,
  type ServerErrorFrame,
  type ServerGroupAckFrame,
  type ServerGroupPageFrame,
} from '../../protocol/frames';
import type { GroupApplication, GroupInfo, GroupInfoFields, GroupMember, JoinResult } from '../../protocol/groups';
import { openDatabase } from '../db/client';
import { deleteDirectory, writeDirectory } from '../db/groups';
import type { Env } from '../env';
import { createLogger, parseLogLevel, type Logger } from '../log';
import * as admin from './group-admin';
import { GroupApplications } from './group-applications';
import { liveSettings, success, type GroupCore, type GroupResult } from './group-core';
import { runFanout } from './group-fanout';
import { answerGroupSocketFrame, GroupLive } from './group-live';
import { GroupLog } from './group-log';
import * as membership from './group-membership';
import { readGroupLog, sendGroupMessage } from './group-messages';
import { GroupQueue } from './group-queue';
import { GroupSockets, rejectedGroupSocket, sendGroupFrame } from './group-sockets';
import { GroupState, type MemberPosition } from './group-state';
import { USER_ID_HEADER, userObject } from './user-object';

/** Close codes that a peer may report but an endpoint must not send (RFC 6455 section 7.4.1). */
const RESERVED_CLOSE_CODES = new Set([1005, 1006, 1015]);

/** Membership changes of one call, for the D1 directory. */
interface MembershipDelta {
  added?: string[];
  removed?: string[];
}

export class GroupDO extends DurableObject<Env> {
  private readonly core: GroupCore;
  private readonly live: GroupLive;
  private readonly sockets: GroupSockets;
  private readonly log: Logger;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    const sql = ctx.storage.sql;
    this.core = {
      state: new GroupState(sql),
      log: new GroupLog(sql),
      queue: new GroupQueue(sql),
      applications: new GroupApplications(sql),
    };
    this.sockets = new GroupSockets(ctx);
    this.live = new GroupLive(this.core.log, this.sockets);
    this.log = createLogger('group-do', parseLogLevel(env.LOG_LEVEL));
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(PING_FRAME, PONG_FRAME));
  }

  /** Accepts a group socket upgrade that the Worker authenticated, for a current member only. */
  async fetch(request: Request): Promise<Response> {
    const userId = request.headers.get(USER_ID_HEADER);
    if (request.headers.get('Upgrade')?.toLowerCase() !== 'websocket' || !userId) {
      return new Response('GroupDO accepts only WebSocket upgrades forwarded by the Worker.', { status: 400 });
    }

    const settings = liveSettings(this.core);
    if (!settings.ok) return rejectedGroupSocket('not_found', settings.failure.message);
    if (!this.core.state.member(userId)) return rejectedGroupSocket('not_a_member', 'You are not a member of this group.');
    return this.live.accept(userId, settings.value.id);
  }

  async webSocketMessage(ws: WebSocket, data: string | ArrayBuffer): Promise<void> {
    const attachment = this.sockets.attachment(ws);
    if (!attachment) {
      this.log.error('closing a group socket without a valid attachment');
      ws.close(1011, 'internal error');
      return;
    }
    sendGroupFrame(ws, answerGroupSocketFrame(this.core, attachment, data));
  }

  async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    this.log.debug('group socket closed by client', { ...this.sockets.attachment(ws), code, reason });
    this.sockets.forget(ws);
    if (ws.readyState === WebSocket.CLOSED) return;
    ws.close(RESERVED_CLOSE_CODES.has(code) ? 1000 : code, 'closed by client');
  }

  async webSocketError(ws: WebSocket, error: unknown): Promise<void> {
    this.log.warn('group socket error', { ...this.sockets.attachment(ws), error });
    this.sockets.forget(ws);
  }

  async create(input: admin.CreateInput): Promise<GroupResult<GroupInfo>> {
    const result = admin.create(this.core, input, Date.now());
    return this.settle(result, { added: [input.ownerId] });
  }

  async info(userId: string): Promise<GroupResult<GroupInfo>> {
    return admin.info(this.core, userId);
  }

  async update(userId: string, fields: GroupInfoFields): Promise<GroupResult<GroupInfo>> {
    return this.settle(admin.update(this.core, userId, fields, Date.now()), {});
  }

  async apply(userId: string, message: string): Promise<GroupResult<JoinResult>> {
    const result = membership.apply(this.core, userId, message, Date.now());
    return this.settle(result, joinedDelta(result, userId));
  }

  async invite(inviterId: string, inviteeId: string): Promise<GroupResult<JoinResult>> {
    const result = membership.invite(this.core, inviterId, inviteeId, Date.now());
    return this.settle(result, joinedDelta(result, inviteeId));
  }

  async decide(adminId: string, applicationId: string, approved: boolean): Promise<GroupResult<void>> {
    const applicant = this.core.applications.find(applicationId)?.applicantId;
    const wasMember = applicant ? this.core.state.member(applicant) !== undefined : true;
    const result = membership.decide(this.core, adminId, applicationId, approved, Date.now());
    const added = applicant && !wasMember && this.core.state.member(applicant) ? [applicant] : [];
    return this.settle(result, { added });
  }

  async applications(adminId: string): Promise<GroupResult<GroupApplication[]>> {
    return membership.listApplications(this.core, adminId);
  }

  async leave(userId: string): Promise<GroupResult<void>> {
    return this.settle(membership.leave(this.core, userId, Date.now()), { removed: [userId] });
  }

  async kick(actorId: string, targetId: string): Promise<GroupResult<void>> {
    return this.settle(membership.kick(this.core, actorId, targetId, Date.now()), { removed: [targetId] });
  }

  async setAdmin(ownerId: string, targetId: string, isAdmin: boolean): Promise<GroupResult<void>> {
    return this.settle(admin.setAdmin(this.core, ownerId, targetId, isAdmin, Date.now()), {});
  }

  async transferOwnership(ownerId: string, targetId: string): Promise<GroupResult<void>> {
    return this.settle(admin.transferOwnership(this.core, ownerId, targetId, Date.now()), {});
  }

  async dissolve(ownerId: string): Promise<GroupResult<void>> {
    const settings = this.core.state.settings();
    const result = admin.dissolve(this.core, ownerId, Date.now());
    if (!result.ok || !settings) return result.ok ? success(undefined) : result;

    this.live.publishDissolution(settings.id);
    await this.scheduleFanout();
    await deleteDirectory(openDatabase(this.env.DB), settings.id);
    this.log.info('group dissolved', { groupId: settings.id, members: result.value.length });
    return success(undefined);
  }

  async members(userId: string, after: MemberPosition | undefined, limit: number): Promise<GroupResult<{ members: GroupMember[]; next?: MemberPosition }>> {
    return admin.memberPage(this.core, userId, after, limit);
  }

  async setNickname(userId: string, nickname: string): Promise<GroupResult<void>> {
    return membership.setNickname(this.core, userId, nickname);
  }

  /** Runs a `group.send` forwarded by the sender's UserDO. */
  async send(userId: string, frame: ClientGroupSendFrame): Promise<ServerGroupAckFrame | ServerErrorFrame> {
    const reply = sendGroupMessage(this.core, userId, frame, Date.now());
    if (reply.type !== 'group.ack') return reply;

    this.live.publish(frame.groupId);
    await this.scheduleFanout();
    return reply;
  }

  /** Runs a `group.sync` forwarded by the member's UserDO. */
  async sync(userId: string, groupId: string, after: number, limit: number | undefined): Promise<ServerGroupPageFrame | ServerErrorFrame> {
    return readGroupLog(this.core, userId, groupId, after, limit);
  }

  /** Drains one batch of the fan-out queue and re-arms itself while jobs remain. A thrown error makes the runtime retry the alarm. */
  async alarm(): Promise<void> {
    const groupId = this.core.state.settings()?.id;
    if (!groupId) return;

    let more: boolean;
    try {
      more = await runFanout(this.core.state, this.core.queue, (userId, deliveries) =>
        userObject(this.env, userId).deliverGroupEvents(groupId, deliveries),
      );
    } catch (error) {
      this.log.error('group fan-out failed; the runtime retries the alarm', { groupId, error });
      throw error;
    }
    if (more) await this.ctx.storage.setAlarm(Date.now());
  }

  /**
   * Pushes a successful change's log entries to the group sockets and closes
   * removed members' sockets before the first await, so no other call runs in
   * between. Then it starts the fan-out and writes the D1 directory.
   */
  private async settle<T>(result: GroupResult<T>, delta: MembershipDelta): Promise<GroupResult<T>> {
    if (!result.ok) return result;

    const groupId = this.core.state.settings()?.id;
    if (groupId) this.live.publishRemoval(groupId, delta.removed ?? [], (userId) => this.core.state.member(userId) !== undefined);
    await this.scheduleFanout();
    await this.syncDirectory(delta);
    return result;
  }

  private async scheduleFanout(): Promise<void> {
    if (this.core.queue.isEmpty()) return;
    const current = await this.ctx.storage.getAlarm();
    if (current === null) await this.ctx.storage.setAlarm(Date.now());
  }

  /**
   * Rewrites the group's D1 row and the changed memberships. A failure is
   * logged and not raised, because GroupDO has already stored the change and the
   * next change writes the row again.
   */
  private async syncDirectory(delta: MembershipDelta): Promise<void> {
    const settings = this.core.state.settings();
    if (!settings || settings.dissolvedAt !== null) return;

    const added = (delta.added ?? []).flatMap((userId) => {
      const member = this.core.state.member(userId);
      return member ? [{ userId, joinedAt: member.joinedAt }] : [];
    });
    const removed = (delta.removed ?? []).filter((userId) => !this.core.state.member(userId));
    const group = {
      id: settings.id,
      name: settings.name,
      ownerId: settings.ownerId,
      memberCount: this.core.state.memberCount(),
      createdAt: settings.createdAt,
    };

    try {
      await writeDirectory(openDatabase(this.env.DB), { group, added, removed });
    } catch (error) {
      // TODO: a failed write leaves the D1 membership index stale until the member's next change.
      this.log.error('writing the group directory failed', { groupId: settings.id, error });
    }
  }
}

function joinedDelta(result: GroupResult<JoinResult>, userId: string): MembershipDelta {
  return result.ok && result.value.status === 'joined' ? { added: [userId] } : {};
}
