import { ApiError, type ErrorDetails } from './api-error';

/**
 * Reads a raw request body of at most `maxBytes`. A larger Content-Length is
 * rejected before reading; a body without one is read until it passes the
 * limit. Both fail with 413 `code`, naming the limit and the size when known.
 */
export async function readLimitedBody(request: Request, maxBytes: number, code: 'image_too_large'): Promise<Uint8Array> {
  const declared = Number(request.headers.get('Content-Length') ?? NaN);
  if (Number.isSafeInteger(declared) && declared > maxBytes) throw tooLarge(code, maxBytes, declared);
  if (!request.body) return new Uint8Array();

  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;

    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge(code, maxBytes);
    }
    chunks.push(value);
  }

  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

function tooLarge(code: 'image_too_large', maxBytes: number, size?: number): ApiError {
  if (size === undefined) {
    return new ApiError(413, code, `The body is larger than the maximum of ${maxBytes} bytes.`, { limit: maxBytes });
  }
  const details: ErrorDetails = { limit: maxBytes, value: size };
  return new ApiError(413, code, `The body has ${size} bytes; the maximum is ${maxBytes}.`, details);
}
