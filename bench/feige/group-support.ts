// Groups on Feige for the fan-out workload: one group built through the HTTP
// API, then every member online the way the PWA is for that group's delivery
// mode. In an `inbox` group a member gets the message as an inbox event on
// its /ws socket. In a `pull` group it gets it on its group socket
// (GET /api/v1/groups/:groupId/socket), which the group's object writes to
// directly. The sender sends `group.send` on its /ws socket.

import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import { API_PREFIX } from '../../protocol/api';
import { BEARER_SUBPROTOCOL_PREFIX, PROTOCOL_SUBPROTOCOL, type ClientGroupSendFrame } from '../../protocol/frames';
import type { GroupInfo, GroupMessageContent } from '../../protocol/groups';
import { groupInfoSchema } from '../../web/app/net/groups-schemas';
import { GROUP_MEMBERS_MAX, GROUP_MEMBERS_MIN } from '../../protocol/limits';
import { withDeadline } from '../system/deadline';
import type { ConnectOptions, Connection, GroupSupport, TargetUser } from '../targets/target';
import { DeferredFrameCheck, quickMessageCid, readMessageCid, type SocketKind } from './group-frames';
import { mapConcurrent } from './users';

/** Invitations in flight while a group is built; each one writes the D1 directory. */
const INVITE_CONCURRENCY = 8;
const CONNECT_CONCURRENCY = 32;
/** Makes every cid at least CID_MIN_LENGTH long whatever the workload's key. */
const CID_PREFIX = 'fanout-';
/** Bytes of the stand-in sender-key ciphertext, about what a short encrypted text takes. */
const CIPHERTEXT_BYTES = 96;

type MemberOptions = ConnectOptions & { onMemberMessage(receiverIndex: number, key: string): void };

export function feigeGroupSupport(origin: () => string, tokenOf: (user: TargetUser) => string): GroupSupport {
  return {
    maxMembers: GROUP_MEMBERS_MAX,
    prepareGroup: (name, members, receivers, options) => prepareGroup(origin(), tokenOf, name, members, receivers, options),
  };
}

async function prepareGroup(
  origin: string,
  tokenOf: (user: TargetUser) => string,
  name: string,
  members: TargetUser[],
  receivers: number,
  options: MemberOptions,
) {
  const [owner, ...others] = members;
  if (!owner) throw new Error('a group needs at least its owner');
  const ownerToken = tokenOf(owner);
  const created = await callApi(origin, ownerToken, 'POST', '/groups', {
    name,
    memberLimit: Math.max(members.length, GROUP_MEMBERS_MIN),
    joinPolicy: 'invite_only',
  });
  if (others.length === 0 && receivers > 0) throw new Error(`${receivers} receivers need at least one member besides the sender`);
  const parsed = groupInfoSchema.safeParse(created);
  if (!parsed.success) throw new Error(`POST /groups returned an unexpected body: ${JSON.stringify(created).slice(0, 300)}`);
  const group = parsed.data;
  await mapConcurrent(others.length, INVITE_CONCURRENCY, (i) =>
    callApi(origin, ownerToken, 'POST', `/groups/${group.id}/invitations`, { userId: others[i]!.id }),
  );

  let warmUp: { cid: string; waiting: Set<number>; done(): void } | undefined;
  const receive = (socketIndex: number, cid: string) => {
    if (warmUp?.cid === cid) {
      warmUp.waiting.delete(socketIndex);
      if (warmUp.waiting.size === 0) warmUp.done();
      return;
    }
    if (cid.startsWith(CID_PREFIX)) options.onMemberMessage(socketIndex, cid.slice(CID_PREFIX.length));
  };

  const deferred = new DeferredFrameCheck(group.id, options.onProblem);
  // Socket 0 is the sender's; receiving socket r belongs to member 1 + (r - 1) % others.length.
  const sockets = await mapConcurrent(receivers + 1, CONNECT_CONCURRENCY, (i) => {
    const member = i === 0 ? owner : others[(i - 1) % others.length]!;
    const token = tokenOf(member);
    // The sender is on /ws in either mode, because `group.send` travels there.
    const kind = i === 0 || group.delivery === 'inbox' ? 'user' : 'group';
    return openMemberSocket(origin, token, kind, group.id, (cid) => receive(i, cid), options, deferred);
  });
  const sendFrom = (senderIndex: number, cid: string) => {
    if (senderIndex !== 0 && group.delivery === 'pull') throw new Error(`member ${senderIndex} has no /ws socket: in a pull group only member 0 sends`);
    const frame: ClientGroupSendFrame = { type: 'group.send', cid, groupId: group.id, content: contentFor(group, cid) };
    sockets[senderIndex]!.send(JSON.stringify(frame));
  };

  // The warm-up drains what the joins left queued: in an `inbox` group every join fans out to every member.
  const warmedUp = new Promise<void>((resolve) => {
    const waiting = new Set(Array.from({ length: receivers }, (_, i) => i + 1));
    warmUp = { cid: `warm-up-${randomBytes(6).toString('hex')}`, waiting, done: resolve };
  });
  if (receivers > 0) {
    sendFrom(0, warmUp!.cid);
    await withDeadline(warmedUp, options.timeoutMs, `warm-up message to ${receivers} group sockets`);
  }
  warmUp = undefined;
  deferred.run();

  return {
    connections: sockets.map(connectionOf),
    send: (senderIndex: number, key: string) => sendFrom(senderIndex, CID_PREFIX + key),
    checkReceived: () => deferred.run(),
  };
}

