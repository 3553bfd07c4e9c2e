// The order of the two writes of a 1:1 send (docs/protocol.md, R3): the
// recipient's object stores the message first, and the sender's inbox only
// after that call returned, so a recipient waits for one commit and not two.
// The ack still waits for both.

import { describe, expect, it } from 'vitest';
import type { ChatMessage, ClientSendFrame } from '../../../protocol/frames';
import type { Envelope } from '../../../protocol/envelope';
import type { MessageEvent } from '../../../edge/objects/inbox-events';
import type { InboxStore } from '../../../edge/objects/inbox-store';
import { createLogger } from '../../../edge/log';
import { SendBatcher } from '../../../edge/objects/send-batch';

const ALICE = { userId: 'alice', sessionId: 'session-a', deviceId: 'device-a' };
const BOB = { userId: 'bob', deviceId: 'device-b' };

/** Creates an inbox that keeps rows in memory and records each write in `steps`. */
function memoryInbox(steps: string[]): InboxStore {
  const rows: MessageEvent[] = [];
  const inbox = {
    findMessages: () => new Map<string, MessageEvent>(),
    appendMessage(message: ChatMessage, ts: number): MessageEvent {
      steps.push(`sender stores ${message.cid}`);
      const event: MessageEvent = { kind: 'message', seq: rows.length + 1, ts, message };
      rows.push(event);
      return event;
    },
  };
  return inbox as unknown as InboxStore;
}

/** Creates a socket that keeps the frames sent to it. */
function memorySocket(frames: unknown[]): WebSocket {
  return { readyState: WebSocket.OPEN, send: (text: string) => frames.push(JSON.parse(text)) } as unknown as WebSocket;
}

function sendFrame(cid: string): ClientSendFrame {
  // The batcher reads only the addressing fields, because the ciphertext is opaque to the server.
  const envelope = { v: 1, senderDevice: ALICE.deviceId, recipients: [{ device: BOB.deviceId }] } as unknown as Envelope;
  return { type: 'send', cid, to: BOB.userId, content: { type: 'e2e', envelope } };
}

describe('send order', () => {
  it('recipient stores before sender', async () => {
    const steps: string[] = [];
    const frames: unknown[] = [];
    let release: () => void = () => {};
    const batcher = new SendBatcher({
      inbox: memoryInbox(steps),
      log: createLogger('test', 'error'),
      facts: async () => ({
        check: 'deliver',
        devices: [
          { id: BOB.deviceId, userId: BOB.userId, sessionId: 'session-b' },
          { id: ALICE.deviceId, userId: ALICE.userId, sessionId: ALICE.sessionId },
        ],
      }),
      groupMembers: async () => true,
      deliverMany: (recipientId, messages) => {
        steps.push(`${recipientId} stores ${messages.map((message) => message.cid).join(',')}`);
        return new Promise<void>((resolve) => (release = resolve));
      },
      openSockets: () => [],
    });

    const ws = memorySocket(frames);
    const attachment = { userId: ALICE.userId, sessionId: ALICE.sessionId, socketId: 'socket-a' };
    const done = batcher.enqueue({ ws, attachment, frame: sendFrame('c1'), log: createLogger('test', 'error') });
    await waitFor(() => steps.length > 0);

    expect(steps).toEqual(['bob stores c1']);
    expect(frames).toEqual([]);

    release();
    await done;
    expect(steps).toEqual(['bob stores c1', 'sender stores c1']);
    expect(frames).toMatchObject([{ type: 'ack', cid: 'c1', seq: 1 }]);
  });
});

/** Yields to the event loop until `condition` holds, because the batcher's lookups take a few turns. */
async function waitFor(condition: () => boolean): Promise<void> {
  for (let turn = 0; turn < 100 && !condition(); turn++) await new Promise((resolve) => setTimeout(resolve, 0));
  if (!condition()) throw new Error('The condition did not hold within 100 turns.');
}
