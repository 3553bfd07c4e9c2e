import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { BACKOFF_BASE_MS, BACKOFF_MAX_MS, ReconnectSchedule, backoffDelay } from '../../web/app/net/backoff';
import { HEARTBEAT_INTERVAL_MS, HEARTBEAT_TIMEOUT_MS, Heartbeat } from '../../web/app/net/heartbeat';

describe('backoff', () => {
  test('delay doubles per attempt', () => {
    const noJitter = () => 1;

    expect(backoffDelay(0, noJitter)).toBe(BACKOFF_BASE_MS);
    expect(backoffDelay(1, noJitter)).toBe(BACKOFF_BASE_MS * 2);
    expect(backoffDelay(2, noJitter)).toBe(BACKOFF_BASE_MS * 4);
  });

  test('delay stops at ceiling', () => {
    expect(backoffDelay(50, () => 1)).toBe(BACKOFF_MAX_MS);
    expect(backoffDelay(5_000, () => 1)).toBe(BACKOFF_MAX_MS);
  });

  test('jitter spans upper half', () => {
    expect(backoffDelay(0, () => 0)).toBe(BACKOFF_BASE_MS / 2);
    expect(backoffDelay(50, () => 0)).toBe(BACKOFF_MAX_MS / 2);
    expect(backoffDelay(0, () => 0.5)).toBe(BACKOFF_BASE_MS * 0.75);
  });

  test('schedule grows and resets', () => {
    const schedule = new ReconnectSchedule(() => 1);

    expect([schedule.next(), schedule.next(), schedule.next()]).toEqual([
      BACKOFF_BASE_MS,
      BACKOFF_BASE_MS * 2,
      BACKOFF_BASE_MS * 4,
    ]);
    schedule.reset();
    expect(schedule.next()).toBe(BACKOFF_BASE_MS);
  });
});

describe('heartbeat', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  test('pings once per interval', () => {
    const sendPing = vi.fn();
    const heartbeat = new Heartbeat(sendPing, vi.fn());
    heartbeat.start();

    vi.advanceTimersByTime(HEARTBEAT_INTERVAL_MS - 1);
    expect(sendPing).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(sendPing).toHaveBeenCalledTimes(1);

    heartbeat.received();
    vi.advanceTimersByTime(HEARTBEAT_INTERVAL_MS);
    expect(sendPing).toHaveBeenCalledTimes(2);
    heartbeat.stop();
  });

  test('missing pong times out', () => {
    const onTimeout = vi.fn();
    const heartbeat = new Heartbeat(vi.fn(), onTimeout);
    heartbeat.start();

    vi.advanceTimersByTime(HEARTBEAT_INTERVAL_MS + HEARTBEAT_TIMEOUT_MS - 1);
    expect(onTimeout).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(onTimeout).toHaveBeenCalledTimes(1);

    vi.advanceTimersByTime(HEARTBEAT_INTERVAL_MS * 3);
    expect(onTimeout).toHaveBeenCalledTimes(1);
  });

  test('pong cancels timeout', () => {
    const onTimeout = vi.fn();
    const heartbeat = new Heartbeat(vi.fn(), onTimeout);
    heartbeat.start();

    vi.advanceTimersByTime(HEARTBEAT_INTERVAL_MS);
    heartbeat.received();
    vi.advanceTimersByTime(HEARTBEAT_TIMEOUT_MS);

    expect(onTimeout).not.toHaveBeenCalled();
    heartbeat.stop();
  });

  test('stopped heartbeat stays silent', () => {
    const sendPing = vi.fn();
    const onTimeout = vi.fn();
    const heartbeat = new Heartbeat(sendPing, onTimeout);
    heartbeat.start();
    vi.advanceTimersByTime(HEARTBEAT_INTERVAL_MS);

    heartbeat.stop();
    vi.advanceTimersByTime(HEARTBEAT_INTERVAL_MS * 3);

    expect(sendPing).toHaveBeenCalledTimes(1);
    expect(onTimeout).not.toHaveBeenCalled();
  });
});
