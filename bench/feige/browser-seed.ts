// Seeds a chat for the browser rows: a bench user sends encrypted messages to
// every device of a user who registered in the PWA, through the real API and socket.

import * as z from 'zod/mini';
import { API_PREFIX } from '../../protocol/api';
import { deviceListResponseSchema } from '../../protocol/devices';
import { directConversationId, type ClientSendFrame } from '../../protocol/frames';
import { encryptEnvelope } from '../../web/app/crypto/encrypt-envelope';
import { claimBundle } from './api';
import { benchText } from './envelopes';
import { FeigeSocket } from './socket';
import type { FeigeUser } from './users';
import { withDeadline } from '../system/deadline';

const userIdSchema = z.object({ id: z.string() });

export type SeedOutcome = { conversationId: string } | { skipped: string };

export async function seedChat(origin: string, sender: FeigeUser, username: string, count: number, timeoutMs: number): Promise<SeedOutcome> {
  const headers = { authorization: `Bearer ${sender.token}` };
  const profile = await fetch(`${origin}${API_PREFIX}/users/by-username/${encodeURIComponent(username)}`, { headers });
  const recipient = userIdSchema.parse(await profile.json());

  const list = await fetch(`${origin}${API_PREFIX}/devices?userId=${encodeURIComponent(recipient.id)}`, { headers });
  const devices = deviceListResponseSchema.parse(await list.json()).devices.map((device) => device.deviceId);
  if (devices.length === 0) {
    return { skipped: 'the PWA registered no device for its user, so no encrypted message can be addressed to it' };
  }

  const fetchBundle = (deviceId: string) => claimBundle(origin, sender.token, recipient.id, deviceId);
  const frames: string[] = [];
  for (let i = 0; i < count; i++) {
    const envelope = await encryptEnvelope(sender.store, { kind: 'text', text: benchText(i) }, devices, fetchBundle);
    const frame: ClientSendFrame = { type: 'send', cid: `seed-${username}-${i}`, to: recipient.id, content: { type: 'e2e', envelope } };
    frames.push(JSON.stringify(frame));
  }

  let acked = 0;
  let failure: string | undefined;
  let finish: () => void = () => {};
  const done = new Promise<void>((resolve) => (finish = resolve));
  const socket = await FeigeSocket.open(
    origin,
    sender.token,
    {
      onAck: () => {
        acked += 1;
        if (acked === count) finish();
      },
      onError: (error) => {
        failure = `${error.code}: ${error.message}`;
        finish();
      },
    },
    timeoutMs,
  );
  try {
    for (const frame of frames) socket.sendText(frame);
    await withDeadline(done, timeoutMs, `seeding ${count} messages for ${username}`);
    if (failure) throw new Error(`seeding the browser chat failed: ${failure}`);
  } finally {
    await socket.close();
  }
  return { conversationId: directConversationId(sender.id, recipient.id) };
}
