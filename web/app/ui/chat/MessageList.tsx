// The scrolling message list. It stays pinned to the bottom while the user is
// there, keeps the visible messages in place when older ones are added above,
// and loads older messages when scrolled near the top.

import { useEffect, useLayoutEffect, useRef } from 'preact/hooks';
import { locale, t } from '../../i18n';
import type { StoredMessage } from '../../store/db';
import { formatDay, startOfDay } from '../common/format';
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
  const scrollFrame = useRef<number | null>(null);

  // The scroll waits for the next animation frame, which runs before that
  // frame's layout and paint. Reading scrollHeight here, in the commit, would
  // force a synchronous layout of every new bubble before the browser's own.
  useLayoutEffect(() => {
    const element = list.current;
    if (!element) return;

    const newest = messages[messages.length - 1];
    const ownNewMessage = newest !== undefined && newest.from === me && newest.cid !== newestCid.current;
    newestCid.current = newest?.cid ?? null;

    const keptDistance = distanceFromBottom.current;
    distanceFromBottom.current = null;
    if (keptDistance === null && !atBottom.current && !ownNewMessage) return;
    if (keptDistance === null) atBottom.current = true;

    if (scrollFrame.current !== null) cancelAnimationFrame(scrollFrame.current);
    scrollFrame.current = requestAnimationFrame(() => {
      scrollFrame.current = null;
      element.scrollTop = keptDistance === null ? element.scrollHeight : element.scrollHeight - keptDistance;
    });
  }, [messages, me]);

  useEffect(
    () => () => {
      if (scrollFrame.current !== null) cancelAnimationFrame(scrollFrame.current);
    },
    [],
  );

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
  const today = startOfDay(Date.now());
  const activeLocale = locale.value;
  const rows = [];
  let previous: StoredMessage | undefined;
  let previousDay: number | undefined;

  for (const message of messages) {
    // One Date per message: startOfDay is the costly part of comparing days.
    const day = startOfDay(message.ts);
    const sameDayAsPrevious = previousDay === day;
    if (!sameDayAsPrevious) {
      rows.push(
        <div class="day-separator" data-testid="day-separator" key={`day-${message.ts}`}>
          <span>{dayLabel(message.ts, day, today)}</span>
        </div>,
      );
    }
    previousDay = day;

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
      sameDayAsPrevious &&
      message.ts - previous.ts < GROUP_GAP_MS;
    const mine = message.from === me;
    const sender = senderName && !mine ? senderName(message.from) : null;
    rows.push(
      <MessageBubble
        key={`${message.from}:${message.cid}`}
        message={message}
        mine={mine}
        grouped={grouped}
        sender={sender}
        locale={activeLocale}
      />,
    );
    previous = message;
  }
  return rows;
}

function dayLabel(ts: number, day: number, today: number): string {
  if (day === today) return t('chat.today');
  if (day === startOfDay(today - 1)) return t('chat.yesterday');
  return formatDay(ts, today);
}
