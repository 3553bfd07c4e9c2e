// The byte strings a device's Ed25519 identity key signs: its X25519
// identity key, each signed prekey and each one-time prekey, each under its
// own label. The PWA signs them (web/app/crypto/identity.ts) and every
// reader verifies them, the edge included, so both build them here.

/** Signature labels. None is a prefix of another, so the signed byte strings never collide. */
export const IDENTITY_DH_KEY_LABEL = 'Feige identity DH key v1';
export const SIGNED_PREKEY_LABEL = 'Feige signed prekey v1';
export const ONE_TIME_PREKEY_LABEL = 'Feige one-time prekey v1';

const UINT32_MAX = 0xffff_ffff;

function concat(...parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((length, part) => length + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

function uint32be(value: number): Uint8Array<ArrayBuffer> {
  if (!Number.isInteger(value) || value < 0 || value > UINT32_MAX) {
    throw new RangeError(`prekey id ${value} is not an integer from 0 to ${UINT32_MAX}`);
  }
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, value, false);
  return out;
}

/** IDENTITY_DH_KEY_LABEL || dhKey */
export function identityDhKeyMessage(dhKey: Uint8Array): Uint8Array<ArrayBuffer> {
  return concat(new TextEncoder().encode(IDENTITY_DH_KEY_LABEL), dhKey);
}

/** SIGNED_PREKEY_LABEL || uint32be(id) || publicKey */
export function signedPreKeyMessage(id: number, publicKey: Uint8Array): Uint8Array<ArrayBuffer> {
  return concat(new TextEncoder().encode(SIGNED_PREKEY_LABEL), uint32be(id), publicKey);
}

/** ONE_TIME_PREKEY_LABEL || uint32be(id) || publicKey */
export function oneTimePreKeyMessage(id: number, publicKey: Uint8Array): Uint8Array<ArrayBuffer> {
  return concat(new TextEncoder().encode(ONE_TIME_PREKEY_LABEL), uint32be(id), publicKey);
}
