import { describe, expect, it } from 'vitest';
import { detectImageType } from '../../../edge/profile/image-type';

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13];
const JPEG = [0xff, 0xd8, 0xff, 0xe0, 0, 16];
const WEBP = [0x52, 0x49, 0x46, 0x46, 0x24, 0, 0, 0, 0x57, 0x45, 0x42, 0x50, 0x56, 0x50, 0x38];
const GIF = [0x47, 0x49, 0x46, 0x38, 0x39, 0x61];
/** RIFF container of a WAVE file: the right first bytes, the wrong form type. */
const WAVE = [0x52, 0x49, 0x46, 0x46, 0x24, 0, 0, 0, 0x57, 0x41, 0x56, 0x45];

describe('detectImageType', () => {
  it.each([
    { name: 'PNG', bytes: PNG, type: 'image/png' },
    { name: 'JPEG', bytes: JPEG, type: 'image/jpeg' },
    { name: 'WebP', bytes: WEBP, type: 'image/webp' },
  ])('$name by its magic bytes', ({ bytes, type }) => {
    expect(detectImageType(new Uint8Array(bytes))).toBe(type);
  });

  it.each([
    { name: 'GIF', bytes: GIF },
    { name: 'WAVE in RIFF', bytes: WAVE },
    { name: 'HTML', bytes: [...new TextEncoder().encode('<svg onload=alert(1)>')] },
    { name: 'empty', bytes: [] },
    { name: 'truncated PNG', bytes: PNG.slice(0, 7) },
    { name: 'truncated WebP', bytes: WEBP.slice(0, 11) },
  ])('$name is rejected', ({ bytes }) => {
    expect(detectImageType(new Uint8Array(bytes))).toBeUndefined();
  });
});
