import { beforeEach, describe, expect, test } from 'vitest';
import type { InboxEvent } from '../../protocol/frames';
import {
  GROUP_NOTICE_MAX_AGE_MS,
  GROUP_NOTICES_SHOWN_MAX,
  dismissGroupNotice,
  groupNotices,
  noteGroupNotices,
  resetGroupNotices,
} from '../../web/app/state/group-notices';

const NOW = 1_800_000_000_000;

function applicationEvent(seq: number, ts = NOW): InboxEvent {
  return {
    kind: 'group',
    seq,
    ts,
    groupId: 'group-1',
    change: { type: 'application', applicationId: `app-${seq}`, applicantId: `user-${seq}`, message: 'hello' },
  };
}

function resultEvent(seq: number, approved: boolean): InboxEvent {
  return {
    kind: 'group',
    seq,
    ts: NOW,
    groupId: 'group-2',
    change: { type: 'application_result', applicationId: 'app-x', approved, by: 'admin' },
  };
}

describe('group notices', () => {
  beforeEach(() => resetGroupNotices());

  test('applications and results are noted', () => {
    noteGroupNotices([applicationEvent(1), resultEvent(2, false)], NOW);

    expect(groupNotices.value.map((notice) => notice.key)).toEqual([1, 2]);
    expect(groupNotices.value[1]?.change).toMatchObject({ type: 'application_result', approved: false });
  });

  test('other group changes are ignored', () => {
    const joined: InboxEvent = {
      kind: 'group',
      seq: 3,
      ts: NOW,
      groupId: 'group-1',
      groupSeq: 2,
      change: { type: 'joined', userId: 'user-3', delivery: 'inbox' },
    };
    noteGroupNotices([joined], NOW);

    expect(groupNotices.value).toEqual([]);
  });

  test('max age at and past edge', () => {
    noteGroupNotices([applicationEvent(1, NOW - GROUP_NOTICE_MAX_AGE_MS)], NOW);
    noteGroupNotices([applicationEvent(2, NOW - GROUP_NOTICE_MAX_AGE_MS - 1)], NOW);

    expect(groupNotices.value.map((notice) => notice.key)).toEqual([1]);
  });

  test('a replayed event is noted once', () => {
    noteGroupNotices([applicationEvent(1)], NOW);
    noteGroupNotices([applicationEvent(1)], NOW);

    expect(groupNotices.value).toHaveLength(1);
  });

  test('shown cards capped, oldest dropped', () => {
    const atCap = Array.from({ length: GROUP_NOTICES_SHOWN_MAX }, (_, index) => applicationEvent(index + 1));
    noteGroupNotices(atCap, NOW);
    expect(groupNotices.value).toHaveLength(GROUP_NOTICES_SHOWN_MAX);

    noteGroupNotices([applicationEvent(GROUP_NOTICES_SHOWN_MAX + 1)], NOW);
    expect(groupNotices.value).toHaveLength(GROUP_NOTICES_SHOWN_MAX);
    expect(groupNotices.value[0]?.key).toBe(2);
  });

  test('dismiss removes one card', () => {
    noteGroupNotices([applicationEvent(1), applicationEvent(2)], NOW);
    dismissGroupNotice(1);

    expect(groupNotices.value.map((notice) => notice.key)).toEqual([2]);
  });
});
