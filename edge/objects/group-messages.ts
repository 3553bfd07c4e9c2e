// Group messages: `group.send` and `group.sync`, run inside one GroupDO call
// each. Membership is checked in the same synchronous step that appends the
// message, so a member removed before that step has nothing accepted. A group
// with a member limit up to GROUP_E2E_MEMBERS_MAX is end-to-end encrypted and
// takes only sender-key ciphertext; a larger one takes only text.

import type { ClientGroupSendFrame, ServerErrorFrame, ServerGroupAckFrame, ServerGroupPageFrame } from '../../protocol/frames';
import type { GroupMessage } from '../../protocol/groups';
import { GROUP_E2E_MEMBERS_MAX, GROUP_SYNC_PAGE_MAX, TEXT_MAX_BYTES, countUtf8Bytes } from '../../protocol/limits';
import { newId } from '../auth/tokens';
import { liveSettings, type GroupCore } from './group-core';
import type { MessageEntry } from './group-log';

export function sendGroupMessage(
  core: GroupCore,
  userId: string,
  frame: ClientGroupSendFrame,
  now: number,
): ServerGroupAckFrame | ServerErrorFrame {
  const settings = liveSettings(core);
  if (!settings.ok) return errorFrame('not_found', frame.cid, settings.failure.message);
  if (!core.state.member(userId)) return errorFrame('not_a_member', frame.cid, 'You are not a member of this group.');

  const wrongType = checkContentType(frame, settings.value.memberLimit);
  if (wrongType) return wrongType;
  const tooLarge = checkContentSize(frame, frame.cid);
  if (tooLarge) return tooLarge;

  const existing = core.log.findMessage(userId, frame.cid);
  if (existing) return ackFor(existing);

  const entry = core.log.appendMessage(userId, frame.cid, now, (groupSeq): GroupMessage => ({
    id: newId(),
    groupId: frame.groupId,
    from: userId,
    cid: frame.cid,
    content: frame.content,
    groupSeq,
    ts: now,
  }));
  if (settings.value.delivery === 'inbox') {
    core.queue.enqueue(
      { type: 'members', visibleSeq: entry.groupSeq },
      { kind: 'group.message', groupId: frame.groupId, message: entry.message },
    );
  }
  return ackFor(entry);
}

/**
 * Log entries after `after` that the member may see: from their join on, or
 * the whole log when the group shows earlier history to new members.
 */
export function readGroupLog(
  core: GroupCore,
  userId: string,
  groupId: string,
  after: number,
  limit: number | undefined,
): ServerGroupPageFrame | ServerErrorFrame {
  const settings = liveSettings(core);
  if (!settings.ok) return { ...errorFrame('not_found', undefined, settings.failure.message), groupId };
  const me = core.state.member(userId);
  if (!me) return { ...errorFrame('not_a_member', undefined, 'You are not a member of this group.'), groupId };

  const from = settings.value.historyVisible ? 0 : me.joinSeq;
  const page = core.log.readPage(after, from, Math.min(limit ?? GROUP_SYNC_PAGE_MAX, GROUP_SYNC_PAGE_MAX));
  return { type: 'group.page', groupId, entries: page.entries, hasMore: page.hasMore, headSeq: core.log.headSeq() };
}

/** End-to-end groups take only `group_e2e` content, so no member device sends a readable text by mistake; others only `text`. */
function checkContentType(frame: ClientGroupSendFrame, memberLimit: number): ServerErrorFrame | undefined {
  const endToEnd = memberLimit <= GROUP_E2E_MEMBERS_MAX;
  const type = frame.content.type;
  if (endToEnd && type !== 'group_e2e') {
    return errorFrame(
      'encryption_required',
      frame.cid,
      `Group ${frame.groupId} is end-to-end encrypted (member limit ${memberLimit}, at most GROUP_E2E_MEMBERS_MAX = ${GROUP_E2E_MEMBERS_MAX}): send content of type "group_e2e", not "${type}".`,
    );
  }
  if (!endToEnd && type !== 'text') {
    return errorFrame(
      'invalid_request',
      frame.cid,
      `Group ${frame.groupId} is encrypted in transit only (member limit ${memberLimit}, over GROUP_E2E_MEMBERS_MAX = ${GROUP_E2E_MEMBERS_MAX}): send content of type "text", not "${type}".`,
    );
  }
  return undefined;
}

function checkContentSize(frame: ClientGroupSendFrame, cid: string): ServerErrorFrame | undefined {
  const content = frame.content;
  switch (content.type) {
    case 'text': {
      const bytes = countUtf8Bytes(content.text);
      if (bytes <= TEXT_MAX_BYTES) return undefined;
      return {
        ...errorFrame('text_too_long', cid, `The text has ${bytes} UTF-8 bytes; the maximum is ${TEXT_MAX_BYTES}.`),
        limit: TEXT_MAX_BYTES,
        value: bytes,
      };
    }
    case 'group_e2e':
      // groupMessageContentSchema bounds the ciphertext at GROUP_CIPHERTEXT_MAX_BYTES.
      return undefined;
    default: {
      const unreachable: never = content;
      throw new Error(`Unknown group content ${JSON.stringify(unreachable)}`);
    }
  }
}

function ackFor(entry: MessageEntry): ServerGroupAckFrame {
  const message = entry.message;
  return { type: 'group.ack', cid: message.cid, groupId: message.groupId, messageId: message.id, groupSeq: entry.groupSeq, ts: message.ts };
}

function errorFrame(code: ServerErrorFrame['code'], cid: string | undefined, message: string): ServerErrorFrame {
  return { type: 'error', code, message, ...(cid ? { cid } : {}) };
}
