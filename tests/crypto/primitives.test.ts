// Known-answer tests of the WebCrypto primitives against published vectors,
// plus the byte helpers.

import { describe, expect, it } from 'vitest';
import { constantTimeEqual, encodeUint32, fromBase64Url, toBase64Url, UINT32_MAX } from '../../web/app/crypto/bytes';
import {
  aesGcmDecrypt,
  aesGcmEncrypt,
  ed25519Sign,
  ed25519Verify,
  generateX25519KeyPair,
  HKDF_OUTPUT_MAX_BYTES,
  hkdfSha256,
  hmacSha256,
  x25519,
} from '../../web/app/crypto/primitives';
import { hex, importEd25519PrivateKey, importX25519KeyPair, toHex } from './helpers';

describe('X25519 against RFC 7748 section 6.1', () => {
  const alicePrivate = '77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a';
  const alicePublic = '8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a';
  const bobPrivate = '5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb';
  const bobPublic = 'de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f';
  const sharedSecret = '4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742';

  it('alice derives the published secret', async () => {
    const alice = await importX25519KeyPair(alicePrivate, alicePublic);
    expect(toHex(await x25519(alice.privateKey, hex(bobPublic)))).toBe(sharedSecret);
  });

  it('bob derives the published secret', async () => {
    const bob = await importX25519KeyPair(bobPrivate, bobPublic);
    expect(toHex(await x25519(bob.privateKey, hex(alicePublic)))).toBe(sharedSecret);
  });

  it('rejects a public key not matching the scalar', async () => {
    await expect(importX25519KeyPair(alicePrivate, bobPublic)).rejects.toThrow();
  });

  it('rejects the all-zero low-order point', async () => {
    const pair = await generateX25519KeyPair();
    await expect(x25519(pair.privateKey, new Uint8Array(32))).rejects.toThrow();
  });

  it('generates non-extractable private keys', async () => {
    const pair = await generateX25519KeyPair();
    expect(pair.privateKey.extractable).toBe(false);
    expect(pair.publicKey.length).toBe(32);
  });
});

describe('HKDF-SHA256 against RFC 5869', () => {
  it('test case 1 matches', async () => {
    const okm = await hkdfSha256(
      hex('0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b'),
      hex('000102030405060708090a0b0c'),
      hex('f0f1f2f3f4f5f6f7f8f9'),
      42,
    );
    expect(toHex(okm)).toBe('3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865');
  });

  it('test case 2 matches', async () => {
    const range = (from: number, to: number) => Uint8Array.from({ length: to - from + 1 }, (_, i) => from + i);
    const okm = await hkdfSha256(range(0x00, 0x4f), range(0x60, 0xaf), range(0xb0, 0xff), 82);
    expect(toHex(okm)).toBe(
      'b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c' +
        '59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71' +
        'cc30c58179ec3e87c14c01d5c1f3434f1d87',
    );
  });

  it('test case 3 matches', async () => {
    const okm = await hkdfSha256(hex('0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b'), new Uint8Array(0), new Uint8Array(0), 42);
    expect(toHex(okm)).toBe('8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8');
  });

  it('output length limit holds', async () => {
    const ikm = new Uint8Array(32);
    expect((await hkdfSha256(ikm, ikm, ikm, HKDF_OUTPUT_MAX_BYTES)).length).toBe(HKDF_OUTPUT_MAX_BYTES);
    await expect(hkdfSha256(ikm, ikm, ikm, HKDF_OUTPUT_MAX_BYTES + 1)).rejects.toThrow(/8160/);
  });
});

