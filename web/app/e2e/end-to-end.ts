// End-to-end encryption of one running account: this browser's device, the
// device lists of its contacts, sealing outbox entries, opening received
// messages, session repair, safety numbers and group sender keys. The socket
// client, the inbox store and group chat call it through their seams
// (SendCrypto, EventOpener, GroupCrypto).

import type { InboxEvent, UserDevices } from '../../../protocol/frames';
import type { DeviceIdentity } from '../../../protocol/devices';
import type { GroupMessage } from '../../../protocol/groups';
import type { ReceivedContent } from '../store/db';
import type { GroupCryptoStore } from '../crypto/sender-key-store';
import type { LockRunner, SealOutcome, SendCrypto } from '../net/socket-io';
import type { FeigeDb, OutboxEntry } from '../store/db';
import type { EventOpener } from '../store/inbox-store';
import { clearEnvelope, listOutbox, storeEnvelope } from '../store/outbox';
import { listAllMembers } from '../net/groups-api';
import { ensureDevice, topUpPreKeys } from './device-keys';
import type { GroupCrypto, GroupE2eContent } from './group-crypto';
import { openGroupMessage } from './group-open';
import { groupSendLockName, markSenderKeyStale, sealGroupText } from './group-send';
import { DeviceLists } from './device-lists';
import type { KeyDirectory } from './key-directory';
import { noteContactDevices } from './key-changes';
import type { DirectOpener } from './open-direct';
import { openEvents, type OpenedEvents, type SeenIdentity } from './open-events';
import { repairSession } from './repair';
import { conversationSafetyNumber } from './safety';
import { sealContent } from './seal';

export interface EndToEndOptions {
  me: string;
  store: GroupCryptoStore;
  db: FeigeDb;
  directory: KeyDirectory;
  withLock: LockRunner;
  /** Local data changed (a key-change notice was added); views reload. */
  changed(): void;
  /** A control message was queued; the outbox should be flushed. */
  flush(): void;
  /** User ids of a group's members; the group member routes when absent. */
  groupMembers?(groupId: string): Promise<string[]>;
  /** Opens received 1:1 messages off the page (decrypt-client.ts); without it they open on the page with `store`. */
  openDirect?: DirectOpener;
}

export class EndToEnd implements SendCrypto, EventOpener, GroupCrypto {
  readonly devices: DeviceLists;
  private deviceId: string | null = null;
  /** Member user ids per group, read once and dropped when a group change shows the list changed. */
  private readonly members = new Map<string, Promise<string[]>>();

  constructor(private readonly options: EndToEndOptions) {
    this.devices = new DeviceLists(options.directory, (userId, devices) => this.noteDevices(userId, devices));
  }

  async prepare(): Promise<void> {
    await this.options.withLock(this.deviceLockName(), async () => {
      this.deviceId = await ensureDevice(this.options.store, this.options.directory);
    });
  }

  async seal(entry: OutboxEntry): Promise<SealOutcome> {
    if (entry.envelope) return { ok: true, envelope: entry.envelope };

    const sealed = await sealContent(
      { ...this.options, ownDeviceId: this.requireDeviceId(), devices: this.devices },
      entry.to,
      entry.content,
    );
    if (sealed.ok) await storeEnvelope(this.options.db, entry.cid, sealed.envelope);
    return sealed;
  }

  async sealGroupText(groupId: string, text: string): Promise<GroupE2eContent> {
    const context = {
      ...this.options,
      ownDeviceId: this.requireDeviceId(),
      devices: this.devices,
      groupMembers: (id: string) => this.groupMembers(id),
    };

    let sealed: GroupE2eContent | undefined;
    await this.options.withLock(groupSendLockName(groupId), async () => {
      sealed = await sealGroupText(context, groupId, text);
    });
    if (!sealed) throw new Error(`encrypting a message for group ${groupId} returned nothing`);
    return sealed;
  }

