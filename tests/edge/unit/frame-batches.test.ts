import { describe, expect, it } from 'vitest';
import { batchTexts } from '../../../edge/objects/frame-batches';
import { serverFrameSchema, type ServerErrorFrame } from '../../../protocol/frames';
import { BATCH_FRAME_MAX_BYTES, countUtf8Bytes } from '../../../protocol/limits';

const EMPTY_ERROR_BYTES = JSON.stringify({ type: 'error', code: 'internal', message: '' }).length;

/** Returns an error frame whose JSON has exactly `bytes` bytes. */
function frameOfBytes(bytes: number): ServerErrorFrame {
  return { type: 'error', code: 'internal', message: 'x'.repeat(bytes - EMPTY_ERROR_BYTES) };
}

function parse(text: string) {
  return serverFrameSchema.parse(JSON.parse(text));
}

describe('batchTexts', () => {
  it('batches frames at the byte limit', () => {
    const frames = [frameOfBytes(BATCH_FRAME_MAX_BYTES / 2), frameOfBytes(BATCH_FRAME_MAX_BYTES / 2)];

    const texts = batchTexts(frames);

    expect(texts).toHaveLength(1);
    expect(parse(texts[0]!)).toEqual({ type: 'batch', frames });
    expect(texts[0]).toBe(JSON.stringify({ type: 'batch', frames }));
  });

  it('splits one byte past the limit', () => {
    const frames = [frameOfBytes(BATCH_FRAME_MAX_BYTES / 2), frameOfBytes(BATCH_FRAME_MAX_BYTES / 2 + 1)];

    const texts = batchTexts(frames);

    expect(texts.map(parse)).toEqual(frames);
  });

  it('keeps order across a split', () => {
    const frames = [frameOfBytes(BATCH_FRAME_MAX_BYTES / 2), frameOfBytes(BATCH_FRAME_MAX_BYTES / 2), frameOfBytes(100), frameOfBytes(200)];

    const texts = batchTexts(frames);

    expect(texts.map(parse)).toEqual([
      { type: 'batch', frames: frames.slice(0, 2) },
      { type: 'batch', frames: frames.slice(2) },
    ]);
  });

  it('sends an oversized frame alone', () => {
    const frames = [frameOfBytes(100), frameOfBytes(BATCH_FRAME_MAX_BYTES + 1), frameOfBytes(100)];

    const texts = batchTexts(frames);

    expect(texts.map(parse)).toEqual(frames);
  });

  it('sends one frame unbatched', () => {
    const frame = frameOfBytes(100);

    expect(batchTexts([frame])).toEqual([JSON.stringify(frame)]);
    expect(batchTexts([])).toEqual([]);
  });

  it('counts multibyte characters as UTF-8', () => {
    const frames = [frameOfBytes(BATCH_FRAME_MAX_BYTES / 2), { ...frameOfBytes(BATCH_FRAME_MAX_BYTES / 2 - 2), message: 'x'.repeat(BATCH_FRAME_MAX_BYTES / 2 - 3 - EMPTY_ERROR_BYTES) + '中' }];

    expect(countUtf8Bytes(JSON.stringify(frames[1]))).toBe(BATCH_FRAME_MAX_BYTES / 2);
    expect(batchTexts(frames)).toHaveLength(1);
    expect(batchTexts([frames[0]!, { ...frames[1]!, message: `${frames[1]!.message}é` }])).toHaveLength(2);
  });
});

describe('countUtf8Bytes', () => {
  it.each(['plain ascii', '你好', 'é', '😀 emoji', 'lone \ud800 surrogate', 'end \udc00', ''])('matches TextEncoder for %j', (text) => {
    expect(countUtf8Bytes(text)).toBe(new TextEncoder().encode(text).byteLength);
  });
});
