// Several browser devices against an in-memory key directory and inbox
// router that keep the edge's rules: bundles hand out each one-time prekey
// once, every user's inbox numbers its events, and an envelope reaches every
// device it names. Each device runs the real EndToEnd, crypto store and
// account database on fake-indexeddb.

import type { DeviceIdentity, RegisterDeviceRequest, RegisterDeviceResponse } from '../../protocol/devices';
import type { Envelope, IdentityKeysWire, PublicPreKeyWire } from '../../protocol/envelope';
import { directConversationId, type InboxEvent } from '../../protocol/frames';
import { openSessionStore, type IndexedDbCryptoStore } from '../../web/app/crypto/session-store';
import { EndToEnd } from '../../web/app/e2e/end-to-end';
import type { ClaimedBundle, KeyDirectory } from '../../web/app/e2e/key-directory';
import { ApiError } from '../../web/app/net/http';
import type { LockRunner } from '../../web/app/net/socket-io';
import { openFeigeDb, type FeigeDb } from '../../web/app/store/db';
import { applyAck } from '../../web/app/store/apply-events';
import { createInboxStore } from '../../web/app/store/inbox-store';
import { listOutbox, queueMessage } from '../../web/app/store/outbox';
import { FakeLocks } from './helpers';

interface ServerDevice {
  deviceId: string;
  userId: string;
  identity: IdentityKeysWire;
  signedPreKey: PublicPreKeyWire;
  oneTimePreKeys: PublicPreKeyWire[];
  active: boolean;
}

export class FakeKeyServer {
  readonly devices: ServerDevice[] = [];
  private readonly inboxes = new Map<string, InboxEvent[]>();
  private nextDevice = 1;
  private nextMessage = 1;

  /** The directory as one session of `userId` calls it; `own` names that session's device once registered. */
  directoryFor(userId: string, own: { deviceId: string | null }): KeyDirectory {
    return {
      registerDevice: async (request) => this.register(userId, own, request),
      listDevices: async (user) => this.active(user).map(toIdentity),
      claimBundles: async (userIds, deviceIds) => this.claim(userIds, deviceIds, own.deviceId),
      countPreKeys: async () => this.require(own.deviceId).oneTimePreKeys.length,
      uploadPreKeys: async (keys) => {
        const device = this.require(own.deviceId);
        device.oneTimePreKeys.push(...keys);
        return device.oneTimePreKeys.length;
      },
    };
  }

  /** Signs a device out: it leaves its user's active list, as after a revoked session. */
  signOut(deviceId: string): void {
    this.require(deviceId).active = false;
  }

  /** Stores a message in the sender's and the recipient's inbox and returns both events. */
  route(from: string, to: string, cid: string, envelope: Envelope): { sender: InboxEvent; recipient: InboxEvent | null } {
    const message = {
      id: `m-${this.nextMessage++}`,
      conversationId: directConversationId(from, to),
      from,
      to,
      cid,
      content: { type: 'e2e' as const, envelope },
      ts: 1_700_000_000_000 + this.nextMessage,
    };
    const sender = this.append(from, message);
    const recipient = from === to ? null : this.append(to, message);
    return { sender, recipient };
  }

  /** Events of `userId`'s inbox after `after`, as a sync page returns them. */
  inbox(userId: string, after = 0): InboxEvent[] {
    return (this.inboxes.get(userId) ?? []).filter((event) => event.seq > after);
  }

  private append(userId: string, message: Extract<InboxEvent, { kind: 'message' }>['message']): InboxEvent {
    const inbox = this.inboxes.get(userId) ?? [];
    const event: InboxEvent = { kind: 'message', seq: inbox.length + 1, ts: message.ts, message };
    inbox.push(event);
    this.inboxes.set(userId, inbox);
    return event;
  }

  private register(userId: string, own: { deviceId: string | null }, request: RegisterDeviceRequest): RegisterDeviceResponse {
    if (request.deviceId !== undefined) {
      const known = this.devices.find((device) => device.deviceId === request.deviceId && device.userId === userId);
      if (!known) throw new ApiError(404, { code: 'not_found' });
      known.active = true;
      known.signedPreKey = request.signedPreKey;
      own.deviceId = known.deviceId;
      return { deviceId: known.deviceId, oneTimePreKeyCount: known.oneTimePreKeys.length };
    }

    const device: ServerDevice = {
      deviceId: `device-${this.nextDevice++}`,
      userId,
      identity: request.identity,
      signedPreKey: request.signedPreKey,
      oneTimePreKeys: [...(request.oneTimePreKeys ?? [])],
      active: true,
    };
    this.devices.push(device);
    own.deviceId = device.deviceId;
    return { deviceId: device.deviceId, oneTimePreKeyCount: device.oneTimePreKeys.length };
  }

