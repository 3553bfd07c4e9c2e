// The Feige Worker: the JSON API under /api/v1, the WebSocket endpoint /ws,
// and the built PWA for every other path.

import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { API_PREFIX } from '../protocol/api';
import type { ErrorBody } from '../protocol/errors';
import { HTTP_BODY_MAX_BYTES } from '../protocol/limits';
import { openDatabase } from './db/client';
import { ApiError } from './http/api-error';
import type { AppEnv } from './http/app-env';
import { createLogger, parseLogLevel } from './log';
import { accountRoutes } from './routes/accounts';
import { AVATAR_UPLOAD_PATH, avatarRoutes } from './routes/avatars';
import { blockRoutes } from './routes/blocks';
import { deviceRoutes } from './routes/devices';
import { followRoutes } from './routes/follows';
import { friendRoutes } from './routes/friends';
import { GROUP_AVATAR_UPLOAD_PATH } from './routes/group-avatar';
import { groupRoutes } from './routes/groups';
import { profileRoutes } from './routes/profile';
import { searchRoutes } from './routes/search';
import { sessionRoutes } from './routes/sessions';
import { settingsRoutes } from './routes/settings';
import { socketRoutes } from './routes/socket';

export { GroupDO } from './objects/group-do';
export { UserDO } from './objects/user-do';

const app = new Hono<AppEnv>();

app.use('*', async (c, next) => {
  const path = new URL(c.req.url).pathname;
  c.set('db', openDatabase(c.env.DB));
  c.set('log', createLogger('edge', parseLogLevel(c.env.LOG_LEVEL), { method: c.req.method, path }));
  await next();
});

const jsonBodyLimit = bodyLimit({
  maxSize: HTTP_BODY_MAX_BYTES,
  onError: (c) => {
    const body: ErrorBody = {
      error: {
        code: 'payload_too_large',
        message: `Request body is larger than ${HTTP_BODY_MAX_BYTES} bytes.`,
        limit: HTTP_BODY_MAX_BYTES,
      },
    };
    return c.json(body, 413);
  },
});

// The avatar uploads carry an image, not JSON, and check AVATAR_MAX_BYTES themselves.
const isImageUpload = (path: string) => path === AVATAR_UPLOAD_PATH || GROUP_AVATAR_UPLOAD_PATH.test(path);
app.use(`${API_PREFIX}/*`, (c, next) => (isImageUpload(c.req.path) ? next() : jsonBodyLimit(c, next)));

app.get(`${API_PREFIX}/health`, (c) => c.json({ ok: true }));
app.route(API_PREFIX, accountRoutes);
app.route(API_PREFIX, sessionRoutes);
app.route(API_PREFIX, profileRoutes);
app.route(API_PREFIX, followRoutes);
app.route(API_PREFIX, friendRoutes);
app.route(API_PREFIX, blockRoutes);
app.route(API_PREFIX, settingsRoutes);
app.route(API_PREFIX, searchRoutes);
app.route(API_PREFIX, avatarRoutes);
app.route(API_PREFIX, deviceRoutes);
app.route(API_PREFIX, groupRoutes);
app.route('/', socketRoutes);

app.notFound((c) => {
  const path = new URL(c.req.url).pathname;
  if (path.startsWith('/api/') || path === '/ws') {
    const body: ErrorBody = { error: { code: 'not_found', message: `No route for ${c.req.method} ${path}.` } };
    return c.json(body, 404);
  }
  return c.env.ASSETS.fetch(c.req.raw);
});

app.onError((error, c) => {
  if (error instanceof ApiError) return c.json(error.toBody(), error.status);

  c.var.log.error('request failed', { error });
  const body: ErrorBody = {
    error: { code: 'internal', message: 'An unexpected error occurred; it was logged. Try again later.' },
  };
  return c.json(body, 500);
});

export default app;
