// The submit handling that the sign-in, register and group forms share:
// no page load, one request at a time, and the failure kept for FormError.

import { useState } from 'preact/hooks';

export interface FormSubmit {
  /** True while the action runs; the submit button is disabled meanwhile. */
  busy: boolean;
  /** The message of the last failure, or null. */
  error: string | null;
  onSubmit(event: Event): Promise<void>;
}

/**
 * Returns the state and submit handler of a form. A submit while `action`
 * runs is ignored. `action` returns the failure message to show, or null on
 * success. An error it throws becomes the message `failureText` makes, or is
 * raised again without `failureText`.
 */
export function useFormSubmit(action: () => Promise<string | null>, failureText?: (error: unknown) => string): FormSubmit {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: Event): Promise<void> {
    event.preventDefault();
    if (busy) return;

    setBusy(true);
    setError(null);
    let failure: string | null;
    try {
      failure = await action();
    } catch (error) {
      if (!failureText) throw error;
      failure = failureText(error);
    } finally {
      setBusy(false);
    }
    setError(failure);
  }

  return { busy, error, onSubmit };
}
