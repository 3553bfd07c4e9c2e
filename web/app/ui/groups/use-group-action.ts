// Runs one group request from a button: one at a time, with its failure kept
// for display and `onDone` called after a success so the panel reloads.

import { useState } from 'preact/hooks';
import { groupFailureText } from './group-errors';

export interface GroupAction {
  busy: boolean;
  error: string | null;
  /** Returns true when the request succeeded. */
  run(request: () => Promise<unknown>): Promise<boolean>;
}

export function useGroupAction(onDone: () => void): GroupAction {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function run(request: () => Promise<unknown>): Promise<boolean> {
    if (busy) return false;
    setBusy(true);
    setError(null);
    try {
      await request();
      onDone();
      return true;
    } catch (failure) {
      setError(groupFailureText(failure));
      return false;
    } finally {
      setBusy(false);
    }
  }

  return { busy, error, run };
}
