// The D1 reads behind a user's cached peer facts (edge/objects/peer-cache.ts):
// the relation decision and the active devices of both users.

import { openDatabase } from '../db/client';
import { listActiveDevices } from '../db/devices';
import type { PeerFacts } from '../objects/peer-cache';
import { checkRecipient } from './message-check';

/** Reads what a send from `userId` to `peerId` needs; a message to oneself is always allowed. */
export async function readPeerFacts(d1: D1Database, userId: string, peerId: string): Promise<PeerFacts> {
  if (peerId === userId) return { check: 'deliver', devices: await listActiveDevices(d1, [userId]) };

  const [check, devices] = await Promise.all([
    checkRecipient(openDatabase(d1), userId, peerId),
    listActiveDevices(d1, [peerId, userId]),
  ]);
  return { check, devices };
}
