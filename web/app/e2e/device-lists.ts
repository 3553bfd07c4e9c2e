// The active devices of the users this browser sends to, cached for the
// running account. A stale list costs one round trip: the edge rejects the
// send with `devices_changed`, and the list is fetched again. Every fetched
// list of another user goes through `onFetched`, which watches for key changes.

import type { DeviceIdentity } from '../../../protocol/devices';
import type { KeyDirectory } from './key-directory';

export class DeviceLists {
  private readonly lists = new Map<string, DeviceIdentity[]>();

  constructor(
    private readonly directory: KeyDirectory,
    private readonly onFetched: (userId: string, devices: DeviceIdentity[]) => Promise<void>,
  ) {}

  /** Returns the cached list of `userId`, fetching it the first time. */
  async get(userId: string): Promise<DeviceIdentity[]> {
    return this.lists.get(userId) ?? this.refresh(userId);
  }

  /** Fetches the list of `userId` again and caches it. */
  async refresh(userId: string): Promise<DeviceIdentity[]> {
    const devices = await this.directory.listDevices(userId);
    this.lists.set(userId, devices);
    await this.onFetched(userId, devices);
    return devices;
  }
}
