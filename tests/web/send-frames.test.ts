// SendFramePacker on its own: how `send` frames are grouped into `sends`
// frames at and one past SENDS_PER_FRAME_MAX and FRAME_MAX_BYTES. Sizes are
// measured the way the edge measures them, as UTF-8 bytes of the frame's JSON.

import { describe, expect, test } from 'vitest';
import type { ClientSendFrame } from '../../protocol/frames';
import { FRAME_MAX_BYTES, SENDS_PER_FRAME_MAX, countUtf8Bytes } from '../../protocol/limits';
import { SendFramePacker, frameBytes, sendsIn, type PackedSendFrame } from '../../web/app/net/send-frames';
import { BOB } from './helpers';

/** Returns a `send` frame whose JSON is exactly `bytes` bytes, padded in its text. */
function frameOfBytes(cid: string, bytes: number): ClientSendFrame {
  const empty: ClientSendFrame = { type: 'send', cid, to: BOB, content: { type: 'text', text: '' } };
  const padding = bytes - frameBytes(empty);
  if (padding < 0) throw new Error(`a frame of ${bytes} bytes is smaller than an empty one`);
  return { ...empty, content: { type: 'text', text: 'x'.repeat(padding) } };
}

function smallFrame(index: number): ClientSendFrame {
  return { type: 'send', cid: `cid-small-${String(index).padStart(3, '0')}`, to: BOB, content: { type: 'text', text: `text ${index}` } };
}

/** Adds every frame and returns all packed frames in the order the packer handed them out. */
function packAll(frames: readonly ClientSendFrame[]): PackedSendFrame[] {
  const packer = new SendFramePacker();
  const packed: PackedSendFrame[] = [];
  for (const frame of frames) {
    const ready = packer.add(frame, frameBytes(frame));
    if (ready) packed.push(ready);
  }
  const rest = packer.take();
  if (rest) packed.push(rest);
  return packed;
}

function bytesOf(frame: PackedSendFrame): number {
  return countUtf8Bytes(JSON.stringify(frame));
}

describe('send frame packer', () => {
  test('lone frame goes as send', () => {
    const frame = smallFrame(1);

    expect(packAll([frame])).toEqual([frame]);
  });

  test('empty packer takes nothing', () => {
    expect(new SendFramePacker().take()).toBeNull();
  });

  test('count at SENDS_PER_FRAME_MAX packs one', () => {
    const frames = Array.from({ length: SENDS_PER_FRAME_MAX }, (_, index) => smallFrame(index));

    const packed = packAll(frames);

    expect(packed).toEqual([{ type: 'sends', sends: frames }]);
  });

  test('count past SENDS_PER_FRAME_MAX splits', () => {
    const frames = Array.from({ length: SENDS_PER_FRAME_MAX + 1 }, (_, index) => smallFrame(index));

    const packed = packAll(frames);

    expect(packed).toHaveLength(2);
    expect(packed[0]).toEqual({ type: 'sends', sends: frames.slice(0, SENDS_PER_FRAME_MAX) });
    expect(packed[1]).toEqual(frames[SENDS_PER_FRAME_MAX]);
  });

  test('sends at FRAME_MAX_BYTES packs together', () => {
    const first = frameOfBytes('cid-first-01', 30_000);
    // The rest of the limit after the wrapper, the first frame and one comma.
    const wrapper = bytesOf({ type: 'sends', sends: [first, first] }) - 2 * frameBytes(first);
    const second = frameOfBytes('cid-second-1', FRAME_MAX_BYTES - wrapper - frameBytes(first));

    const packed = packAll([first, second]);

    expect(packed).toEqual([{ type: 'sends', sends: [first, second] }]);
    expect(bytesOf(packed[0]!)).toBe(FRAME_MAX_BYTES);
  });

  test('sends past FRAME_MAX_BYTES splits', () => {
    const first = frameOfBytes('cid-first-01', 30_000);
    const wrapper = bytesOf({ type: 'sends', sends: [first, first] }) - 2 * frameBytes(first);
    const second = frameOfBytes('cid-second-1', FRAME_MAX_BYTES - wrapper - frameBytes(first) + 1);

    const packed = packAll([first, second]);

    expect(packed).toEqual([first, second]);
  });

  test('frame at FRAME_MAX_BYTES goes alone', () => {
    const large = frameOfBytes('cid-large-01', FRAME_MAX_BYTES);
    const frames = [smallFrame(1), large, smallFrame(2), smallFrame(3)];

    const packed = packAll(frames);

    expect(packed).toEqual([frames[0], large, { type: 'sends', sends: [frames[2], frames[3]] }]);
    expect(bytesOf(large)).toBe(FRAME_MAX_BYTES);
  });

  test('frame past FRAME_MAX_BYTES is rejected', () => {
    const tooLarge = frameOfBytes('cid-large-02', FRAME_MAX_BYTES + 1);

    expect(() => new SendFramePacker().add(tooLarge, frameBytes(tooLarge))).toThrow(RangeError);
  });

  test('multi-byte text counts UTF-8 bytes', () => {
    const chinese: ClientSendFrame = { type: 'send', cid: 'cid-chinese1', to: BOB, content: { type: 'text', text: '飞'.repeat(12_000) } };

    // 12,000 characters of 3 bytes each: two such frames pass the limit together though their JSON has fewer characters.
    expect(frameBytes(chinese)).toBeGreaterThan(36_000);
    expect(packAll([chinese, { ...chinese, cid: 'cid-chinese2' }])).toHaveLength(2);
  });

  test('sendsIn lists carried frames', () => {
    const frames = [smallFrame(1), smallFrame(2)];

    expect(sendsIn(frames[0]!)).toEqual([frames[0]]);
    expect(sendsIn({ type: 'sends', sends: frames })).toEqual(frames);
  });
});
