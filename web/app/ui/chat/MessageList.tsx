// The scrolling message list. It stays pinned to the bottom while the user is
// there, keeps the visible messages in place when older ones are added above,
// and loads older messages when scrolled near the top.

import { useEffect, useLayoutEffect, useRef } from 'preact/hooks';
import { t } from '../../i18n';
import type { StoredMessage } from '../../store/db';
import { formatDay, sameDay } from '../common/format';
import { systemLineText, type NameOf } from './group-names';
import { MessageBubble } from './MessageBubble';

/** Distance from the bottom, in CSS pixels, that still counts as "at the bottom". */
const BOTTOM_SLACK_PX = 80;

/** Distance from the top, in CSS pixels, at which older messages start loading. */
const TOP_LOAD_PX = 120;

/** Messages of one sender closer together than this share one group, without repeated spacing. */
const GROUP_GAP_MS = 5 * 60 * 1000;

interface Props {
  me: string;
  messages: StoredMessage[];
  hasOlder: boolean;
  loadingOlder: boolean;
  onLoadOlder(): void;
  emptyText: string;
  /** The other person's name, for notices about their keys. */
  peerName: string;
  /** Set in group chats: names the sender above each incoming message and the members in system lines. */
  senderName?: NameOf;
}

export function MessageList({ me, messages, hasOlder, loadingOlder, onLoadOlder, emptyText, peerName, senderName }: Props) {
  const list = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const distanceFromBottom = useRef<number | null>(null);
  const newestCid = useRef<string | null>(null);

  useLayoutEffect(() => {
    const element = list.current;
    if (!element) return;

    const newest = messages[messages.length - 1];
    const ownNewMessage = newest !== undefined && newest.from === me && newest.cid !== newestCid.current;
    newestCid.current = newest?.cid ?? null;

    if (distanceFromBottom.current !== null) {
      element.scrollTop = element.scrollHeight - distanceFromBottom.current;
      distanceFromBottom.current = null;
      return;
    }
    if (atBottom.current || ownNewMessage) {
      element.scrollTop = element.scrollHeight;
      atBottom.current = true;
    }
  }, [messages, me]);

  useEffect(() => {
    const element = list.current;
    if (!element) return;

    // The on-screen keyboard and window resizes shrink the list; keep the newest message in view.
    const observer = new ResizeObserver(() => {
      if (atBottom.current) element.scrollTop = element.scrollHeight;
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  function onScroll() {
    const element = list.current;
    if (!element) return;

    atBottom.current = element.scrollHeight - element.scrollTop - element.clientHeight < BOTTOM_SLACK_PX;
    if (element.scrollTop < TOP_LOAD_PX && hasOlder && !loadingOlder) {
      distanceFromBottom.current = element.scrollHeight - element.scrollTop;
      onLoadOlder();
    }
  }

  return (
    <div class="message-list" data-testid="message-list" ref={list} onScroll={onScroll}>
      {loadingOlder && <div class="message-list-loading" aria-hidden="true" />}
      {messages.length === 0 ? <p class="message-list-empty">{emptyText}</p> : renderRows(messages, me, peerName, senderName)}
    </div>
  );
}

function renderRows(messages: StoredMessage[], me: string, peerName: string, senderName: NameOf | undefined) {
  const now = Date.now();
  const rows = [];
  let previous: StoredMessage | undefined;

  for (const message of messages) {
    if (!previous || !sameDay(previous.ts, message.ts)) {
      rows.push(
        <div class="day-separator" data-testid="day-separator" key={`day-${message.ts}`}>
          <span>{dayLabel(message.ts, now)}</span>
        </div>,
      );
    }

    if (message.content.type === 'key_change') {
      rows.push(
        <p class="key-change-notice" data-testid="key-change-notice" role="status" key={message.key}>
          {t('chat.keyChange', { name: peerName })}
        </p>,
      );
      previous = message;
      continue;
    }

    if (message.content.type === 'system') {
      const text = senderName ? systemLineText(message.content.change, senderName) : '';
      rows.push(
        <p class="system-line" data-testid="system-line" data-change={message.content.change.type} role="status" key={message.key}>
          {text}
        </p>,
      );
      previous = message;
      continue;
    }

    const grouped =
      previous !== undefined &&
      previous.content.type !== 'key_change' &&
      previous.content.type !== 'system' &&
      previous.from === message.from &&
      sameDay(previous.ts, message.ts) &&
      message.ts - previous.ts < GROUP_GAP_MS;
    const mine = message.from === me;
    const sender = senderName && !mine ? senderName(message.from) : null;
    rows.push(<MessageBubble key={`${message.from}:${message.cid}`} message={message} mine={mine} grouped={grouped} sender={sender} />);
    previous = message;
  }
  return rows;
}

function dayLabel(ts: number, now: number): string {
  if (sameDay(ts, now)) return t('chat.today');
  if (sameDay(ts, now - 86_400_000)) return t('chat.yesterday');
  return formatDay(ts, now);
}
