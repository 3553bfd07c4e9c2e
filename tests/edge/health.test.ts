import { SELF } from 'cloudflare:test';
import { expect, it } from 'vitest';

it('health route returns ok', async () => {
  const response = await SELF.fetch('http://localhost/api/v1/health');
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ ok: true });
});