describe('HMAC-SHA256 against RFC 4231', () => {
  it('test case 2 matches', async () => {
    const mac = await hmacSha256(new TextEncoder().encode('Jefe'), new TextEncoder().encode('what do ya want for nothing?'));
    expect(toHex(mac)).toBe('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
  });
});

describe('AES-256-GCM against McGrew-Viega test case 16', () => {
  const key = hex('feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308');
  const iv = hex('cafebabefacedbaddecaf888');
  const aad = hex('feedfacedeadbeeffeedfacedeadbeefabaddad2');
  const plaintext = hex(
    'd9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72' +
      '1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39',
  );
  const expected =
    '522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa' +
    '8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662' +
    '76fc6ece0f4e1768cddf8853bb2d551b';

  it('encrypts to the published ciphertext and tag', async () => {
    expect(toHex(await aesGcmEncrypt(key, iv, plaintext, aad))).toBe(expected);
  });

  it('decrypts the published ciphertext', async () => {
    const decrypted = await aesGcmDecrypt(key, iv, hex(expected), aad);
    expect(toHex(decrypted!)).toBe(toHex(plaintext));
  });

  it('returns null for changed associated data', async () => {
    const changed = aad.slice();
    changed[0] ^= 1;
    expect(await aesGcmDecrypt(key, iv, hex(expected), changed)).toBeNull();
  });
});

describe('Ed25519 against RFC 8032 section 7.1', () => {
  const vectors = [
    {
      name: 'TEST 1',
      secret: '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
      public: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
      message: '',
      signature:
        'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
    },
    {
      name: 'TEST 2',
      secret: '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
      public: '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
      message: '72',
      signature:
        '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
    },
  ];

  for (const vector of vectors) {
    it(`${vector.name} signs the published signature`, async () => {
      const key = await importEd25519PrivateKey(vector.secret, vector.public);
      expect(toHex(await ed25519Sign(key, hex(vector.message)))).toBe(vector.signature);
    });

    it(`${vector.name} signature verifies`, async () => {
      expect(await ed25519Verify(hex(vector.public), hex(vector.signature), hex(vector.message))).toBe(true);
    });

    it(`${vector.name} rejects another message`, async () => {
      expect(await ed25519Verify(hex(vector.public), hex(vector.signature), hex('00'))).toBe(false);
    });
  }

  it('rejects a short signature without throwing', async () => {
    expect(await ed25519Verify(hex(vectors[0]!.public), new Uint8Array(63), new Uint8Array(0))).toBe(false);
  });
});

describe('byte helpers', () => {
  it('base64url round-trips every length', () => {
    for (let length = 0; length < 40; length++) {
      const bytes = Uint8Array.from({ length }, (_, i) => (i * 37 + length) & 0xff);
      expect(toHex(fromBase64Url(toBase64Url(bytes)))).toBe(toHex(bytes));
    }
  });

  it('base64url rejects padding and other alphabets', () => {
    expect(() => fromBase64Url('AA==')).toThrow(SyntaxError);
    expect(() => fromBase64Url('A+/A')).toThrow(SyntaxError);
    expect(() => fromBase64Url('AAAAA')).toThrow(SyntaxError);
  });

  it('base64url rejects non-zero trailing bits', () => {
    expect(toHex(fromBase64Url('AA'))).toBe('00');
    expect(() => fromBase64Url('AB')).toThrow(/trailing bits/);
  });

  it('base64url accepts only canonical endings', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    for (const prefix of ['A', 'AA', 'AAAAA', 'AAAAAA']) {
      for (const last of alphabet) {
        const text = prefix + last;
        let decoded: Uint8Array | undefined;
        try {
          decoded = fromBase64Url(text);
        } catch (error) {
          expect(error).toBeInstanceOf(SyntaxError);
        }
        // atob ignores trailing bits, so encoding its bytes again gives the canonical text.
        const padded = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
        const canonical = toBase64Url(Uint8Array.from(atob(padded), (char) => char.charCodeAt(0)));
        expect(decoded !== undefined).toBe(canonical === text);
      }
    }
  });

  it('base64url round-trips large input', () => {
    const bytes = Uint8Array.from({ length: 20_000 }, (_, i) => (i * 31) & 0xff);
    expect(toHex(fromBase64Url(toBase64Url(bytes)))).toBe(toHex(bytes));
  });

  it('constant-time compare finds differences', () => {
    expect(constantTimeEqual(hex('0102'), hex('0102'))).toBe(true);
    expect(constantTimeEqual(hex('0102'), hex('0103'))).toBe(false);
    expect(constantTimeEqual(hex('0102'), hex('01'))).toBe(false);
  });

  it('uint32 encoding limit holds', () => {
    expect(toHex(encodeUint32(UINT32_MAX))).toBe('ffffffff');
    expect(() => encodeUint32(UINT32_MAX + 1)).toThrow(/4294967295/);
  });
});
