// Group notices addressed to one person, shown as dismissible cards above the
// chat list: an application to a group this user administers, and the decision
// on this user's own application. They arrive as `group` inbox events, live
// or in a sync page, and are not part of any group's log.

import { signal } from '@preact/signals';
import type { InboxEvent } from '../../../protocol/frames';
import type { GroupChange } from '../../../protocol/groups';

/**
 * Notices older than this when they arrive are not shown, so that a new
 * device reading its inbox from the start does not list old decisions.
 */
export const GROUP_NOTICE_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;

/** Cards shown at once; older ones are dropped first. */
export const GROUP_NOTICES_SHOWN_MAX = 5;

export type GroupNoticeChange = Extract<GroupChange, { type: 'application' | 'application_result' }>;

export interface GroupNotice {
  /** The inbox seq of the event, unique per notice. */
  key: number;
  groupId: string;
  change: GroupNoticeChange;
  ts: number;
}

export const groupNotices = signal<readonly GroupNotice[]>([]);

/** Adds the notices among `events` that are recent enough to show. */
export function noteGroupNotices(events: readonly InboxEvent[], now: number = Date.now()): void {
  const fresh: GroupNotice[] = [];
  for (const event of events) {
    if (event.kind !== 'group') continue;
    const change = event.change;
    if (change.type !== 'application' && change.type !== 'application_result') continue;
    if (now - event.ts > GROUP_NOTICE_MAX_AGE_MS) continue;
    if (groupNotices.value.some((notice) => notice.key === event.seq)) continue;

    fresh.push({ key: event.seq, groupId: event.groupId, change, ts: event.ts });
  }
  if (fresh.length === 0) return;

  groupNotices.value = [...groupNotices.value, ...fresh].slice(-GROUP_NOTICES_SHOWN_MAX);
}

export function dismissGroupNotice(key: number): void {
  groupNotices.value = groupNotices.value.filter((notice) => notice.key !== key);
}

/** Clears every card, when the account stops. */
export function resetGroupNotices(): void {
  groupNotices.value = [];
}
