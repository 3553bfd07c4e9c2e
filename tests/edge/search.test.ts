// User search on D1: Chinese substrings through the trigram index and the
// 1- and 2-character n-gram table, Latin case, ranking, blocks and paging.
// The D1 database is shared by every test file, so each test makes its names
// unique with random CJK characters or letters and looks only at its own users.

import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { DISPLAY_NAME_MAX_CHARS, SEARCH_PAGE_MAX, SEARCH_QUERY_MAX_CHARS } from '../../protocol/limits';
import type { SearchResponse, SearchResult } from '../../protocol/relations';
import { callApi, registerUser, uniqueUsername, type RegisteredUser } from './fixtures/accounts';
import { block, errorCodeOf } from './fixtures/relations';

/** Returns `count` random CJK unified ideographs; two of them repeat in another test with odds of about 1 in 4 × 10^8. */
function randomHan(count: number): string {
  let text = '';
  for (let i = 0; i < count; i++) text += String.fromCodePoint(0x4e00 + Math.floor(Math.random() * 0x5000));
  return text;
}

function randomLetters(count: number): string {
  let text = '';
  for (let i = 0; i < count; i++) text += String.fromCharCode(0x61 + Math.floor(Math.random() * 26));
  return text;
}

async function searchPage(token: string, q: string, extra = ''): Promise<SearchResponse> {
  const response = await callApi(`/search/users?q=${encodeURIComponent(q)}${extra}`, { token });
  expect(response.status).toBe(200);
  return response.json<SearchResponse>();
}

