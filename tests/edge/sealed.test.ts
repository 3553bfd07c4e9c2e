import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import {
  SECRETS_KEY_BYTES,
  SealedValueError,
  SecretsKeyError,
  loadSecretsKey,
  openSecret,
  sealSecret,
} from '../../edge/crypto/sealed';
import { encodeBase64url } from '../../edge/auth/base64url';

function otherKey(): string {
  return encodeBase64url(crypto.getRandomValues(new Uint8Array(SECRETS_KEY_BYTES)));
}

describe('sealed secrets', () => {
  it('round trip under the same context', async () => {
    const key = await loadSecretsKey(env);

    const sealed = await sealSecret(key, 'p256dh=BNc…; auth=x1', 'push:user-1');

    expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
    expect(sealed).not.toContain('p256dh');
    expect(await openSecret(key, sealed, 'push:user-1')).toBe('p256dh=BNc…; auth=x1');
  });

  it('same plaintext seals differently', async () => {
    const key = await loadSecretsKey(env);

    expect(await sealSecret(key, 'same', 'c')).not.toBe(await sealSecret(key, 'same', 'c'));
  });

  it('other context does not open', async () => {
    const key = await loadSecretsKey(env);
    const sealed = await sealSecret(key, 'secret', 'push:user-1');

    await expect(openSecret(key, sealed, 'push:user-2')).rejects.toBeInstanceOf(SealedValueError);
  });

  it('other key does not open', async () => {
    const sealed = await sealSecret(await loadSecretsKey(env), 'secret', 'c');
    const other = await loadSecretsKey({ SECRETS_KEY: otherKey() });

    await expect(openSecret(other, sealed, 'c')).rejects.toBeInstanceOf(SealedValueError);
  });

  it('flipped ciphertext does not open', async () => {
    const key = await loadSecretsKey(env);
    const sealed = await sealSecret(key, 'secret', 'c');
    const at = sealed.lastIndexOf('.') + 2;
    const flipped = sealed.slice(0, at) + (sealed[at] === 'A' ? 'B' : 'A') + sealed.slice(at + 1);

    await expect(openSecret(key, flipped, 'c')).rejects.toThrow(/did not open/);
  });

  it.each(['', 'v1.abc', 'v2.AAAAAAAAAAAAAAAA.AAAA', 'v1.AAAA.AAAA', 'v1.not base64.AAAA', 'v1.AAAAAAAAAAAAAAAA.AB'])(
    'malformed value %j is rejected',
    async (sealed) => {
      const key = await loadSecretsKey(env);
      await expect(openSecret(key, sealed, 'c')).rejects.toBeInstanceOf(SealedValueError);
    },
  );

  it('missing key names the fix', async () => {
    await expect(loadSecretsKey({})).rejects.toThrow(/SECRETS_KEY is not set.*wrangler secret put SECRETS_KEY/);
  });

  it.each([
    { case: 'one byte short', key: encodeBase64url(new Uint8Array(SECRETS_KEY_BYTES - 1)) },
    { case: 'one byte long', key: encodeBase64url(new Uint8Array(SECRETS_KEY_BYTES + 1)) },
    { case: 'padded base64', key: btoa('x'.repeat(SECRETS_KEY_BYTES)) },
  ])('key $case is rejected', async ({ key }) => {
    const error = await loadSecretsKey({ SECRETS_KEY: key }).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(SecretsKeyError);
    expect(String(error)).toContain(`SECRETS_KEY must be ${SECRETS_KEY_BYTES} bytes`);
  });
});
