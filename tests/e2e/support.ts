// What the end-to-end tests share: driving the CTI simulator as the admin,
// reading segments back, and opening the widget for a fresh agent; for the
// specs that need a server of their own, starting and killing it; and
// recording what the page hears of the event stream.
import { expect, type APIRequestContext, type FrameLocator, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export const admin = { Authorization: `Basic ${Buffer.from('admin:admin').toString('base64')}` };
export const codes = ['Billing Issue', 'Store Issue'];

/// What axe-core finds against WCAG 2.2 AA in `page` (leaving out what
/// `exclude` selects): each violation's id, help and targets, which make a
/// failure readable without a report viewer.
export async function wcagViolations(page: Page, exclude?: string) {
  let axe = new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']);
  if (exclude) axe = axe.exclude(exclude);
  const results = await axe.analyze();
  return results.violations.map((violation) => ({
    id: violation.id,
    help: violation.help,
    targets: violation.nodes.map((node) => node.target.join(' ')),
  }));
}

export function newAgent(): string {
  return `e2e${Date.now().toString(16)}${Math.floor(Math.random() * 1e9).toString(16)}`;
}

/// Starts a call to `agent` from `call.ani` (+4930123456 by default), whose
/// wrap-up requires one of `codes` with `call.defaultCode` (the first code
/// unless given, `null` for none) preselected; `call.email` registers the
/// agent's Tenios e-mail.
export async function startCall(
  request: APIRequestContext,
  agent: string,
  duration: number | null,
  call: { email?: string; ani?: string; defaultCode?: string | null } = {},
): Promise<string> {
  const { email, ani = '+4930123456', defaultCode = codes[0] } = call;
  const response = await request.post('/sim/v1/calls', {
    headers: admin,
    data: {
      agent_id: agent,
      ani,
      direction: 'Incoming',
      queue: 'Billing',
      wrapup: { duration, allowed_codes: codes, default_code: defaultCode, enable_codes: true },
      ...(email ? { agent_email: email } : {}),
    },
  });
  expect(response.status()).toBe(201);
  return (await response.json()).id;
}

/// Drives the call; returns the workitem as the simulator answers it.
export async function act(request: APIRequestContext, id: string, action: string) {
  const response = await request.post(`/sim/v1/calls/${id}/${action}`, { headers: admin });
  expect(response.ok()).toBeTruthy();
  return response.json();
}

/// The call as the simulator recorded it (`GET /sim/v1/calls/{id}`): what the
/// backends were sent for it.
export async function simulatedCall(request: APIRequestContext, id: string) {
  const response = await request.get(`/sim/v1/calls/${id}`, { headers: admin });
  expect(response.ok()).toBeTruthy();
  return response.json();
}

export async function segment(request: APIRequestContext, sysId: string) {
  const response = await request.get(`/api/now/wrapup/segment/${sysId}`, { headers: admin });
  expect(response.ok()).toBeTruthy();
  return (await response.json()).segment;
}

/// Rings, answers and hangs up a call; returns the wrap-up segment's sys_id.
export async function callUntilWrapup(page: Page, request: APIRequestContext, agent: string, duration: number | null) {
  const id = await startCall(request, agent, duration);
  await expect(page.getByTestId('workitem-card')).toBeVisible();
  await act(request, id, 'connect');
  const workitem = await act(request, id, 'hangup');
  const sysId: string = workitem.ctiData['user.wrapupSegmentSysId'];
  expect(sysId).toBeTruthy();
  await expect(page.getByTestId('wrapup-panel')).toBeVisible();
  await expect(page.getByTestId('code-option')).toHaveCount(codes.length);
  return { id, sysId };
}

/// A reason the server knows no code for, as an integrator may set it.
export const unknownReason = 'Callback promised';

/// Rings, answers and hangs up a call whose wrap-up segment lists no codes
/// (the server then takes any code it knows, "Billing Issue" the default),
/// and has an integrator set [`unknownReason`] as its wrap-up reason: the
/// widget offers it (the segment allows custom codes); then the agent types
/// `notes` and submits with Ctrl+Enter, and the server refuses it. Returns
/// the call's id and the segment's sys_id.
export async function submitUnknownReason(page: Page, request: APIRequestContext, agent: string, notes: string) {
  const response = await request.post('/sim/v1/calls', {
    headers: admin,
    data: {
      agent_id: agent,
      ani: '+4930123456',
      direction: 'Incoming',
      queue: 'Billing',
      wrapup: { duration: 300, allowed_codes: [], default_code: codes[0], enable_codes: true },
    },
  });
  expect(response.status()).toBe(201);
  const id: string = (await response.json()).id;
  await expect(page.getByTestId('workitem-card')).toBeVisible();
  await act(request, id, 'connect');
  const workitem = await act(request, id, 'hangup');
  const sysId: string = workitem.ctiData['user.wrapupSegmentSysId'];
  await expect(page.getByTestId('code-option')).toHaveCount(1);
  await page.evaluate(
    ([id, reason]) =>
      (
        window as unknown as { cil: { setWrapupReason(channel: string, id: string, reason: string): Promise<void> } }
      ).cil.setWrapupReason('voice', id, reason),
    [id, unknownReason],
  );
  const reason = page.locator(`[data-testid="code-option"][data-code="${unknownReason}"]`);
  await expect(reason).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('code-option')).toHaveCount(2);
  await page.getByTestId('notes-input').fill(notes);
  await page.keyboard.press('Control+Enter');
  return { id, sysId };
}

