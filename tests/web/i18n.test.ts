import { describe, expect, test } from 'vitest';
import { ERROR_CODES } from '../../protocol/errors';
import { TEXT_MAX_BYTES } from '../../protocol/limits';
import { en } from '../../web/app/i18n/en';
import { describeError } from '../../web/app/i18n/errors';
import { LOCALES, catalogFor, pickLocale, translate } from '../../web/app/i18n/translate';
import { zhCN } from '../../web/app/i18n/zh-CN';

const placeholdersOf = (template: string) => [...template.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();

describe('catalogs', () => {
  test('both catalogs have same keys', () => {
    expect(Object.keys(zhCN).sort()).toEqual(Object.keys(en).sort());
  });

  test('each key has same placeholders', () => {
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(placeholdersOf(zhCN[key]), key).toEqual(placeholdersOf(en[key]));
    }
  });

  test('no catalog string is empty', () => {
    for (const locale of LOCALES) {
      for (const [key, text] of Object.entries(catalogFor(locale))) {
        expect(text.trim(), `${locale} ${key}`).not.toBe('');
      }
    }
  });

  test('kicked notice matches product text', () => {
    expect(en['signin.kicked']).toBe('You were signed out because your account signed in on another device.');
    expect(zhCN['signin.kicked']).toBe('你的账号已在另一台设备上登录，你已被下线。');
  });
});

describe('error messages', () => {
  test('every error code has a message', () => {
    for (const locale of LOCALES) {
      for (const code of ERROR_CODES) {
        const bare = describeError(locale, { code });
        const detailed = describeError(locale, { code, limit: 10, value: 11, field: 'bio' });
        expect(bare, `${locale} ${code}`).not.toMatch(/[{}]/);
        expect(detailed, `${locale} ${code} with details`).not.toMatch(/[{}]/);
        expect(bare.length, `${locale} ${code}`).toBeGreaterThan(3);
      }
    }
  });

  test('text limit names value and limit', () => {
    const details = { code: 'text_too_long', limit: TEXT_MAX_BYTES, value: 5000 } as const;

    expect(describeError('en', details)).toBe('Text is 5,000 bytes; the limit is 4,096 bytes.');
    expect(describeError('zh-CN', details)).toBe('文本为 5,000 字节，上限为 4,096 字节。');
  });

  test('limit without value names limit', () => {
    expect(describeError('en', { code: 'text_too_long' })).toBe('Text is too long; the limit is 4,096 bytes.');
    expect(describeError('en', { code: 'payload_too_large', limit: 16_384 })).toContain('16,384');
  });

  test('username error names both bounds', () => {
    const message = describeError('en', { code: 'username_invalid', limit: 3, value: 2 });

    expect(message).toBe('Username has 2 characters; it must have 3 to 32.');
  });

  test('client failures have messages', () => {
    expect(describeError('en', { code: 'network' })).toMatch(/reach the server/);
    expect(describeError('zh-CN', { code: 'bad_response' })).toMatch(/\p{Script=Han}/u);
  });
});

describe('locale choice and interpolation', () => {
  test.each([
    [['zh-CN', 'en'], 'zh-CN'],
    [['zh-TW'], 'zh-CN'],
    [['zh'], 'zh-CN'],
    [['zh-Hant-HK'], 'zh-CN'],
    [['en-GB', 'zh-CN'], 'en'],
    [['fr-FR', 'zh-CN'], 'zh-CN'],
    [['fr-FR'], 'en'],
    [[], 'en'],
  ] as const)('languages %j pick %s', (languages, expected) => {
    expect(pickLocale(languages)).toBe(expected);
  });

  test('numbers format per locale', () => {
    expect(translate('en', 'chat.byteCount', { value: 4097, limit: 4096 })).toBe('4,097 / 4,096 bytes');
    expect(translate('zh-CN', 'chat.byteCount', { value: 4097, limit: 4096 })).toBe('4,097 / 4,096 字节');
  });

  test('missing value keeps placeholder visible', () => {
    expect(translate('en', 'newChat.notFound', {})).toBe('No user is named “{username}”.');
  });

  test('strings pass through unescaped', () => {
    expect(translate('en', 'newChat.notFound', { username: '<b>x</b>' })).toBe('No user is named “<b>x</b>”.');
  });
});