/**
 * Groups up to GROUP_E2E_MEMBERS_MAX take only sender-key ciphertext, which
 * the edge stores and forwards without reading; random bytes stand in for it.
 */
function contentFor(group: GroupInfo, cid: string): GroupMessageContent {
  if (group.encryption !== 'end_to_end') return { type: 'text', text: cid };
  return { type: 'group_e2e', senderDevice: 'bench-device', keyId: 0, iteration: 0, ciphertext: randomBytes(CIPHERTEXT_BYTES).toString('base64url') };
}

/**
 * Opens a receiving socket: /ws for `user` (which reports each group
 * message among its inbox events) or the group socket for `group` (which
 * reports each message entry). Message frames are counted at once and
 * checked by `deferred` later; any other frame is checked on arrival.
 */
function openMemberSocket(
  origin: string,
  token: string,
  kind: SocketKind,
  groupId: string,
  onMessage: (cid: string) => void,
  options: MemberOptions,
  deferred: DeferredFrameCheck,
): Promise<WebSocket> {
  const wsOrigin = origin.replace(/^http/, 'ws');
  const url = kind === 'user' ? `${wsOrigin}/ws` : `${wsOrigin}${API_PREFIX}/groups/${groupId}/socket`;
  return openChecked(url, token, kind === 'user' ? 'welcome' : 'group.welcome', options, (text) => {
    const quick = quickMessageCid(text, kind);
    if (quick !== undefined) {
      onMessage(quick);
      deferred.add(text, kind, quick);
      return;
    }
    const cid = readMessageCid(text, kind, groupId, options.onProblem);
    if (cid !== undefined) onMessage(cid);
  });
}

/** Opens a socket, resolves after its first frame is `welcomeType`, then hands the text of every later frame to `onFrame`. */
function openChecked(url: string, token: string, welcomeType: string, options: MemberOptions, onFrame: (text: string) => void): Promise<WebSocket> {
  const socket = new WebSocket(url, [PROTOCOL_SUBPROTOCOL, `${BEARER_SUBPROTOCOL_PREFIX}${token}`], { perMessageDeflate: false });
  const opened = new Promise<WebSocket>((resolve, reject) => {
    socket.once('error', (error) => reject(new Error(`socket to ${url} failed: ${error.message}`)));
    socket.once('close', (code) => reject(new Error(`socket to ${url} closed with code ${code} before ${welcomeType}`)));
    socket.once('message', (first) => {
      const welcome = parseJson(first);
      if (typeof welcome !== 'object' || welcome === null || !('type' in welcome) || welcome.type !== welcomeType) {
        reject(new Error(`first frame from ${url} is not ${welcomeType}: ${String(first).slice(0, 200)}`));
        return;
      }
      socket.removeAllListeners('error');
      socket.removeAllListeners('close');
      socket.on('error', (error) => options.onProblem(`socket error: ${error.message}`));
      socket.on('message', (data) => onFrame(String(data)));
      resolve(socket);
    });
  });
  return withDeadline(opened, options.timeoutMs, `opening ${url}`);
}

function connectionOf(socket: WebSocket): Connection {
  return {
    send: (message) => socket.send(message.wire),
    close: () =>
      new Promise<void>((resolve) => {
        if (socket.readyState === WebSocket.CLOSED) return resolve();
        socket.once('close', () => resolve());
        socket.close(1000);
      }),
    drop: () => socket.terminate(),
  };
}

async function callApi(origin: string, token: string, method: string, path: string, body: unknown): Promise<unknown> {
  const response = await fetch(`${origin}${API_PREFIX}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${API_PREFIX}${path} failed with HTTP ${response.status}: ${text.slice(0, 300)}`);
  return text === '' ? undefined : JSON.parse(text);
}

function parseJson(data: WebSocket.RawData): unknown {
  try {
    return JSON.parse(String(data));
  } catch {
    return undefined;
  }
}
