// Parsing of a user-search query into what the three ranking tiers need.
// Pure, so it is tested without D1.

import { SEARCH_QUERY_MAX_CHARS, countChars } from '../../protocol/limits';
import { ApiError } from '../http/api-error';

/** The FTS5 trigram tokenizer needs 3 characters; shorter queries use the n-gram table. */
export const TRIGRAM_MIN_CHARS = 3;

/** Characters a username may contain; only such a query can match a username. */
const USERNAME_CHARACTERS = /^[A-Za-z0-9_]+$/;

/** DEL sorts after every character a username may contain, so [key, key + DEL) contains exactly the usernames starting with key. */
const USERNAME_RANGE_END = '\u007f';

export interface SearchQuery {
  /** The trimmed query. */
  text: string;
  /** Lower-cased query and the end of its prefix range; absent unless the query could start a username. */
  username?: { key: string; end: string };
  /** How display names are matched: the FTS5 trigram index, or the 1- and 2-character n-gram table. */
  nameIndex: 'trigram' | 'ngram';
  /** The query as one quoted FTS5 phrase, so its characters are matched literally and in order. */
  ftsPhrase: string;
}

/** Trims and checks a query; empty or over SEARCH_QUERY_MAX_CHARS is a 400 naming the parameter `q`. */
export function parseSearchQuery(raw: string | undefined): SearchQuery {
  const text = (raw ?? '').trim();
  const length = countChars(text);
  if (length === 0) {
    throw new ApiError(400, 'invalid_request', 'Search query q is empty; send at least 1 character.', { field: 'q' });
  }
  if (length > SEARCH_QUERY_MAX_CHARS) {
    throw new ApiError(400, 'query_too_long', `Search query has ${length} characters; the maximum is ${SEARCH_QUERY_MAX_CHARS}.`, {
      field: 'q',
      limit: SEARCH_QUERY_MAX_CHARS,
      value: length,
    });
  }

  const key = text.toLowerCase();
  return {
    text,
    username: USERNAME_CHARACTERS.test(text) ? { key, end: key + USERNAME_RANGE_END } : undefined,
    nameIndex: length >= TRIGRAM_MIN_CHARS ? 'trigram' : 'ngram',
    ftsPhrase: `"${text.replace(/"/g, '""')}"`,
  };
}
