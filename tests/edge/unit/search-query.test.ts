import { describe, expect, it } from 'vitest';
import { SEARCH_QUERY_MAX_CHARS } from '../../../protocol/limits';
import { ApiError } from '../../../edge/http/api-error';
import { TRIGRAM_MIN_CHARS, parseSearchQuery } from '../../../edge/search/query';

function errorOf(run: () => unknown): ApiError {
  try {
    run();
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('Expected an ApiError.');
}

describe('parseSearchQuery', () => {
  it('trims the query', () => {
    expect(parseSearchQuery('  张伟 ').text).toBe('张伟');
  });

  it('empty query fails naming q', () => {
    const error = errorOf(() => parseSearchQuery('   '));
    expect(error.code).toBe('invalid_request');
    expect(error.details.field).toBe('q');
  });

  it('missing query fails', () => {
    expect(errorOf(() => parseSearchQuery(undefined)).code).toBe('invalid_request');
  });

  it('maximum length passes', () => {
    expect(parseSearchQuery('鸽'.repeat(SEARCH_QUERY_MAX_CHARS)).text).toHaveLength(SEARCH_QUERY_MAX_CHARS);
  });

  it('one past the maximum fails', () => {
    const error = errorOf(() => parseSearchQuery('鸽'.repeat(SEARCH_QUERY_MAX_CHARS + 1)));
    expect(error.code).toBe('query_too_long');
    expect(error.status).toBe(400);
    expect(error.details.limit).toBe(SEARCH_QUERY_MAX_CHARS);
    expect(error.details.value).toBe(SEARCH_QUERY_MAX_CHARS + 1);
  });

  it.each([
    { query: '张', index: 'ngram' },
    { query: '张伟', index: 'ngram' },
    { query: 'ab', index: 'ngram' },
    { query: '张伟明', index: 'trigram' },
    { query: 'abc', index: 'trigram' },
  ])('$query uses the $index index', ({ query, index }) => {
    expect(parseSearchQuery(query).nameIndex).toBe(index);
  });

  it('trigram threshold is three characters', () => {
    expect(TRIGRAM_MIN_CHARS).toBe(3);
  });

  it('username-like query gets a lower-cased prefix range', () => {
    const username = parseSearchQuery('Ali_2').username;
    expect(username).toBeDefined();
    const range = username!;
    expect(range.key).toBe('ali_2');
    expect('ali_2zzz' < range.end).toBe(true);
    expect('ali_2' < range.end).toBe(true);
    expect('ali_3' < range.end).toBe(false);
  });

  it.each(['张伟', 'a b', 'a-b', 'ü'])('%s cannot match a username', (query) => {
    expect(parseSearchQuery(query).username).toBeUndefined();
  });

  it('quotes the FTS phrase', () => {
    expect(parseSearchQuery('say "hi" OR x').ftsPhrase).toBe('"say ""hi"" OR x"');
  });
});