export async function openWidget(page: Page, agent: string, lang = 'en') {
  await openLive(page, `agent=${agent}&lang=${lang}`);
}

/// Opens the widget with `query` and waits until its event stream is live.
export async function openLive(page: Page, query: string) {
  await page.goto(`/?${query}`);
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'live');
}

/// Opens the demo CRM page for a new agent on another origin than the
/// widget's (`localhost` beside `127.0.0.1`), once the widget it embeds is
/// live; returns the widget's frame.
export async function openCrmPage(page: Page, baseURL: string | undefined): Promise<FrameLocator> {
  const crm = new URL('/crm.html', baseURL);
  crm.hostname = 'localhost';
  crm.searchParams.set('agent', newAgent());
  await page.goto(crm.href);
  const widget = page.frameLocator('#widget');
  await expect(widget.getByTestId('connection')).toHaveAttribute('data-state', 'live');
  return widget;
}

/// Where the end-to-end servers keep their SQLite files: under target/,
/// not the system's temporary directory, so runs leave nothing behind there,
/// and the files of the last run stay to be looked at after a failure.
export const E2E_DATA = join('target', 'e2e-data');

/// A fresh SQLite file `name`.sqlite in a directory of its own under
/// [`E2E_DATA`], emptied first: what a previous run left there is gone.
export function scratchDatabase(name: string): string {
  const dir = join(E2E_DATA, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return join(dir, `${name}.sqlite`);
}

/// The widget build the specs that start their own server serve:
/// WRAPUP_STATIC_DIR, or dist/ (a copy keeps a run stable while dist/ is rebuilt).
export const staticDir = process.env.WRAPUP_STATIC_DIR ?? 'dist';

/// Starts `wrapup-server --demo` (or with `flags` instead of `--demo`) on
/// 127.0.0.1:`port` with the SQLite file `db` and the widget of `dir`, for a
/// spec that needs a server of its own (faults, restarts, a production
/// setup); resolves once `/healthz` answers.
export async function startServer(
  port: number,
  db: string,
  flags: string[] = ['--demo'],
  dir: string = staticDir,
): Promise<ChildProcess> {
  const binary = process.env.WRAPUP_SERVER_BIN ?? 'target/debug/wrapup-server';
  const server = spawn(
    binary,
    ['--listen', `127.0.0.1:${port}`, '--static', dir, '--db', db, ...flags],
    { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, RUST_LOG: 'error,tower_http=off' } },
  );
  const exited = new Promise<never>((_, reject) =>
    server.once('exit', (code, signal) => reject(new Error(`wrapup-server on ${port} exited (${code ?? signal})`))),
  );
  const healthy = (async () => {
    for (;;) {
      const up = await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (response) => response.ok,
        () => false,
      );
      if (up) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  const timeout = new Promise<never>((_, reject) =>
    setTimeout(() => reject(new Error(`wrapup-server did not start on port ${port}`)), 15_000).unref(),
  );
  await Promise.race([healthy, exited, timeout]);
  return server;
}

/// Kills `server` with `signal` and resolves once the process is gone.
export async function stopServer(server: ChildProcess, signal: NodeJS.Signals = 'SIGTERM') {
  if (server.exitCode !== null || server.signalCode !== null) return;
  const gone = new Promise((resolve) => server.once('exit', resolve));
  server.kill(signal);
  await gone;
}

/// An event of an agent's SSE stream: its `id:` and its `data:` (the b+s event's JSON).
export interface StreamedEvent {
  id: string;
  data: string;
}

/// What the page saw, recorded by [`recordCti`].
export interface CtiLog {
  /// Every SSE message any `EventSource` of the page received, in order.
  received: StreamedEvent[];
  /// How many `EventSource`s the page opened, how many of them opened, and
  /// how many failures (`error` events) they had.
  opened: number;
  connected: number;
  failed: number;
  /// Every `wrapup:cil` event's detail, in order.
  cil: { event: string; id?: string; state?: string }[];
  /// Every `window.cil.onX` callback, in order: its name and its argument.
  callbacks: { callback: string; event: string; id?: string; state?: string }[];
}

/// Every callback of `window.cil` an integrator can subscribe to.
export const CIL_CALLBACKS = [
  'onWorkitemCreate',
  'onWorkitemConnect',
  'onWorkitemPause',
  'onWorkitemResume',
  'onWorkitemWrapup',
  'onWorkitemEnd',
  'onCallVariableChanged',
  'onWrapupDataChanged',
  'onAgentStateChange',
  'onQueueDataUpdate',
  'onError',
] as const;

/// Records, from before any page script runs, the SSE messages the widget
/// receives (through a subclass of `EventSource` that listens to its own
/// messages), the `wrapup:cil` events and the `window.cil` callbacks; read
/// it with [`ctiLog`].
export async function recordCti(page: Page) {
  await page.addInitScript((callbacks) => {
    const log = { received: [], opened: 0, connected: 0, failed: 0, cil: [], callbacks: [] } as {
      received: { id: string; data: string }[];
      opened: number;
      connected: number;
      failed: number;
      cil: unknown[];
      callbacks: unknown[];
    };
    (window as unknown as { __ctiLog: typeof log }).__ctiLog = log;
    const Native = window.EventSource;
    window.EventSource = class extends Native {
      constructor(url: string | URL, init?: EventSourceInit) {
        super(url, init);
        log.opened += 1;
        this.addEventListener('open', () => {
          log.connected += 1;
        });
        this.addEventListener('error', () => {
          log.failed += 1;
        });
        this.addEventListener('message', (event) => {
          log.received.push({ id: event.lastEventId, data: event.data });
        });
      }
    };
    const brief = (detail: { event?: string; id?: string; state?: string }) => ({
      event: detail.event,
      id: detail.id,
      state: detail.state,
    });
    window.addEventListener('wrapup:cil', (event) => {
      log.cil.push(brief((event as CustomEvent).detail));
    });
    // cil.js assigns `window.cil` while the page parses: subscribe to every
    // callback then, before the wasm can emit anything.
    let cil: Record<string, (callback: (detail: { event?: string }) => void) => void> | undefined;
    Object.defineProperty(window, 'cil', {
      configurable: true,
      get: () => cil,
      set: (value) => {
        cil = value;
        for (const callback of callbacks) {
          value[callback]((detail: { event?: string }) => log.callbacks.push({ callback, ...brief(detail) }));
        }
      },
    });
  }, CIL_CALLBACKS);
}

export async function ctiLog(page: Page): Promise<CtiLog> {
  return page.evaluate(() => (window as unknown as { __ctiLog: CtiLog }).__ctiLog);
}

/// The server's own record of `agent`'s events: its SSE stream replayed
/// from the start (`Last-Event-ID: 0`) by a plain HTTP client, read until
/// `last` says an event is the last one wanted.
export async function serverEvents(
  baseURL: string,
  agent: string,
  last: (event: StreamedEvent) => boolean,
): Promise<StreamedEvent[]> {
  const controller = new AbortController();
  const response = await fetch(`${baseURL}/cti/v1/agents/${agent}/events`, {
    headers: { ...admin, 'Last-Event-ID': '0', Accept: 'text/event-stream' },
    signal: controller.signal,
  });
  if (!response.ok) throw new Error(`the stream of ${agent}: ${response.status} ${await response.text()}`);
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  const events: StreamedEvent[] = [];
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`the stream of ${agent} ended after ${events.length} events`);
      buffer += value;
      // Events end with a blank line; a field is `name: value` (or a comment).
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event: StreamedEvent = { id: '', data: '' };
        const data: string[] = [];
        let name = 'message';
        for (const line of block.split('\n')) {
          const colon = line.indexOf(':');
          if (colon <= 0) continue;
          const field = line.slice(0, colon);
          const text = line.slice(colon + 1).replace(/^ /, '');
          if (field === 'id') event.id = text;
          if (field === 'data') data.push(text);
          if (field === 'event') name = text;
        }
        // Only messages: the `stream` event that names the stream is not one.
        if (data.length === 0 || name !== 'message') continue;
        event.data = data.join('\n');
        events.push(event);
        if (last(event)) return events;
      }
    }
  } finally {
    controller.abort();
  }
}
