import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { ErrorBody } from '../../protocol/errors';
import { HTTP_BODY_MAX_BYTES } from '../../protocol/limits';
import { callApi, TEST_PASSWORD, uniqueUsername } from './fixtures/accounts';

/** Builds a valid registration body padded with an ignored field to exactly `bytes` bytes. */
function registrationOfBytes(bytes: number): string {
  const fields = { username: uniqueUsername(), password: TEST_PASSWORD, displayName: 'Pad', pad: '' };
  const emptyLength = JSON.stringify(fields).length;
  return JSON.stringify({ ...fields, pad: 'x'.repeat(bytes - emptyLength) });
}

describe('HTTP errors', () => {
  it('body at HTTP_BODY_MAX_BYTES is accepted', async () => {
    const body = registrationOfBytes(HTTP_BODY_MAX_BYTES);
    const response = await callApi('/accounts', { method: 'POST', rawBody: body });

    expect(new TextEncoder().encode(body).byteLength).toBe(HTTP_BODY_MAX_BYTES);
    expect(response.status).toBe(201);
  });

  it('body past HTTP_BODY_MAX_BYTES is rejected', async () => {
    const response = await callApi('/accounts', {
      method: 'POST',
      rawBody: registrationOfBytes(HTTP_BODY_MAX_BYTES + 1),
    });

    expect(response.status).toBe(413);
    const body = await response.json<ErrorBody>();
    expect(body.error.code).toBe('payload_too_large');
    expect(body.error.limit).toBe(HTTP_BODY_MAX_BYTES);
  });

  it('streamed body past the limit is rejected', async () => {
    const bytes = new TextEncoder().encode(registrationOfBytes(HTTP_BODY_MAX_BYTES + 1));
    // A stream has no Content-Length, so the limit is enforced while reading.
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.slice(0, 8_000));
        controller.enqueue(bytes.slice(8_000));
        controller.close();
      },
    });
    const response = await SELF.fetch('http://localhost/api/v1/accounts', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: stream,
    });

    expect(response.status).toBe(413);
    expect((await response.json<ErrorBody>()).error.code).toBe('payload_too_large');
  });

  it('invalid JSON is a bad request', async () => {
    const response = await callApi('/accounts', { method: 'POST', rawBody: '{"username": ' });

    expect(response.status).toBe(400);
    const body = await response.json<ErrorBody>();
    expect(body.error.code).toBe('invalid_request');
    expect(body.error.message).toContain('JSON');
  });

  it('unknown API path is not found', async () => {
    const response = await callApi('/no-such-route');

    expect(response.status).toBe(404);
    expect((await response.json<ErrorBody>()).error.code).toBe('not_found');
  });

  it('malformed bearer header is unauthorized', async () => {
    const response = await SELF.fetch('http://localhost/api/v1/me', { headers: { Authorization: 'Token abc' } });

    expect(response.status).toBe(401);
    expect((await response.json<ErrorBody>()).error.code).toBe('unauthorized');
  });
});
