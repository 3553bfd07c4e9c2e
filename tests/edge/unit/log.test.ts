import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger, parseLogLevel } from '../../../edge/log';

/** Captures what the logger prints to console.log, one parsed JSON entry per line. */
function captureConsoleLog(): { entries: () => unknown[] } {
  const spy = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  return { entries: () => spy.mock.calls.map((call) => JSON.parse(String(call[0]))) };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('logger', () => {
  it('redacts secret-looking keys', () => {
    const output = captureConsoleLog();
    createLogger('test', 'info', { token: 'abc' }).info('signed in', { password: 'hunter22', userId: 'u1' });

    expect(output.entries()).toEqual([
      { level: 'info', prefix: 'test', message: 'signed in', token: '[redacted]', password: '[redacted]', userId: 'u1' },
    ]);
  });

  it('drops entries below the level', () => {
    const output = captureConsoleLog();
    const log = createLogger('test', 'info');
    log.debug('hidden');
    log.info('shown');

    expect(output.entries()).toHaveLength(1);
  });

  it('child adds context', () => {
    const output = captureConsoleLog();
    createLogger('test', 'debug', { userId: 'u1' }).child({ sessionId: 's1' }).debug('hello');

    expect(output.entries()).toEqual([
      { level: 'debug', prefix: 'test', message: 'hello', userId: 'u1', sessionId: 's1' },
    ]);
  });

  it('unknown level falls back to info', () => {
    expect(parseLogLevel('verbose')).toBe('info');
    expect(parseLogLevel(undefined)).toBe('info');
    expect(parseLogLevel('debug')).toBe('debug');
  });
});