  async openGroupMessages(messages: readonly GroupMessage[]): Promise<Map<string, ReceivedContent>> {
    const context = { ...this.options, ownDeviceId: this.requireDeviceId() };
    const contents = new Map<string, ReceivedContent>();
    for (const message of messages) {
      const content = await openGroupMessage(context, message);
      if (content) contents.set(message.id, content);
    }
    return contents;
  }

  async groupMembersRemoved(groupId: string): Promise<void> {
    this.members.delete(groupId);
    await markSenderKeyStale(this.options.store, groupId);
  }

  async devicesChanged(cid: string, devices: readonly UserDevices[]): Promise<void> {
    await clearEnvelope(this.options.db, cid);

    // The edge lists the recipient and the sender; without a list, both are fetched again.
    let userIds = devices.map((entry) => entry.userId);
    if (userIds.length === 0) {
      const entry = (await listOutbox(this.options.db)).find((candidate) => candidate.cid === cid);
      userIds = entry ? [entry.to, this.options.me] : [];
    }
    for (const userId of new Set(userIds)) await this.devices.refresh(userId);
  }

  async preKeysLow(): Promise<void> {
    await this.options.withLock(this.deviceLockName(), () => topUpPreKeys(this.options.store, this.options.directory));
  }

  open(events: readonly InboxEvent[]): Promise<OpenedEvents> {
    const context = {
      ...this.options,
      ownDeviceId: this.requireDeviceId(),
      groupMembersRemoved: (groupId: string) => this.groupMembersRemoved(groupId),
      groupMembersChanged: (groupId: string) => void this.members.delete(groupId),
    };
    return openEvents(context, events);
  }

  async stored(opened: OpenedEvents): Promise<void> {
    await this.options.store.deleteReceipts(opened.receiptKeys);

    // Both need the network, so they run after the frame is handled and never hold up the next one.
    void this.checkSenders(opened.seen);
    for (const broken of opened.broken) {
      repairSession({ ...this.options, devices: this.devices }, broken)
        .then((queued) => {
          if (queued) this.options.flush();
        })
        .catch((error: unknown) => console.warn('[e2e] repairing a session failed', { ...broken, error }));
    }
  }

  /** Fetches a contact's devices, which adds a key-change notice when their keys changed. */
  async checkContact(userId: string): Promise<void> {
    await this.devices.refresh(userId);
  }

  safetyNumber(peerId: string): Promise<string[] | null> {
    return conversationSafetyNumber(this.options.directory, this.options.me, peerId);
  }

  private requireDeviceId(): string {
    if (this.deviceId === null) throw new Error('this browser has no registered device yet; call prepare() first');
    return this.deviceId;
  }

  private groupMembers(groupId: string): Promise<string[]> {
    let members = this.members.get(groupId);
    if (!members) {
      const read = this.options.groupMembers ?? (async (id: string) => (await listAllMembers(id)).map((member) => member.userId));
      members = read(groupId);
      members.catch(() => this.members.delete(groupId));
      this.members.set(groupId, members);
    }
    return members;
  }

  private deviceLockName(): string {
    return `feige-device-${this.options.me}`;
  }

  private async noteDevices(userId: string, devices: DeviceIdentity[]): Promise<void> {
    if (await noteContactDevices(this.options.db, this.options.me, userId, devices, Date.now())) this.options.changed();
  }

  /**
   * Compares the identity each decrypted message showed with the sender's
   * device list, fetching the list again when the device is new or its keys
   * changed, which adds a key-change notice if the contact's keys differ.
   */
  private async checkSenders(seen: readonly SeenIdentity[]): Promise<void> {
    for (const identity of seen) {
      if (identity.userId === this.options.me) continue;
      try {
        const listed = (await this.devices.get(identity.userId)).find((device) => device.deviceId === identity.deviceId);
        if (identity.changed || listed?.identity.signingKey !== identity.signingKey) {
          await this.devices.refresh(identity.userId);
        }
      } catch (error) {
        console.warn('[e2e] checking a sender device failed', { ...identity, error });
      }
    }
  }
}
