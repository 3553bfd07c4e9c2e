// Image type detection from content, so a declared Content-Type or a file
// name never decides what the server stores and serves.

export type AvatarContentType = 'image/png' | 'image/jpeg' | 'image/webp';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG_SIGNATURE = [0xff, 0xd8, 0xff];
/** A WebP file is a RIFF container: "RIFF", a 4-byte size, then "WEBP". */
const RIFF_SIGNATURE = [0x52, 0x49, 0x46, 0x46];
const WEBP_FORM_TYPE = [0x57, 0x45, 0x42, 0x50];
const WEBP_FORM_TYPE_OFFSET = 8;

/** Returns the image type named by the leading bytes (PNG, JPEG or WebP), or undefined for anything else. */
export function detectImageType(bytes: Uint8Array): AvatarContentType | undefined {
  if (startsWith(bytes, PNG_SIGNATURE, 0)) return 'image/png';
  if (startsWith(bytes, JPEG_SIGNATURE, 0)) return 'image/jpeg';
  if (startsWith(bytes, RIFF_SIGNATURE, 0) && startsWith(bytes, WEBP_FORM_TYPE, WEBP_FORM_TYPE_OFFSET)) {
    return 'image/webp';
  }
  return undefined;
}

function startsWith(bytes: Uint8Array, signature: readonly number[], offset: number): boolean {
  if (bytes.length < offset + signature.length) return false;
  return signature.every((byte, index) => bytes[offset + index] === byte);
}
