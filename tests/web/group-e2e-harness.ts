// Group members' devices for sender-key tests: each device runs the real
// EndToEnd, crypto store and account database on fake-indexeddb, with the
// 1:1 key directory and inboxes of e2e-harness.ts. Flushing a device's outbox
// seals every entry, routes it, applies the ack and hands the inbox events to
// the recipient's devices and the sender's other devices, one flush at a
// time, as the socket client and the edge do. Group messages are built the
// way the edge stores them.

import type { InboxEvent } from '../../protocol/frames';
import type { GroupChange, GroupMessage } from '../../protocol/groups';
import { EndToEnd } from '../../web/app/e2e/end-to-end';
import { DistributionPendingError } from '../../web/app/e2e/group-send';
import { applyAck } from '../../web/app/store/apply-events';
import type { OutboxEntry, ReceivedContent } from '../../web/app/store/db';
import { createInboxStore } from '../../web/app/store/inbox-store';
import { listOutbox } from '../../web/app/store/outbox';
import { FakeKeyServer, openBrowser, type Browser } from './e2e-harness';

export interface Device {
  userId: string;
  browser: Browser;
  e2e: EndToEnd;
}

/** Far above any seq the key server's inboxes reach, so opening never skips these events as already stored. */
const GROUP_EVENT_SEQ = 1_000_000;

export class GroupWorld {
  readonly server = new FakeKeyServer();
  readonly devices: Device[] = [];
  /** Every outbox entry a flush sent, in order. */
  readonly sent: OutboxEntry[] = [];
  private readonly members = new Map<string, Set<string>>();
  private flushes: Promise<void> = Promise.resolve();
  private nextMessage = 1;

  /** Signs in a new device of `userId`. */
  async device(userId: string): Promise<Device> {
    const browser = await openBrowser(userId);
    const device: Device = { userId, browser, e2e: undefined as unknown as EndToEnd };
    device.e2e = new EndToEnd({
      me: userId,
      store: browser.store,
      db: browser.db,
      directory: this.server.directoryFor(userId, browser.own),
      withLock: browser.locks,
      changed: () => undefined,
      flush: () => void this.flush(device),
      groupMembers: async (groupId) => [...(this.members.get(groupId) ?? [])],
    });
    await device.e2e.prepare();
    this.devices.push(device);
    return device;
  }

  setMembers(groupId: string, userIds: string[]): void {
    this.members.set(groupId, new Set(userIds));
  }

  /**
   * Encrypts a text on `device` as the outbox flush does: when the call
   * queued key distributions, the next flush sends them and the call is
   * made again. Returns the message as the group log stores it.
   */
  async send(device: Device, groupId: string, text: string): Promise<GroupMessage> {
    const content = await device.e2e.sealGroupText(groupId, text).catch(async (error: unknown) => {
      if (!(error instanceof DistributionPendingError)) throw error;
      await this.flushes;
      return device.e2e.sealGroupText(groupId, text);
    });
    const n = this.nextMessage++;
    return { id: `gm-${n}`, groupId, from: device.userId, cid: `cid-group-${n}`, content, groupSeq: n, ts: 1_700_000_000_000 + n };
  }

  /** Opens one group message on `device` and returns what it shows, or undefined when it shows nothing. */
  async open(device: Device, message: GroupMessage): Promise<ReceivedContent | undefined> {
    return (await device.e2e.openGroupMessages([message])).get(message.id);
  }

  /** Passes a group change to `device` as its inbox delivers it. */
  async change(device: Device, groupId: string, change: GroupChange): Promise<void> {
    const event: InboxEvent = { kind: 'group', seq: GROUP_EVENT_SEQ, ts: 1_700_000_000_000, groupId, change };
    await device.e2e.open([event]);
  }

  /** Resolves when every flush asked for so far has finished. */
  settled(): Promise<void> {
    return this.flushes;
  }

  /** Sends the device's outbox, after any flush already running. */
  private flush(device: Device): Promise<void> {
    this.flushes = this.flushes.then(() => this.sendOutbox(device));
    return this.flushes;
  }

  private async sendOutbox(device: Device): Promise<void> {
    for (const entry of await listOutbox(device.browser.db)) {
      const sealed = await device.e2e.seal(entry);
      if (!sealed.ok) throw new Error(`sealing ${entry.cid} failed with ${sealed.failure.code}`);

      const { sender, recipient } = this.server.route(device.userId, entry.to, entry.cid, sealed.envelope);
      if (sender.kind !== 'message') throw new Error('routing stored another kind of event');
      await applyAck(device.browser.db, {
        type: 'ack',
        cid: entry.cid,
        messageId: sender.message.id,
        conversationId: sender.message.conversationId,
        seq: sender.seq,
        ts: sender.message.ts,
      });
      this.sent.push(entry);

      for (const other of this.devices) {
        if (other === device) continue;
        if (other.userId === device.userId) await receive(other, sender);
        else if (recipient && other.userId === entry.to) await receive(other, recipient);
      }
    }
  }
}

async function receive(device: Device, event: InboxEvent): Promise<void> {
  await createInboxStore(device.browser.db, device.userId, () => undefined, device.e2e).applyEvents([event]);
}