/** Returns every result of a search, following nextCursor to the end. */
async function searchAll(token: string, q: string, limit = SEARCH_PAGE_MAX): Promise<SearchResult[]> {
  const results: SearchResult[] = [];
  let cursor: string | null = null;
  do {
    const page: SearchResponse = await searchPage(token, q, `&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
    results.push(...page.users);
    cursor = page.nextCursor;
  } while (cursor);
  return results;
}

function idsOf(results: readonly SearchResult[]): string[] {
  return results.map((result) => result.id);
}

describe('Chinese names', () => {
  it('张伟 finds 张伟明 and 李张伟', async () => {
    const viewer = await registerUser();
    const first = await registerUser({ displayName: '张伟明' });
    const second = await registerUser({ displayName: '李张伟' });
    const other = await registerUser({ displayName: '张明伟' });

    const found = idsOf(await searchAll(viewer.token, '张伟'));

    expect(found).toContain(first.user.id);
    expect(found).toContain(second.user.id);
    expect(found).not.toContain(other.user.id);
  });

  it('two characters inside a name', async () => {
    const token = randomHan(2);
    const viewer = await registerUser();
    const prefix = await registerUser({ displayName: `${token}明` });
    const suffix = await registerUser({ displayName: `李${token}` });
    const middle = await registerUser({ displayName: `王${token}华` });

    const found = await searchAll(viewer.token, token);

    expect(idsOf(found)).toEqual([prefix.user.id, suffix.user.id, middle.user.id]);
    expect(found.every((result) => result.match === 'name')).toBe(true);
  });

  it('three characters use the trigram index', async () => {
    const token = randomHan(3);
    const viewer = await registerUser();
    const whole = await registerUser({ displayName: token });
    const inside = await registerUser({ displayName: `欧阳${token}子` });
    const partial = await registerUser({ displayName: token.slice(0, 2) });

    const found = idsOf(await searchAll(viewer.token, token));

    expect(found).toEqual([whole.user.id, inside.user.id]);
    expect(found).not.toContain(partial.user.id);
  });

  it('one character finds every name with it', async () => {
    const character = randomHan(1);
    const viewer = await registerUser();
    const users = [
      await registerUser({ displayName: character }),
      await registerUser({ displayName: `${character}${randomHan(2)}` }),
      await registerUser({ displayName: `${randomHan(2)}${character}` }),
    ];

    const found = idsOf(await searchAll(viewer.token, character));

    for (const user of users) expect(found).toContain(user.user.id);
  });

  it('renamed user is found by the new name', async () => {
    const before = randomHan(3);
    const after = randomHan(3);
    const viewer = await registerUser();
    const user = await registerUser({ displayName: before });

    await callApi('/me', { method: 'PATCH', token: user.token, body: { displayName: after } });

    expect(idsOf(await searchAll(viewer.token, before))).toEqual([]);
    expect(idsOf(await searchAll(viewer.token, after))).toEqual([user.user.id]);
    expect(idsOf(await searchAll(viewer.token, after.slice(1)))).toContain(user.user.id);
  });

  it('last characters of the longest name', async () => {
    const viewer = await registerUser();
    const tail = randomHan(2);
    const user = await registerUser({ displayName: `${'名'.repeat(DISPLAY_NAME_MAX_CHARS - 2)}${tail}` });

    expect(idsOf(await searchAll(viewer.token, tail))).toContain(user.user.id);
    expect(idsOf(await searchAll(viewer.token, `名${tail}`))).toContain(user.user.id);
  });

  it('positions cover the display name limit', async () => {
    const row = await env.DB.prepare('SELECT MAX(n) AS maxPosition FROM search_positions').first<{ maxPosition: number }>();
    expect(row?.maxPosition).toBeGreaterThanOrEqual(DISPLAY_NAME_MAX_CHARS);
  });
});

describe('Latin and mixed names', () => {
  it('mixed Latin and Chinese', async () => {
    const letters = randomLetters(4);
    const han = randomHan(2);
    const viewer = await registerUser();
    const user = await registerUser({ displayName: `${letters}${han}` });

    expect(idsOf(await searchAll(viewer.token, `${letters.slice(-1)}${han[0]}`))).toContain(user.user.id);
    expect(idsOf(await searchAll(viewer.token, `${letters.slice(-2)}${han}`))).toEqual([user.user.id]);
  });

  it('display names ignore case', async () => {
    const letters = randomLetters(6);
    const viewer = await registerUser();
    const user = await registerUser({ displayName: `Wang ${letters.toUpperCase()} Ming` });

    expect(idsOf(await searchAll(viewer.token, letters))).toEqual([user.user.id]);
    expect(idsOf(await searchAll(viewer.token, `ANG ${letters}`))).toEqual([user.user.id]);
  });

  it('two Latin letters ignore case', async () => {
    const pair = `${randomHan(1)}Q`;
    const viewer = await registerUser();
    const user = await registerUser({ displayName: `x${pair}x` });

    expect(idsOf(await searchAll(viewer.token, pair.toLowerCase()))).toContain(user.user.id);
  });

  it('username prefix ignores case', async () => {
    const viewer = await registerUser();
    const user = await registerUser({ username: uniqueUsername('Case') });

    const found = await searchAll(viewer.token, user.username.slice(0, 10).toUpperCase());

    expect(found.find((result) => result.id === user.user.id)?.match).toBe('prefix');
  });
});

describe('ranking and paging', () => {
  async function rankingFixture() {
    const stem = `r${randomLetters(10)}`;
    const viewer = await registerUser();
    const byName = await registerUser({ displayName: `Fan of ${stem}` });
    const longer = await registerUser({ username: `${stem}_b` });
    const exact = await registerUser({ username: stem });
    const longest = await registerUser({ username: `${stem}_c` });
    return { stem, viewer, exact, prefixes: [longer, longest], byName };
  }

  it('exact, then prefix, then name', async () => {
    const { stem, viewer, exact, prefixes, byName } = await rankingFixture();

    const found = await searchAll(viewer.token, stem.toUpperCase());

    expect(found.map((result) => [result.id, result.match])).toEqual([
      [exact.user.id, 'exact'],
      [prefixes[0]!.user.id, 'prefix'],
      [prefixes[1]!.user.id, 'prefix'],
      [byName.user.id, 'name'],
    ]);
  });

  it('pages repeat nothing and miss nothing', async () => {
    const token = randomHan(2);
    const viewer = await registerUser();
    const users: RegisteredUser[] = [];
    for (let i = 0; i < 7; i++) users.push(await registerUser({ displayName: `${token}${i}` }));

    const whole = idsOf(await searchAll(viewer.token, token, SEARCH_PAGE_MAX));
    const paged = idsOf(await searchAll(viewer.token, token, 2));

    expect(whole).toEqual(users.map((user) => user.user.id));
    expect(paged).toEqual(whole);
  });

  it('pages across the ranking tiers', async () => {
    const { stem, viewer } = await rankingFixture();

    const whole = await searchAll(viewer.token, stem, SEARCH_PAGE_MAX);
    for (const limit of [1, 2, 3]) {
      expect(await searchAll(viewer.token, stem, limit)).toEqual(whole);
    }
  });

  it('later sign-ups do not shift pages', async () => {
    const token = randomHan(2);
    const viewer = await registerUser();
    const users: RegisteredUser[] = [];
    for (let i = 0; i < 3; i++) users.push(await registerUser({ displayName: `${token}${i}` }));

    const first = await searchPage(viewer.token, token, '&limit=2');
    const late = await registerUser({ displayName: `${token}late` });
    const second = await searchPage(viewer.token, token, `&limit=2&cursor=${first.nextCursor}`);

    expect(idsOf([...first.users, ...second.users])).toEqual([...users, late].map((user) => user.user.id));
  });
});

describe('blocks in search', () => {
  it('blocked user is absent both ways', async () => {
    const token = randomHan(3);
    const alice = await registerUser({ displayName: `${token}A` });
    const bob = await registerUser({ displayName: `${token}B` });
    const carol = await registerUser({ displayName: `${token}C` });

    await block(alice, bob.user.id);

    expect(idsOf(await searchAll(alice.token, token))).toEqual([alice.user.id, carol.user.id]);
    expect(idsOf(await searchAll(bob.token, token))).toEqual([bob.user.id, carol.user.id]);
    expect(idsOf(await searchAll(carol.token, token))).toEqual([alice.user.id, bob.user.id, carol.user.id]);
  });
});

describe('search limits', () => {
  it.each([
    { case: 'the maximum', length: SEARCH_QUERY_MAX_CHARS, status: 200 },
    { case: 'one past the maximum', length: SEARCH_QUERY_MAX_CHARS + 1, status: 400 },
  ])('query at $case', async ({ length, status }) => {
    const viewer = await registerUser();
    const response = await callApi(`/search/users?q=${encodeURIComponent('搜'.repeat(length))}`, { token: viewer.token });

    expect(response.status).toBe(status);
    if (status === 400) expect(await errorCodeOf(response)).toBe('query_too_long');
  });

  it.each([
    { case: 'the maximum', limit: SEARCH_PAGE_MAX, status: 200 },
    { case: 'one past the maximum', limit: SEARCH_PAGE_MAX + 1, status: 400 },
  ])('limit at $case', async ({ limit, status }) => {
    const viewer = await registerUser();
    const response = await callApi(`/search/users?q=a&limit=${limit}`, { token: viewer.token });

    expect(response.status).toBe(status);
  });

  it('blank query fails', async () => {
    const viewer = await registerUser();
    const response = await callApi('/search/users?q=%20%20', { token: viewer.token });

    expect(response.status).toBe(400);
    expect(await errorCodeOf(response)).toBe('invalid_request');
  });

  it('FTS syntax is matched literally', async () => {
    const viewer = await registerUser();
    const response = await callApi(`/search/users?q=${encodeURIComponent('"a" OR b*')}`, { token: viewer.token });

    expect(response.status).toBe(200);
  });

  it('requires a token', async () => {
    expect((await callApi('/search/users?q=abc')).status).toBe(401);
  });
});
