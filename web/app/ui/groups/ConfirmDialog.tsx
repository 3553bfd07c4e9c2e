// A modal question before an action that cannot be undone (dissolving,
// leaving, removing a member, handing over ownership).

import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { t } from '../../i18n';

interface Question {
  message: string;
  confirmLabel: string;
  resolve(confirmed: boolean): void;
}

/** Returns the dialog element to render and `ask`, which shows it and resolves true when the user confirms. */
export function useConfirm(): [JSX.Element | null, (message: string, confirmLabel: string) => Promise<boolean>] {
  const [question, setQuestion] = useState<Question | null>(null);

  const ask = (message: string, confirmLabel: string) =>
    new Promise<boolean>((resolve) => setQuestion({ message, confirmLabel, resolve }));

  const answer = (confirmed: boolean) => {
    question?.resolve(confirmed);
    setQuestion(null);
  };

  const element = question && <ConfirmDialog question={question} onAnswer={answer} />;
  return [element, ask];
}

function ConfirmDialog({ question, onAnswer }: { question: Question; onAnswer(confirmed: boolean): void }) {
  const cancel = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    cancel.current?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') onAnswer(false);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [question]);

  return (
    <div class="confirm-backdrop">
      <div class="confirm-dialog" role="alertdialog" aria-modal="true" aria-label={question.message} data-testid="confirm-dialog">
        <p class="confirm-message">{question.message}</p>
        <div class="confirm-actions">
          <button ref={cancel} type="button" class="button button-quiet" data-testid="confirm-dialog-cancel" onClick={() => onAnswer(false)}>
            {t('groupAdmin.cancel')}
          </button>
          <button type="button" class="button button-danger-solid" data-testid="confirm-dialog-confirm" onClick={() => onAnswer(true)}>
            {question.confirmLabel}
          </button>
        </div>
      </div>
    </div>
  );
}
