// Bench flags: the scale options at and one past their limits, and the
// switch between the direct path and wrangler's dev proxy.

import { expect, test } from 'vitest';
import { ConfigError, parseConfig, QUICK_OUTPUT_NAME, SOCKETS_PER_USER_MAX } from '../../bench/config';

const parse = (argv: string[], env: NodeJS.ProcessEnv = {}) => parseConfig(argv, env, 'results/out.md');

test('quick run keeps recorded results', () => {
  expect(parse([]).outputFile).toBe('results/out.md');
  expect(parse(['--quick']).outputFile).toBe(`results/${QUICK_OUTPUT_NAME}`);
  expect(parse(['--quick', '--output', 'mine.md']).outputFile).toBe('mine.md');
});

test('full run measures scale targets', () => {
  const config = parse([]);

  expect(config.idleSockets).toBe(10_000);
  expect(config.onlineUsers).toBe(3_000);
  expect(config.fanoutSizes).toEqual([100, 1_000, 10_000]);
  expect(config.feigeViaProxy).toBe(false);
});

test('sockets per user accepts its maximum', () => {
  expect(parse(['--sockets-per-user', String(SOCKETS_PER_USER_MAX)]).socketsPerUser).toBe(SOCKETS_PER_USER_MAX);
});

test('sockets per user rejects past maximum', () => {
  expect(() => parse(['--sockets-per-user', String(SOCKETS_PER_USER_MAX + 1)])).toThrow(ConfigError);
  expect(() => parse(['--sockets-per-user', String(SOCKETS_PER_USER_MAX + 1)])).toThrow(`expected an integer from 1 to ${SOCKETS_PER_USER_MAX}`);
});

test('proxy path from flag', () => {
  expect(parse(['--feige-via-proxy']).feigeViaProxy).toBe(true);
});

test('proxy path from environment', () => {
  expect(parse([], { BENCH_FEIGE_VIA_PROXY: '1' }).feigeViaProxy).toBe(true);
});

test('online users from flag', () => {
  expect(parse(['--online-users', '42']).onlineUsers).toBe(42);
});
