import { describe, expect, test } from 'vitest';
import { directConversationId } from '../../protocol/frames';
import { classifyLiveEvent, wantsNextPage } from '../../web/app/net/sync-rules';
import { parseServerFrame } from '../../web/app/net/server-frames';
import { peerOfConversation, previewText, PREVIEW_MAX_CHARS } from '../../web/app/store/records';
import { summarizeUserAgent } from '../../web/app/ui/settings/user-agent';

describe('R2 live event ordering', () => {
  test('next seq applies', () => {
    expect(classifyLiveEvent(6, 5)).toBe('apply');
    expect(classifyLiveEvent(1, 0)).toBe('apply');
  });

  test('stored seq is ignored', () => {
    expect(classifyLiveEvent(5, 5)).toBe('ignore');
    expect(classifyLiveEvent(2, 5)).toBe('ignore');
  });

  test('skipped seq needs sync', () => {
    expect(classifyLiveEvent(7, 5)).toBe('gap');
    expect(classifyLiveEvent(2, 0)).toBe('gap');
  });

  test('empty page ends sync', () => {
    expect(wantsNextPage({ hasMore: true, events: [{}] })).toBe(true);
    expect(wantsNextPage({ hasMore: true, events: [] })).toBe(false);
    expect(wantsNextPage({ hasMore: false, events: [{}] })).toBe(false);
  });
});

describe('server frame parsing', () => {
  test('valid frame parses', () => {
    const parsed = parseServerFrame('{"type":"kicked","reason":"signed_out"}');
    expect(parsed).toEqual({ ok: true, frame: { type: 'kicked', reason: 'signed_out' } });
  });

  test('bad frames name the problem', () => {
    expect(parseServerFrame('{not json')).toEqual({ ok: false, reason: 'frame is not JSON' });
    expect(parseServerFrame(new ArrayBuffer(2))).toEqual({ ok: false, reason: 'binary frame' });

    const wrongShape = parseServerFrame('{"type":"ack","cid":"c"}');
    expect(wrongShape.ok).toBe(false);
    expect(wrongShape.ok ? '' : wrongShape.reason).toContain('messageId');
  });
});

describe('conversation ids', () => {
  test('peer found on either side', () => {
    expect(peerOfConversation(directConversationId('a1', 'b2'), 'a1')).toBe('b2');
    expect(peerOfConversation(directConversationId('a1', 'b2'), 'b2')).toBe('a1');
    expect(peerOfConversation(directConversationId('a1', 'a1'), 'a1')).toBe('a1');
  });

  test('foreign or malformed id rejected', () => {
    expect(peerOfConversation(directConversationId('a1', 'b2'), 'c3')).toBeNull();
    expect(peerOfConversation('g:group', 'a1')).toBeNull();
    expect(peerOfConversation('d:a1:', 'a1')).toBeNull();
  });

  test('ids containing colons still resolve', () => {
    expect(peerOfConversation(directConversationId('u:1', 'u:2'), 'u:1')).toBe('u:2');
  });

  test('preview keeps whole code points', () => {
    const text = '👋'.repeat(PREVIEW_MAX_CHARS + 5);
    expect(Array.from(previewText({ type: 'text', text }) ?? '')).toHaveLength(PREVIEW_MAX_CHARS);
  });
});

describe('user agent summary', () => {
  test.each([
    {
      userAgent:
        'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36 Edg/126.0',
      browser: 'Edge',
      os: 'Windows',
    },
    {
      userAgent:
        'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36',
      browser: 'Chrome',
      os: 'Android',
    },
    {
      userAgent:
        'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
      browser: 'Safari',
      os: 'iOS',
    },
    { userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0', browser: 'Firefox', os: 'Linux' },
    { userAgent: 'curl/8.5.0', browser: null, os: null },
  ])('summary is $browser on $os', ({ userAgent, browser, os }) => {
    expect(summarizeUserAgent(userAgent)).toEqual({ browser, os });
  });
});
