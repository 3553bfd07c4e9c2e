import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const REPOSITORY_ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/** The built PWA that `wrangler dev` serves as static assets (see wrangler.toml). */
export const BUILT_APP_INDEX = join(REPOSITORY_ROOT, 'dist', 'web', 'index.html');

/** Screenshots of failed tests; the folder is ignored by git. */
export const FAILURE_ARTIFACTS_DIR = join(REPOSITORY_ROOT, 'test-results', 'e2e');
