// Prepares a picked picture for upload: the largest centred square, scaled to
// AVATAR_SIZE_PX with a canvas and encoded as WebP (JPEG where the browser
// cannot encode WebP). The server checks the type by content again.

import { AVATAR_SIZE_PX } from '../../../../protocol/limits';

/** Quality passed to the lossy encoders; 0.9 keeps faces sharp at about 20–40 KB for 256 px. */
const ENCODE_QUALITY = 0.9;

export interface SquareCrop {
  x: number;
  y: number;
  size: number;
}

/** Returns the largest square centred in a `width` × `height` image, in source pixels. */
export function centredSquare(width: number, height: number): SquareCrop {
  const size = Math.min(width, height);
  return { x: Math.floor((width - size) / 2), y: Math.floor((height - size) / 2), size };
}

/** Crops and scales `file`; throws when the browser cannot decode it as an image. */
export async function squareAvatar(file: Blob): Promise<Blob> {
  const bitmap = await createImageBitmap(file);
  try {
    const crop = centredSquare(bitmap.width, bitmap.height);
    const canvas = document.createElement('canvas');
    canvas.width = AVATAR_SIZE_PX;
    canvas.height = AVATAR_SIZE_PX;
    const context = canvas.getContext('2d');
    if (!context) throw new Error('This browser has no 2D canvas.');

    context.imageSmoothingQuality = 'high';
    context.drawImage(bitmap, crop.x, crop.y, crop.size, crop.size, 0, 0, AVATAR_SIZE_PX, AVATAR_SIZE_PX);

    const webp = await encode(canvas, 'image/webp');
    if (webp.type === 'image/webp') return webp;
    return encode(canvas, 'image/jpeg');
  } finally {
    bitmap.close();
  }
}

/** Browsers without an encoder for `type` return PNG instead, which the caller detects by the blob's type. */
function encode(canvas: HTMLCanvasElement, type: string): Promise<Blob> {
  return new Promise((resolve, reject) => {
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error(`Encoding the avatar as ${type} failed.`))), type, ENCODE_QUALITY);
  });
}
