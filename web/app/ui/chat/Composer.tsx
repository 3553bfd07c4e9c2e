// The message input. Enter sends and Shift+Enter starts a new line, except
// while an input method is composing (Chinese, Japanese), where Enter picks
// a candidate. Text over TEXT_MAX_BYTES is refused here with the limit named.

import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { TEXT_MAX_BYTES, countUtf8Bytes } from '../../../../protocol/limits';
import { errorText, t } from '../../i18n';
import type { ErrorDetails } from '../../i18n/errors';
import { SendIcon } from '../common/icons';
import { FormError } from '../common/FormError';

/** Share of TEXT_MAX_BYTES from which the byte counter shows. */
const COUNTER_FROM_SHARE = 0.8;

/** Height the input grows to before it scrolls, in CSS pixels: about six lines. */
const MAX_INPUT_HEIGHT_PX = 160;

/** keyCode browsers report for a key press that an input method consumed. */
const IME_PROCESS_KEY_CODE = 229;

interface ComposerProps {
  onSend(text: string): Promise<ErrorDetails | null>;
  /** Shown in the error line when nothing more urgent is, such as a rejection of the last message. */
  notice?: string | null;
}

export function Composer({ onSend, notice = null }: ComposerProps) {
  const [text, setText] = useState('');
  const [sendError, setSendError] = useState<string | null>(null);
  const input = useRef<HTMLTextAreaElement>(null);

  const bytes = countUtf8Bytes(text);
  const overLimit = bytes > TEXT_MAX_BYTES;
  const error = overLimit ? errorText({ code: 'text_too_long', limit: TEXT_MAX_BYTES, value: bytes }) : (sendError ?? notice);

  useLayoutEffect(() => {
    const element = input.current;
    if (!element) return;
    // An empty input fits its CSS height. Reading scrollHeight here would
    // force a synchronous layout of the whole chat as it opens.
    if (text === '') {
      element.style.height = '';
      return;
    }
    element.style.height = 'auto';
    element.style.height = `${Math.min(element.scrollHeight, MAX_INPUT_HEIGHT_PX)}px`;
  }, [text]);

  async function send() {
    const sent = text;
    if (sent.trim() === '' || overLimit) return;

    // The input empties before the message is stored, so that text typed
    // meanwhile starts the next message instead of being wiped with this one.
    setText('');
    setSendError(null);
    const failure = await onSend(sent);
    if (failure) {
      setSendError(errorText(failure));
      // The rejected text comes back, ahead of anything typed since.
      setText((typed) => (typed === '' ? sent : `${sent}\n${typed}`));
      return;
    }
    input.current?.focus();
  }

  function onKeyDown(event: KeyboardEvent) {
    if (event.key !== 'Enter' || event.shiftKey) return;
    if (event.isComposing || event.keyCode === IME_PROCESS_KEY_CODE) return;
    event.preventDefault();
    void send();
  }

  return (
    <form
      class="composer"
      onSubmit={(event) => {
        event.preventDefault();
        void send();
      }}
    >
      <FormError message={error} testId="composer-error" />
      <div class="composer-row">
        <textarea
          ref={input}
          class="composer-input"
          data-testid="composer-input"
          rows={1}
          placeholder={t('chat.placeholder')}
          aria-label={t('chat.placeholder')}
          aria-invalid={overLimit}
          value={text}
          onInput={(event) => {
            setText(event.currentTarget.value);
            setSendError(null);
          }}
          onKeyDown={onKeyDown}
        />
        <button class="composer-send" type="submit" data-testid="composer-send" aria-label={t('chat.send')}>
          <SendIcon size={20} />
        </button>
      </div>
      {bytes >= TEXT_MAX_BYTES * COUNTER_FROM_SHARE && (
        <p class={overLimit ? 'composer-counter composer-counter-over' : 'composer-counter'}>
          {t('chat.byteCount', { value: bytes, limit: TEXT_MAX_BYTES })}
        </p>
      )}
    </form>
  );
}
