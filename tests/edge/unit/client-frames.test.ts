import { describe, expect, it } from 'vitest';
import { parseClientFrame } from '../../../edge/objects/client-frames';
import { FRAME_MAX_BYTES } from '../../../protocol/limits';

describe('parseClientFrame', () => {
  it('accepts a valid send', () => {
    const frame = { type: 'send', cid: 'cid-12345678', to: 'user-1', content: { type: 'text', text: 'hi' } };
    expect(parseClientFrame(JSON.stringify(frame))).toEqual({ ok: true, frame });
  });

  it('drops unknown fields', () => {
    expect(parseClientFrame('{"type":"sync","after":3,"extra":true}')).toEqual({
      ok: true,
      frame: { type: 'sync', after: 3 },
    });
  });

  it.each([
    { data: 'not json', code: 'invalid_frame' },
    { data: 'null', code: 'invalid_frame' },
    { data: '"sync"', code: 'invalid_frame' },
    { data: '{"type": 7}', code: 'invalid_frame' },
    { data: '{"type": "subscribe"}', code: 'unknown_frame' },
    { data: '{"type": "sync", "after": -1}', code: 'invalid_request' },
    { data: '{"type": "sync", "after": 1.5}', code: 'invalid_request' },
    { data: '{"type": "read", "conversationId": "", "readSeq": 1}', code: 'invalid_request' },
    { data: '{"type": "send", "cid": "short", "to": "u", "content": {"type": "text", "text": "x"}}', code: 'invalid_request' },
    { data: '{"type": "send", "cid": "cid-12345678", "to": "u", "content": {"type": "text", "text": ""}}', code: 'invalid_request' },
  ])('$data gives $code', ({ data, code }) => {
    const result = parseClientFrame(data);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe(code);
  });

  it('schema error names the field', () => {
    const result = parseClientFrame('{"type": "sync", "after": "x"}');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toMatch(/^Invalid sync frame: after: /);
  });

  it('schema error keeps the cid', () => {
    const result = parseClientFrame('{"type": "send", "cid": "cid-12345678", "to": "u"}');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.cid).toBe('cid-12345678');
  });

  it('counts UTF-8 bytes for the frame limit', () => {
    // 3-byte characters: fewer UTF-16 units than the limit but more bytes.
    const text = '中'.repeat(Math.ceil(FRAME_MAX_BYTES / 3));
    const result = parseClientFrame(text);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('frame_too_large');
      expect(result.error.limit).toBe(FRAME_MAX_BYTES);
    }
  });

  it('multibyte frame at limit parses', () => {
    // Its UTF-16 length times 3 is above the limit, so the bytes are counted exactly.
    const frame = multibyteSyncFrame(FRAME_MAX_BYTES);
    expect(new TextEncoder().encode(frame).byteLength).toBe(FRAME_MAX_BYTES);
    expect(frame.length * 3).toBeGreaterThan(FRAME_MAX_BYTES);

    expect(parseClientFrame(frame).ok).toBe(true);
  });

  it('multibyte frame past limit names size', () => {
    const frame = multibyteSyncFrame(FRAME_MAX_BYTES + 1);
    const result = parseClientFrame(frame);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('frame_too_large');
      expect(result.error.value).toBe(FRAME_MAX_BYTES + 1);
    }
  });

  it('binary frame is invalid', () => {
    const result = parseClientFrame(new Uint8Array([123, 125]).buffer);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('invalid_frame');
  });
});

/** Returns a `sync` frame of exactly `bytes` UTF-8 bytes, padded with 3-byte characters in an unknown field. */
function multibyteSyncFrame(bytes: number): string {
  const empty = '{"type":"sync","after":0,"pad":""}';
  const padBytes = bytes - empty.length;
  const pad = '中'.repeat(Math.floor(padBytes / 3)) + 'a'.repeat(padBytes % 3);
  return `{"type":"sync","after":0,"pad":"${pad}"}`;
}
