// One message: text, time and, for own messages, the delivery state. In a
// group chat every incoming message also names its sender.

import { errorText, t } from '../../i18n';
import type { LocalContent, StoredMessage } from '../../store/db';
import { AlertIcon, CheckIcon, ClockIcon } from '../common/icons';
import { formatClock } from '../common/format';

interface Props {
  message: StoredMessage;
  mine: boolean;
  grouped: boolean;
  /** The sender's name shown above the bubble, or null. */
  sender?: string | null;
}

export function MessageBubble({ message, mine, grouped, sender = null }: Props) {
  const failure = message.status === 'failed' ? message.failure : undefined;

  return (
    <div
      class="message"
      data-testid="message"
      data-status={message.status}
      data-mine={String(mine)}
      data-cid={message.cid}
      data-from={message.from}
      data-grouped={String(grouped)}
    >
      {sender !== null && (
        <span class="message-sender" data-testid="message-sender">
          {sender}
        </span>
      )}
      <div class="bubble">
        <MessageText content={message.content} />
        <span class="message-meta">
          <time data-testid="message-time" dateTime={new Date(message.ts).toISOString()}>
            {formatClock(message.ts)}
          </time>
          {mine && <StatusIcon status={message.status} />}
        </span>
      </div>
      {failure && (
        <p class="message-failure" role="alert">
          {t('chat.status.failed', { reason: errorText(failure) })}
        </p>
      )}
    </div>
  );
}

function MessageText({ content }: { content: LocalContent }) {
  switch (content.type) {
    case 'text':
      return (
        <p class="message-text" data-testid="message-text" dir="auto">
          {content.text}
        </p>
      );
    case 'unavailable':
      return (
        <p class="message-text message-text-unavailable" data-testid="message-text" data-unavailable={content.reason}>
          {content.reason === 'not_for_this_device'
            ? t('chat.unavailable.notForThisDevice')
            : t('chat.unavailable.undecryptable')}
        </p>
      );
    case 'key_change':
    case 'system':
      // MessageList shows key changes and group changes as lines of their own, never as bubbles.
      return null;
    default: {
      const unreachable: never = content;
      throw new Error(`unknown message content ${JSON.stringify(unreachable)}`);
    }
  }
}

function StatusIcon({ status }: { status: StoredMessage['status'] }) {
  switch (status) {
    case 'pending':
      return (
        <span class="message-status" title={t('chat.status.pending')} aria-label={t('chat.status.pending')}>
          <ClockIcon size={13} />
        </span>
      );
    case 'sent':
      return (
        <span class="message-status" title={t('chat.status.sent')} aria-label={t('chat.status.sent')}>
          <CheckIcon size={14} />
        </span>
      );
    case 'failed':
      return (
        <span class="message-status message-status-failed" aria-hidden="true">
          <AlertIcon size={14} />
        </span>
      );
    default: {
      const unreachable: never = status;
      throw new Error(`unknown message status ${String(unreachable)}`);
    }
  }
}
