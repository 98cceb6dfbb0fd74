// Browser benchmarks (`cargo xtask bench browser`): the release build of the
// widget served by the reference server built for speed, in the machine's
// headless Chromium. Separate from the end-to-end tests on purpose: they time
// things, which tests never do, and take minutes. The launch flags are the
// end-to-end tests' own; the server gets its own port and database.
import { defineConfig } from '@playwright/test';
import { join } from 'node:path';
import e2e from './playwright.config';

const port = Number(process.env.WRAPUP_BENCH_PORT ?? 18180);
const server = process.env.WRAPUP_SERVER_BIN ?? 'target/server/wrapup-server';
// Emptied by the command, as in playwright.config.ts.
const dataDir = join('target', 'e2e-data', 'bench');

export default defineConfig({
  testDir: 'tests/bench',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: [['list']],
  // The memory benchmark runs 10,000 call lifecycles.
  timeout: 45 * 60_000,
  use: {
    ...e2e.use,
    baseURL: `http://127.0.0.1:${port}`,
  },
  webServer: {
    command: `rm -rf ${dataDir} && mkdir -p ${dataDir} && exec ${server} --listen 127.0.0.1:${port} --static dist --demo --db ${join(dataDir, 'bench.sqlite')}`,
    url: `http://127.0.0.1:${port}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    env: { RUST_LOG: 'warn' },
  },
});
