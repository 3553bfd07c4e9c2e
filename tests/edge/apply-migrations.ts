import { applyD1Migrations, env } from 'cloudflare:test';

// Applies only migrations not yet recorded, so running it before every test file is safe.
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
