// End-to-end tests: the release build of the widget, served by the reference
// server, driven in the machine's headless Chromium (Playwright never
// downloads a browser here). `cargo xtask test` builds both and sets
// WRAPUP_SERVER_BIN.
import { defineConfig } from '@playwright/test';
import { join } from 'node:path';

const port = Number(process.env.WRAPUP_E2E_PORT ?? 18080);
const server = process.env.WRAPUP_SERVER_BIN ?? 'target/debug/wrapup-server';
// The server's SQLite file, beside those of the specs that start servers of
// their own (tests/e2e/support.ts: E2E_DATA). The command empties its
// directory first: each run starts from the demo data alone. (This file is
// also read by every worker, so it must not touch the directory itself.)
const dataDir = join('target', 'e2e-data', 'server');

export default defineConfig({
  testDir: 'tests/e2e',
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  reporter: [['list']],
  timeout: 30_000,
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    browserName: 'chromium',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  webServer: {
    command: `rm -rf ${dataDir} && mkdir -p ${dataDir} && exec ${server} --listen 127.0.0.1:${port} --static dist --demo --db ${join(dataDir, 'server.sqlite')}`,
    url: `http://127.0.0.1:${port}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    env: { RUST_LOG: "warn" },
  },
});
