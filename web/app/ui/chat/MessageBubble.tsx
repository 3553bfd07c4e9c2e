// One message: text, time and, for own messages, the delivery state. In a
// group chat every incoming message also names its sender.

import { Component } from 'preact';
import { errorText, t, type Locale } from '../../i18n';
import type { LocalContent, StoredMessage } from '../../store/db';
import { AlertIcon, CheckIcon, ClockIcon } from '../common/icons';
import { formatClock } from '../common/format';

interface Props {
  message: StoredMessage;
  mine: boolean;
  grouped: boolean;
  /** The sender's name shown above the bubble, or null. */
  sender?: string | null;
  /** The active locale: the bubble's texts and clock depend on it, so a change renders it again. */
  locale: Locale;
}

/**
 * A bubble that renders again only when what it shows changed. Every reload
 * of the chat's window reads new message objects from IndexedDB, so
 * comparing object identity would render every bubble again.
 */
export class MessageBubble extends Component<Props> {
  override shouldComponentUpdate(next: Props): boolean {
    return !sameBubble(this.props, next);
  }

  override render() {
    return renderBubble(this.props);
  }
}

function sameBubble(a: Props, b: Props): boolean {
  const x = a.message;
  const y = b.message;
  return (
    a.locale === b.locale &&
    a.mine === b.mine &&
    a.grouped === b.grouped &&
    (a.sender ?? null) === (b.sender ?? null) &&
    x.key === y.key &&
    x.cid === y.cid &&
    x.from === y.from &&
    x.ts === y.ts &&
    x.status === y.status &&
    sameContent(x.content, y.content) &&
    x.failure?.code === y.failure?.code &&
    x.failure?.limit === y.failure?.limit &&
    x.failure?.value === y.failure?.value
  );
}

function sameContent(a: LocalContent, b: LocalContent): boolean {
  if (a.type === 'text' && b.type === 'text') return a.text === b.text;
  if (a.type === 'unavailable' && b.type === 'unavailable') return a.reason === b.reason;
  // Key changes and system lines render no bubble content.
  return a.type === b.type && a.type !== 'text' && a.type !== 'unavailable';
}

function renderBubble({ message, mine, grouped, sender = null }: Props) {
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
        {messageText(message.content)}
        <span class="message-meta">
          <time data-testid="message-time" dateTime={new Date(message.ts).toISOString()}>
            {formatClock(message.ts)}
          </time>
          {mine && statusIcon(message.status)}
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

// messageText and statusIcon are called as functions, not rendered as
// components: a chat opens with 50 bubbles, and each component instance
// costs Preact and @preact/signals bookkeeping on the first render.
function messageText(content: LocalContent) {
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

function statusIcon(status: StoredMessage['status']) {
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
