// Helpers of the `cil` end-to-end tests (docs/cil-protocol.md): the two
// origins of the CRM embedding, recording the callbacks a page hears, and
// serving the widget's page through the test.
import { type BrowserContext, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { CIL_CALLBACKS } from './support';
import type { Cil } from '../../public/cil';

/// The API version every event says, as Rust defines it
/// (`wrapup_core::bs::API_VERSION`): read from its source, so that a test
/// comparing the events' `version` with it checks the wasm's and JS's copies
/// against the one definition.
export const API_VERSION = (() => {
  const source = readFileSync('crates/core/src/bs/event.rs', 'utf8');
  const found = /pub const API_VERSION: &str = "([^"]+)";/.exec(source);
  if (!found) throw new Error('crates/core/src/bs/event.rs defines no API_VERSION');
  return found[1];
})();

export type Seen = { callback: string; data: Record<string, unknown> };

/// The CRM page's origin and the widget's: `localhost` and `127.0.0.1` are
/// two origins to the browser.
export function origins(baseURL: string | undefined) {
  const { port } = new URL(baseURL ?? 'http://127.0.0.1:18080');
  return { port, crm: `http://localhost:${port}`, widget: `http://127.0.0.1:${port}` };
}

/// Subscribes to every callback of the page's `cil` and keeps what arrives.
export async function recordCallbacks(page: Page) {
  await page.evaluate((names) => {
    const target = window as unknown as { cil: Cil; __seen: Seen[] };
    target.__seen = [];
    for (const name of names) {
      target.cil[name]((data: unknown) => {
        target.__seen.push({ callback: name, data: data as Record<string, unknown> });
      });
    }
  }, CIL_CALLBACKS);
}

/// Like [`recordCallbacks`], for every page the tab loads from now on: the
/// integrator's code subscribes as soon as `window.cil` exists, before the
/// wasm has booted and heard the event stream.
export async function recordCallbacksFromTheStart(page: Page) {
  await page.addInitScript((names) => {
    const target = window as unknown as { cil: Cil; __seen: Seen[] };
    target.__seen = [];
    document.addEventListener('DOMContentLoaded', () => {
      for (const name of names) {
        target.cil[name]((data: unknown) => {
          target.__seen.push({ callback: name, data: data as Record<string, unknown> });
        });
      }
    });
  }, CIL_CALLBACKS);
}

export async function seen(page: Page): Promise<Seen[]> {
  return page.evaluate(() => (window as unknown as { __seen: Seen[] }).__seen);
}

/// The callbacks about workitem `id`, in the order they fired.
export async function callbacksOf(page: Page, id: string): Promise<string[]> {
  return (await seen(page)).filter((entry) => entry.data.id === id).map((entry) => entry.callback);
}

/// Serves the widget's page at `widgetUrl` through the test, with the
/// server's own headers (`policy` may rewrite its CSP). Chromium's Local
/// Network Access checks would stop a page from the internet framing
/// 127.0.0.1 before any CSP is read; a response passed through `page.route`
/// has no address, so the widget's own defences decide, as for a widget
/// deployed on the internet.
export async function serveWidgetThroughTheTest(page: Page, widgetUrl: string, policy = (csp: string) => csp) {
  await page.route(widgetUrl, async (route) => {
    const response = await route.fetch();
    const headers = { ...response.headers() };
    headers['content-security-policy'] = policy(headers['content-security-policy']);
    // The body arrives decoded.
    delete headers['content-encoding'];
    delete headers['content-length'];
    await route.fulfill({ response, headers });
  });
}

/// Blocks storage and Web Locks in the widget's frames only, as a browser
/// blocking third-party storage does (headless Chromium does too, by itself).
export async function blockWidgetStorage(target: Page | BrowserContext, widgetOrigin: string) {
  await target.addInitScript((origin) => {
    if (location.origin !== origin) return;
    const blocked = () => new DOMException('third-party storage is blocked', 'SecurityError');
    for (const name of ['localStorage', 'sessionStorage']) {
      Object.defineProperty(window, name, {
        configurable: true,
        get() {
          throw blocked();
        },
      });
    }
    const refused = () => Promise.reject(blocked());
    Object.defineProperty(navigator, 'locks', { configurable: true, value: { request: refused, query: refused } });
  }, widgetOrigin);
}
