// The release build (wasm-opt -Oz included) loads and renders in Chromium.
// A broken wasm-opt produces a wasm that fails at instantiation: this test
// is what catches it.
import { test, expect } from '@playwright/test';

const demoAgent = '123412345678567890ab90abcdefcdef';

test('the release build mounts and renders the idle state', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  // Warnings too: a page that warns on every load (as Chromium does for an
  // `integrity` on the wasm's preload link) tells every integrator of a fault.
  page.on('console', (message) => {
    if (['error', 'warning'].includes(message.type())) errors.push(message.text());
  });
  const configRequests: string[] = [];
  const wasmRequests: string[] = [];
  page.on('request', (request) => {
    const path = new URL(request.url()).pathname;
    if (path === '/config.json') configRequests.push(request.url());
    if (path.endsWith('.wasm')) wasmRequests.push(request.url());
  });

  await page.goto(`/?agent=${demoAgent}`);

  await expect(page.getByTestId('agent-id')).toHaveText(demoAgent);
  await expect(page.getByTestId('idle')).toHaveText('No active calls');
  expect(errors).toEqual([]);
  // The page's inline script asked for /config.json (the policy allows it by
  // its hash), and the widget took that answer rather than ask again.
  expect(await page.evaluate(() => typeof (window as any).wrapupConfigFile)).toBe('object');
  expect(configRequests).toHaveLength(1);
  // The glue's fetch of the wasm is served by the preload: one download.
  expect(wasmRequests).toHaveLength(1);
});

test('the widget answers in German with lang=de', async ({ page }) => {
  await page.goto(`/?agent=${demoAgent}&lang=de`);
  await expect(page.getByTestId('idle')).toHaveText('Keine aktiven Anrufe');
  await expect(page.locator('main')).toHaveAttribute('lang', 'de');
});
