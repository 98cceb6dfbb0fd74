// End-to-end tests: the release build of the widget, served by the reference
// server, driven in the machine's headless Chromium (Playwright never
// downloads a browser here). `cargo xtask test` builds both and sets
// WRAPUP_SERVER_BIN.
import { defineConfig } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const port = Number(process.env.WRAPUP_E2E_PORT ?? 18080);
const server = process.env.WRAPUP_SERVER_BIN ?? 'target/debug/wrapup-server';
const dataDir = mkdtempSync(join(tmpdir(), 'wrapup-e2e-'));

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
    command: `${server} --listen 127.0.0.1:${port} --static dist --demo --db ${join(dataDir, "e2e.sqlite")}`,
    url: `http://127.0.0.1:${port}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    env: { RUST_LOG: "warn" },
  },
});
