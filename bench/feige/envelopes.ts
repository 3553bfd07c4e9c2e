// Ready-to-send `send` frames with real end-to-end encrypted envelopes. The
// bench encrypts every message before the timed part of a workload, so the
// figures measure the server path and not the client's WebCrypto work.

import { encryptEnvelope } from '../../web/app/crypto/encrypt-envelope';
import type { ClientSendFrame } from '../../protocol/frames';
import { claimBundle } from './api';
import type { FeigeUser } from './users';

export interface PreparedSend {
  cid: string;
  /** The whole `send` frame as JSON text. */
  frame: string;
}

/** Returns the text of bench message `index`, about as long as a short chat line. */
export function benchText(index: number): string {
  return `bench message ${index} 你好, see you at 7?`;
}

/**
 * Encrypts `count` messages from `sender` to `recipient`'s device in order,
 * starting an X3DH session through POST /devices/claim on first use, as the PWA does.
 */
export async function prepareSends(
  origin: string,
  sender: FeigeUser,
  recipient: FeigeUser,
  count: number,
  cidPrefix: string,
): Promise<PreparedSend[]> {
  const fetchBundle = (deviceId: string) => claimBundle(origin, sender.token, recipient.id, deviceId);
  const sends: PreparedSend[] = [];
  for (let i = 0; i < count; i++) {
    const envelope = await encryptEnvelope(sender.store, { kind: 'text', text: benchText(i) }, [recipient.deviceId], fetchBundle);
    const cid = `${cidPrefix}-${i}`;
    const frame: ClientSendFrame = { type: 'send', cid, to: recipient.id, content: { type: 'e2e', envelope } };
    sends.push({ cid, frame: JSON.stringify(frame) });
  }
  return sends;
}