  private claim(userIds: string[], deviceIds: string[], caller: string | null): ClaimedBundle[] {
    return this.devices
      .filter((device) => device.active && userIds.includes(device.userId) && device.deviceId !== caller)
      .filter((device) => deviceIds.includes(device.deviceId))
      .map((device) => {
        const oneTimePreKey = device.oneTimePreKeys.shift();
        const bundle = { identity: device.identity, signedPreKey: device.signedPreKey, ...(oneTimePreKey ? { oneTimePreKey } : {}) };
        return { userId: device.userId, deviceId: device.deviceId, bundle };
      });
  }

  private active(userId: string): ServerDevice[] {
    return this.devices.filter((device) => device.active && device.userId === userId);
  }

  private require(deviceId: string | null): ServerDevice {
    const device = this.devices.find((candidate) => candidate.deviceId === deviceId);
    if (!device) throw new ApiError(403, { code: 'device_not_registered' });
    return device;
  }
}

function toIdentity(device: ServerDevice): DeviceIdentity {
  return { deviceId: device.deviceId, identity: device.identity };
}

let browserCount = 0;

/** One browser profile: its account database, crypto store and Web Locks, shared by its tabs. */
export interface Browser {
  userId: string;
  db: FeigeDb;
  store: IndexedDbCryptoStore;
  locks: LockRunner;
  own: { deviceId: string | null };
}

export async function openBrowser(userId: string): Promise<Browser> {
  browserCount++;
  const db = await openFeigeDb(`${userId}-browser-${browserCount}`);
  const store = await openSessionStore(`feige-crypto-${userId}-browser-${browserCount}`);
  return { userId, db, store, locks: new FakeLocks().run, own: { deviceId: null } };
}

/** One tab of a browser: its own EndToEnd over the browser's shared databases. */
export interface Tab {
  browser: Browser;
  e2e: EndToEnd;
  flushes: number;
  /** Applies events the way the socket client does: decrypt, store, then drop receipts and start repairs. */
  receive(events: readonly InboxEvent[]): Promise<void>;
}

export function openTab(browser: Browser, server: FakeKeyServer): Tab {
  const tab: Tab = {
    browser,
    e2e: undefined as unknown as EndToEnd,
    flushes: 0,
    receive: async (events) => {
      await createInboxStore(browser.db, browser.userId, () => undefined, tab.e2e).applyEvents(events);
    },
  };
  tab.e2e = new EndToEnd({
    me: browser.userId,
    store: browser.store,
    db: browser.db,
    directory: server.directoryFor(browser.userId, browser.own),
    withLock: browser.locks,
    changed: () => undefined,
    flush: () => tab.flushes++,
  });
  return tab;
}

/** Opens a browser with one tab and registers its device. */
export async function signedInDevice(userId: string, server: FakeKeyServer): Promise<Tab> {
  const tab = openTab(await openBrowser(userId), server);
  await tab.e2e.prepare();
  return tab;
}

/** Queues a text in the tab's outbox and returns its cid. */
export async function queueText(tab: Tab, to: string, text: string): Promise<string> {
  const cid = crypto.randomUUID();
  await queueMessage(tab.browser.db, {
    cid,
    from: tab.browser.userId,
    to,
    conversationId: directConversationId(tab.browser.userId, to),
    content: { type: 'text', text },
    createdAt: Date.now(),
  });
  return cid;
}

/** Queues a text and sends it; returns the events for both users. */
export async function sendText(tab: Tab, to: string, text: string, server: FakeKeyServer) {
  return sendQueued(tab, await queueText(tab, to, text), server);
}

/** Seals one queued outbox entry as the outbox flush does, without sending it. */
export async function sealQueued(tab: Tab, cid: string): Promise<Envelope> {
  const entry = (await listOutbox(tab.browser.db)).find((candidate) => candidate.cid === cid);
  if (!entry) throw new Error(`no outbox entry ${cid}`);

  const sealed = await tab.e2e.seal(entry);
  if (!sealed.ok) throw new Error(`sealing failed with ${sealed.failure.code}`);
  return sealed.envelope;
}

/** Seals one queued outbox entry, routes it and applies the ack, as a send over the socket does. */
export async function sendQueued(tab: Tab, cid: string, server: FakeKeyServer) {
  const entry = (await listOutbox(tab.browser.db)).find((candidate) => candidate.cid === cid);
  if (!entry) throw new Error(`no outbox entry ${cid}`);
  const envelope = await sealQueued(tab, cid);
  const routed = server.route(tab.browser.userId, entry.to, cid, envelope);

  const { sender } = routed;
  if (sender.kind !== 'message') throw new Error('routing stored another kind of event');
  const message = sender.message;
  await applyAck(tab.browser.db, {
    type: 'ack',
    cid,
    messageId: message.id,
    conversationId: message.conversationId,
    seq: sender.seq,
    ts: message.ts,
  });
  return { cid, envelope, ...routed };
}
