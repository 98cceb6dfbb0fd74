// Helpers of the `cil` end-to-end tests (docs/cil-protocol.md): the two
// origins of the CRM embedding, recording the callbacks a page hears, and
// serving the widget's page through the test.
import { type BrowserContext, type FrameLocator, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { CIL_CALLBACKS } from './support';
import type { Cil, CilError } from '../../public/cil';

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

/// What the code of a page opened with [`openHostPage`] heard: the `error`
/// events of its `onError` callback, and when (`performance.now()`) the
/// frame last loaded and `connected` resolved.
export type HostLog = { errors: CilError[]; loadedAt: number | null; connectedAt: number | null };

/// A CRM page of the test's own at `${crm}/host.html`, served through the
/// test (cil-core.js and cil-host.js from the server; the page has no
/// address, so a widget on 127.0.0.1 must be served through the test too:
/// [`serveWidgetThroughTheTest`]): an iframe `#w`
/// showing `src`, connected to `origin` as the page loads. Returns once the
/// page's scripts ran, not waiting for the frame.
export async function openHostPage(page: Page, baseURL: string | undefined, src: string, origin: string) {
  const { crm } = origins(baseURL);
  const body = `<!DOCTYPE html><html lang="en"><head><title>host</title></head><body>
    <iframe id="w" title="Wrap-up" src="${src}"></iframe>
    <script src="/cil-core.js"></script>
    <script src="/cil-host.js"></script>
    <script>
      const log = (window.__host = { errors: [], loadedAt: null, connectedAt: null });
      const frame = document.getElementById('w');
      frame.addEventListener('load', () => (log.loadedAt = performance.now()));
      const connection = WrapupGadget.connect(frame, { origin: ${JSON.stringify(origin)} });
      connection.onError((error) => log.errors.push(error));
      connection.connected.then(() => (log.connectedAt = performance.now()));
    </script></body></html>`;
  await page.route(`${crm}/host.html`, (route) => route.fulfill({ contentType: 'text/html', body }));
  await page.goto(`${crm}/host.html`, { waitUntil: 'domcontentloaded' });
}

export async function hostLog(page: Page): Promise<HostLog> {
  return page.evaluate(() => (window as unknown as { __host: HostLog }).__host);
}

/// Serves the widget's page at `widgetUrl` through the test, with the
/// server's own headers (`policy` may rewrite its CSP). Chromium's Local
/// Network Access checks would stop a page from the internet framing
/// 127.0.0.1 before any CSP is read; a response passed through `page.route`
/// has no address, so the widget's own defences decide, as for a widget
/// deployed on the internet. The page comes once `due` resolves (a slow network).
export async function serveWidgetThroughTheTest(
  page: Page,
  widgetUrl: string,
  policy = (csp: string) => csp,
  due: Promise<void> = Promise.resolve(),
) {
  await page.route(widgetUrl, async (route) => {
    await due;
    const response = await route.fetch();
    const headers = { ...response.headers() };
    headers['content-security-policy'] = policy(headers['content-security-policy']);
    // The body arrives decoded.
    delete headers['content-encoding'];
    delete headers['content-length'];
    await route.fulfill({ response, headers });
  });
}

/// A page on the CRM's origin (`${crm}/plain-embed.html`) that frames the
/// widget for `agent` without cil-host.js, and connects to it only when
/// `connectLate()` is called (loading cil-core.js and cil-host.js then): a
/// CRM page whose scripts come after the widget stopped waiting for them.
/// All of it through the test, which the browser's Local Network Access
/// checks treat alike (see [`serveWidgetThroughTheTest`]). `hostWarnings()`
/// is what the page's `onWarning` heard.
export async function openLateHostPage(page: Page, baseURL: string | undefined, agent: string) {
  const { crm, widget } = origins(baseURL);
  const widgetUrl = `${widget}/?agent=${agent}`;
  await serveWidgetThroughTheTest(page, widgetUrl);
  await page.route(`${widget}/cil-*.js`, async (route) => route.fulfill({ response: await route.fetch() }));
  await page.route(`${crm}/plain-embed.html`, (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: `<!DOCTYPE html><html><head><title>plain embed</title></head><body>
        <iframe id="w" src="${widgetUrl}" style="width:400px;height:600px"></iframe>
        <script>
          window.hostWarnings = [];
          window.connectLate = async () => {
            for (const name of ['cil-core.js', 'cil-host.js']) {
              const script = document.createElement('script');
              script.src = '${widget}/' + name;
              await new Promise((resolve) => { script.onload = resolve; document.head.append(script); });
            }
            WrapupGadget.connect(document.getElementById('w'), {
              origin: '${widget}',
              onWarning: (message) => window.hostWarnings.push(message),
            });
          };
        </script></body></html>`,
    }),
  );
  await page.goto(`${crm}/plain-embed.html`);
  type Late = { connectLate: () => Promise<void>; hostWarnings: string[] };
  return {
    frame: page.frameLocator('#w'),
    connectLate: () => page.evaluate(() => (window as unknown as Late).connectLate()),
    hostWarnings: () => page.evaluate(() => (window as unknown as Late).hostWarnings),
  };
}

/// The names of the Web Locks held in `page`'s origin.
export async function heldLocks(page: Page): Promise<string[]> {
  return page.evaluate(async () => ((await navigator.locks.query()).held ?? []).map((lock) => lock.name ?? ''));
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

/// What the CRM page in `page` keeps in its localStorage for the widget of
/// `agent` (cil-host.js), by the widget's own keys.
export async function keptFor(page: Page, widget: string, agent: string): Promise<Record<string, string>> {
  return page.evaluate((prefix) => {
    const kept: Record<string, string> = {};
    for (const key of Object.keys(localStorage)) {
      if (key.startsWith(prefix)) kept[key.slice(prefix.length)] = localStorage.getItem(key) ?? '';
    }
    return kept;
  }, `wrapup-gadget@${widget}:wrapup:${agent}:`);
}

/// The wrap-up panel of the call from `caller` in `frame`.
export function panelOf(frame: FrameLocator, caller: string) {
  return frame.getByTestId('wrapup-panel').filter({ hasText: caller });
}

/// The notes field of the wrap-up of the call from `caller` in `frame`.
export function notesOf(frame: FrameLocator, caller: string) {
  return panelOf(frame, caller).getByTestId('notes-input');
}
