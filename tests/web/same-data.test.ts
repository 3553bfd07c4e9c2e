import { describe, expect, test } from 'vitest';
import { sameData } from '../../web/app/ui/common/same-data';

describe('same plain data', () => {
  test('equal objects read twice match', () => {
    const read = () => ({ id: 'c1', unread: 2, lastMessage: { text: 'hi', from: 'u1' }, tags: ['a', 'b'], group: undefined });

    expect(sameData(read(), read())).toBe(true);
  });

  test('a changed field, even nested, differs', () => {
    const base = { id: 'c1', lastMessage: { text: 'hi', seqs: [1, 2] } };

    expect(sameData(base, { id: 'c1', lastMessage: { text: 'hi!', seqs: [1, 2] } })).toBe(false);
    expect(sameData(base, { id: 'c1', lastMessage: { text: 'hi', seqs: [1, 3] } })).toBe(false);
    expect(sameData(base, { id: 'c1', lastMessage: { text: 'hi', seqs: [1, 2, 3] } })).toBe(false);
  });

  test('missing key differs from undefined', () => {
    expect(sameData({ a: 1, b: undefined }, { a: 1, c: undefined })).toBe(false);
    expect(sameData({ a: 1 }, { a: 1, b: undefined })).toBe(false);
  });

  test('null, arrays and objects differ', () => {
    expect(sameData(null, {})).toBe(false);
    expect(sameData([], {})).toBe(false);
    expect(sameData({ 0: 'x' }, ['x'])).toBe(false);
    expect(sameData(NaN, NaN)).toBe(true);
  });

  test('other objects compare by identity', () => {
    const map = new Map([['k', 1]]);

    expect(sameData(map, map)).toBe(true);
    expect(sameData(map, new Map([['k', 1]]))).toBe(false);
    expect(sameData(new Date(5), new Date(5))).toBe(false);
  });
});
