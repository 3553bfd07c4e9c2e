import { describe, expect, it } from 'vitest';
import { directConversationId } from '../../../protocol/frames';
import { FRIEND_REQUEST_MESSAGE_MAX_CHARS, REGION_MAX_CHARS } from '../../../protocol/limits';
import { ApiError } from '../../../edge/http/api-error';
import { checkRegion } from '../../../edge/profile/rules';
import { peerInConversation } from '../../../edge/relations/conversation-id';
import { checkRequestMessage } from '../../../edge/relations/request-message';

function errorOf(run: () => unknown): ApiError {
  try {
    run();
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('Expected an ApiError.');
}

describe('checkRequestMessage', () => {
  it('maximum length passes', () => {
    expect(checkRequestMessage('好'.repeat(FRIEND_REQUEST_MESSAGE_MAX_CHARS))).toHaveLength(FRIEND_REQUEST_MESSAGE_MAX_CHARS);
  });

  it('one past the maximum fails', () => {
    const error = errorOf(() => checkRequestMessage('好'.repeat(FRIEND_REQUEST_MESSAGE_MAX_CHARS + 1)));
    expect(error.code).toBe('request_message_too_long');
    expect(error.details.limit).toBe(FRIEND_REQUEST_MESSAGE_MAX_CHARS);
    expect(error.details.value).toBe(FRIEND_REQUEST_MESSAGE_MAX_CHARS + 1);
  });

  it('missing message is empty', () => {
    expect(checkRequestMessage(undefined)).toBe('');
  });

  it('control character fails', () => {
    expect(errorOf(() => checkRequestMessage('hi\u0007')).details.field).toBe('message');
  });
});

describe('checkRegion', () => {
  it('maximum length passes trimmed', () => {
    expect(checkRegion(` ${'沪'.repeat(REGION_MAX_CHARS)} `)).toHaveLength(REGION_MAX_CHARS);
  });

  it('one past the maximum fails', () => {
    const error = errorOf(() => checkRegion('沪'.repeat(REGION_MAX_CHARS + 1)));
    expect(error.code).toBe('region_too_long');
    expect(error.details.limit).toBe(REGION_MAX_CHARS);
    expect(error.details.value).toBe(REGION_MAX_CHARS + 1);
  });
});

describe('peerInConversation', () => {
  const conversation = directConversationId('bob', 'alice');

  it('returns the other user', () => {
    expect(peerInConversation(conversation, 'alice')).toBe('bob');
    expect(peerInConversation(conversation, 'bob')).toBe('alice');
  });

  it('note to self returns the user', () => {
    expect(peerInConversation(directConversationId('alice', 'alice'), 'alice')).toBe('alice');
  });

  it.each(['d:bob:alice', 'd:alice', 'g:alice:bob', 'd:alice:bob:x', ''])('rejects %j', (id) => {
    expect(peerInConversation(id, 'alice')).toBeUndefined();
  });

  it('rejects a conversation of others', () => {
    expect(peerInConversation(conversation, 'carol')).toBeUndefined();
  });
});
