// Chooses between the auth screens and the signed-in shell, and keeps the URL
// consistent with that choice.

import { useEffect } from 'preact/hooks';
import { account, startAccount } from '../state/account';
import { navigate, route } from '../state/route';
import { session } from '../state/session';
import { RegisterScreen } from './auth/RegisterScreen';
import { SignInScreen } from './auth/SignInScreen';
import { Shell } from './shell/Shell';
import { UpdatePrompt } from './UpdatePrompt';

export function App() {
  return (
    <>
      <Screen />
      <UpdatePrompt />
    </>
  );
}

function Screen() {
  const stored = session.value;
  const running = account.value;
  const current = route.value;
  const onAuthRoute = current.name === 'signin' || current.name === 'register';

  useEffect(() => {
    if (stored && onAuthRoute) navigate({ name: 'chats' }, { replace: true });
    if (!stored && !onAuthRoute) navigate({ name: 'signin' }, { replace: true });
  }, [stored, onAuthRoute]);

  useEffect(() => {
    if (!stored) return;
    startAccount(stored).catch((error: unknown) => console.error('[app] opening the account failed', error));
  }, [stored]);

  if (!stored) return current.name === 'register' ? <RegisterScreen /> : <SignInScreen />;
  if (!running) return null;
  return <Shell account={running} />;
}
