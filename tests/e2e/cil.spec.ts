// The `cil` integration surface end to end (docs/cil-protocol.md): a CRM
// page on one origin (http://localhost:<port>/crm.html) embedding the widget
// from another (http://127.0.0.1:<port>), for real; a page on an origin the
// server does not allow, which must get nothing and inject nothing; and
// `window.cil` in the widget's own page.
import { test, expect, type ConsoleMessage, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { act, CIL_CALLBACKS, newAgent, openWidget, startCall } from './support';
import type { Cil, EmbeddedCil } from '../../public/cil';

type Seen = { callback: string; data: Record<string, unknown> };

function origins(baseURL: string | undefined) {
  const { port } = new URL(baseURL ?? 'http://127.0.0.1:18080');
  return { port, crm: `http://localhost:${port}`, widget: `http://127.0.0.1:${port}` };
}

/// Subscribes to every callback of the page's `cil` and keeps what arrives.
async function recordCallbacks(page: Page) {
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
async function recordCallbacksFromTheStart(page: Page) {
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

async function seen(page: Page): Promise<Seen[]> {
  return page.evaluate(() => (window as unknown as { __seen: Seen[] }).__seen);
}

/// The callbacks about workitem `id`, in the order they fired.
async function callbacksOf(page: Page, id: string): Promise<string[]> {
  return (await seen(page)).filter((entry) => entry.data.id === id).map((entry) => entry.callback);
}

function expectWorkitemShape(data: Record<string, unknown>, event: string, id: string, state: RegExp) {
  expect(data.event).toBe(event);
  expect(data.id).toBe(id);
  expect(data.state).toMatch(state);
  for (const list of ['associations', 'capabilities', 'participants', 'participantLookupResult']) {
    expect(Array.isArray(data[list]), `${event}.${list} is an array`).toBe(true);
  }
  expect(data.channelType).toBe('Voice');
  expect(data.direction).toBe('Incoming');
  expect(data.ani).toBe('+4930123456');
  expect(data.ctiData).toMatchObject({ queueName: 'Billing' });
  // The b+s event itself, not the protocol's envelope.
  expect(data).not.toHaveProperty('type');
  expect(data).not.toHaveProperty('data');
}

test('a CRM page on another origin hears each callback of a call once, in order, and sets the wrap-up reason', async ({
  page,
  request,
  baseURL,
}) => {
  const agent = newAgent();
  const { crm, widget: widgetOrigin } = origins(baseURL);
  await page.goto(`${crm}/crm.html?agent=${agent}`);
  await expect(page.getByTestId('page-origin')).toHaveText(crm);
  await expect(page.getByTestId('widget-origin')).toHaveText(widgetOrigin);
  const widget = page.frameLocator('#widget');
  await expect(widget.getByTestId('connection')).toHaveAttribute('data-state', 'live');
  await expect(page.getByTestId('crm-connection')).toHaveAttribute('data-state', 'connected');
  expect(page.frames().map((frame) => new URL(frame.url()).origin)).toEqual([crm, widgetOrigin]);
  await recordCallbacks(page);

  const id = await startCall(request, agent, 120);
  await expect(widget.getByTestId('workitem-card')).toBeVisible();
  await act(request, id, 'connect');
  await act(request, id, 'hangup');
  await expect(widget.getByTestId('wrapup-panel')).toBeVisible();
  await expect(widget.getByTestId('code-option')).toHaveCount(2);

  // A request from the host page selects the code in the widget.
  const answer = await page.evaluate(
    (id) => (window as unknown as { cil: Cil }).cil.setWrapupReason('voice', id, 'Store Issue', 'crm-e2e-1'),
    id,
  );
  expect(answer).toBeUndefined();
  await expect(widget.getByTestId('code-option').filter({ hasText: 'Store Issue' })).toHaveAttribute(
    'aria-selected',
    'true',
  );
  const state = await page.evaluate((id) => (window as unknown as { cil: Cil }).cil.getWrapupState(id), id);
  expect(state).toMatchObject({ workitemId: id, inWrapup: true, selectedCode: 'Store Issue', submission: 'none' });

  await widget.getByTestId('submit').click();
  await expect(widget.getByTestId('idle')).toBeVisible();
  await expect.poll(() => callbacksOf(page, id)).toContain('onWorkitemEnd');

  // Each once, in the order of the call; the reason's change between the
  // wrap-up and the end, as a call variable and as wrap-up data.
  const lifecycle = ['onWorkitemCreate', 'onWorkitemConnect', 'onWorkitemWrapup', 'onWorkitemEnd'];
  expect(await callbacksOf(page, id)).toEqual([
    'onWorkitemCreate',
    'onWorkitemConnect',
    'onWorkitemWrapup',
    'onCallVariableChanged',
    'onWrapupDataChanged',
    'onWorkitemEnd',
  ]);

  const events = (await seen(page)).filter((entry) => entry.data.id === id);
  const payload = (callback: string) => events.find((entry) => entry.callback === callback)!.data;
  expectWorkitemShape(payload('onWorkitemCreate'), 'workitemCreate', id, /^(Offered|Initiated)$/);
  expectWorkitemShape(payload('onWorkitemConnect'), 'workitemConnect', id, /^Active$/);
  expect(payload('onWorkitemConnect').connectedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
  expectWorkitemShape(payload('onWorkitemWrapup'), 'workitemWrapup', id, /^Wrapup$/);
  expectWorkitemShape(payload('onWorkitemEnd'), 'workitemEnd', id, /^Ended/);
  expect(payload('onCallVariableChanged')).toMatchObject({
    event: 'callVariableChanged',
    id,
    requestId: 'crm-e2e-1',
    ctiData: { wrapUpReason: 'Store Issue' },
  });
  expect(payload('onWrapupDataChanged')).toMatchObject({
    event: 'wrapupDataChanged',
    id,
    ctiData: { wrapUpReason: 'Store Issue' },
  });
  // Nothing failed along the way.
  expect((await seen(page)).filter((entry) => entry.callback === 'onError')).toEqual([]);

  // The page's own log shows every callback as text, and the spec's samples ran.
  const log = page.getByTestId('crm-log');
  for (const name of lifecycle) {
    await expect(log.locator(`[data-title="${name}"]`)).toHaveCount(1);
  }
  await expect(log.locator('[data-title="onWorkitemCreate"]')).toContainText(id);
  // The frame follows the widget's height.
  await expect
    .poll(() => page.locator('#widget').evaluate((frame) => (frame as HTMLIFrameElement).style.height))
    .toMatch(/^[1-9]\d*px$/);
});

test('the sample snippets of the spec run unchanged on the CRM page', async ({ page, request, baseURL }) => {
  const agent = newAgent();
  const { crm } = origins(baseURL);
  const warnings: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'warning' && message.text().startsWith('message: ')) warnings.push(message.text());
  });
  await page.goto(`${crm}/crm.html?agent=${agent}`);
  await expect(page.getByTestId('crm-connection')).toHaveAttribute('data-state', 'connected');
  const id = await startCall(request, agent, 120);
  await expect.poll(() => warnings.find((text) => text.startsWith('message: onWorkitemCreate'))).toBeTruthy();
  const sample = warnings.find((text) => text.startsWith('message: onWorkitemCreate'))!;
  const data = JSON.parse(sample.slice('message: onWorkitemCreate, data: '.length));
  expect(data).toMatchObject({ event: 'workitemCreate', id });
});

test('a CTI event sent by the allowed host page reaches the widget', async ({ page, baseURL }) => {
  const agent = newAgent();
  const { crm } = origins(baseURL);
  await page.goto(`${crm}/crm.html?agent=${agent}`);
  const widget = page.frameLocator('#widget');
  await expect(widget.getByTestId('connection')).toHaveAttribute('data-state', 'live');
  await expect(page.getByTestId('crm-connection')).toHaveAttribute('data-state', 'connected');
  await recordCallbacks(page);

  const id = `host-${agent}`;
  await page.evaluate(
    ([id, agent]) => {
      (window as unknown as { cil: EmbeddedCil }).cil.sendCtiEvent({
        event: 'workitemCreate',
        id,
        agentId: agent,
        state: 'Offered',
        channelType: 'Voice',
        channelId: 'voice_5000',
        direction: 'Incoming',
        classification: 'Customer',
        ani: '+4940555000',
        associations: [],
        capabilities: [],
        participants: [{ address: '+4940555000' }],
        participantLookupResult: [],
        ctiData: { queueName: 'Host queue' },
      });
    },
    [id, agent],
  );
  await expect(widget.getByTestId('workitem-card')).toBeVisible();
  await expect(widget.getByTestId('workitem-caller')).toContainText('+4940555000');
  await expect.poll(() => callbacksOf(page, id)).toEqual(['onWorkitemCreate']);
});

test('the host page connects again when the widget reloads in its frame', async ({ page, request, baseURL }) => {
  const agent = newAgent();
  const { crm } = origins(baseURL);
  await page.goto(`${crm}/crm.html?agent=${agent}`);
  const widget = page.frameLocator('#widget');
  await expect(page.getByTestId('crm-connection')).toHaveAttribute('data-state', 'connected');
  await recordCallbacks(page);
  const before = await page.evaluate(() => (window as unknown as { cil: Cil }).cil.getChannel('voice'));
  expect(before).toMatchObject({ channel: { type: 'Voice' } });

  // A new widget document in the same frame: a new handshake, the same `cil`.
  await page.locator('#widget').evaluate((frame) => {
    const iframe = frame as HTMLIFrameElement;
    iframe.src = `${iframe.src}&reloaded=1`;
  });
  await expect.poll(() => page.frames()[1]?.url()).toMatch(/reloaded=1/);
  await expect(widget.getByTestId('connection')).toHaveAttribute('data-state', 'live');
  const id = await startCall(request, agent, 120);
  await expect(widget.getByTestId('workitem-card')).toBeVisible();
  await expect.poll(() => callbacksOf(page, id)).toEqual(['onWorkitemCreate']);
  const after = await page.evaluate(() => (window as unknown as { cil: Cil }).cil.getChannel('voice'));
  expect(after.channel.workitems.map((workitem) => workitem.id)).toContain(id);
});

test('a host page the widget server does not allow is told why after 5 s', async ({ page, baseURL }) => {
  const { port, crm, widget } = origins(baseURL);
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && message.text().startsWith('wrapup-gadget:')) errors.push(message.text());
  });
  // The roles swapped: the page on 127.0.0.1 (not allowed), the widget on localhost.
  await page.goto(`${widget}/crm.html?widget=${encodeURIComponent(`${crm}/`)}&agent=${newAgent()}`);
  await expect(page.getByTestId('widget-origin')).toHaveText(crm);
  await expect.poll(() => errors.length, { timeout: 10_000 }).toBe(1);
  expect(errors[0]).toContain(`the widget at ${crm} has not answered for 5 s`);
  expect(errors[0]).toContain(`--embed-origin http://127.0.0.1:${port}`);
  await expect(page.getByTestId('crm-connection')).toHaveAttribute('data-state', 'connecting');
});

/// Blocks storage in the widget's frames only, as a browser blocking
/// third-party storage does.
async function blockWidgetStorage(page: Page, widgetOrigin: string) {
  await page.addInitScript((origin) => {
    if (location.origin !== origin) return;
    Object.defineProperty(window, 'localStorage', {
      configurable: true,
      get() {
        throw new DOMException('third-party storage is blocked', 'SecurityError');
      },
    });
  }, widgetOrigin);
}

test('where the browser blocks storage in its frame, the host page keeps the widget\'s draft across a reload', async ({
  page,
  baseURL,
  request,
}) => {
  const { crm, widget } = origins(baseURL);
  await blockWidgetStorage(page, widget);
  const agent = newAgent();
  await page.goto(`${crm}/crm.html?agent=${agent}`);
  await expect(page.getByTestId('crm-connection')).toHaveAttribute('data-state', 'connected');
  const frame = page.frameLocator('#widget');
  const id = await startCall(request, agent, 300);
  await act(request, id, 'connect');
  await act(request, id, 'hangup');
  await frame.getByTestId('code-listbox').focus();
  await page.keyboard.press('2');
  await frame.getByTestId('notes-input').fill('Typed in a frame without storage');

  // The host page, on its own origin, holds the draft under the widget's origin.
  const hostCopy = () =>
    page.evaluate(
      (prefix) =>
        Object.keys(localStorage)
          .filter((key) => key.startsWith(prefix))
          .map((key) => localStorage.getItem(key))
          .join('\n'),
      `wrapup-gadget@${widget}:wrapup:${agent}:`,
    );
  await expect.poll(hostCopy).toContain('Typed in a frame without storage');

  await page.reload();
  await expect(page.getByTestId('crm-connection')).toHaveAttribute('data-state', 'connected');
  await expect(frame.getByTestId('notes-input')).toHaveValue('Typed in a frame without storage');
  await expect(frame.getByTestId('code-option').nth(1)).toHaveAttribute('aria-selected', 'true');
  // Nothing to warn of: the data is kept.
  await expect(page.getByTestId('crm-log').locator('[data-kind="warning"]')).toHaveCount(0);
});

test('a frame whose storage is blocked and that no page connects to starts on its own, and hands its data to a page that connects late', async ({
  page,
  baseURL,
  request,
}) => {
  const { crm, widget } = origins(baseURL);
  await blockWidgetStorage(page, widget);
  const agent = newAgent();
  const warnings: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'warning') warnings.push(message.text());
  });
  // A page on an allowed origin that frames the widget without cil-host.js,
  // and loads it only when told to. All of it through the test, which the
  // browser's Local Network Access checks treat alike (see
  // serveWidgetThroughTheTest).
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
  const frame = page.frameLocator('#w');
  // It waits for a host, then starts with nothing stored.
  await expect(frame.getByTestId('connection')).toHaveAttribute('data-state', 'live', { timeout: 10_000 });
  expect(warnings.filter((text) => text.includes('no page has connected with cil-host.js'))).toHaveLength(1);
  const id = await startCall(request, agent, 120);
  await expect(frame.getByTestId('workitem-card')).toBeVisible();

  await page.evaluate(() => (window as unknown as { connectLate: () => Promise<void> }).connectLate());
  await expect
    .poll(() => page.evaluate(() => (window as unknown as { hostWarnings: string[] }).hostWarnings))
    .toEqual([expect.stringContaining('started without the notes and unsent wrap-ups this page keeps')]);
  // What the widget stored so far is kept by the page from now on.
  await expect
    .poll(() =>
      page.evaluate((key) => localStorage.getItem(key), `wrapup-gadget@${widget}:wrapup:${agent}:resume`),
    )
    .toBeTruthy();
  await act(request, id, 'connect');
});

/// A page on http://evil.test framing the widget for `agent`: it offers the
/// handshake ("*" as target, a port) every 100 ms, pushes a CTI event and a
/// request down each port, and posts a CTI event straight to the frame.
function evilPage(widgetUrl: string, agent: string) {
  const event = {
    event: 'workitemCreate',
    id: `evil-${agent}`,
    agentId: agent,
    state: 'Offered',
    channelType: 'Voice',
    direction: 'Incoming',
    ani: '+666',
    associations: [],
    capabilities: [],
    participants: [],
    participantLookupResult: [],
  };
  const script = `
    window.__answers = [];
    window.__attempts = 0;
    const frame = document.getElementById('w');
    const event = ${JSON.stringify(event)};
    setInterval(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = (message) => window.__answers.push(message.data);
      frame.contentWindow.postMessage({ type: 'wrapup-gadget:connect', version: 1 }, '*', [channel.port2]);
      channel.port1.postMessage({ type: 'cti-event', event });
      channel.port1.postMessage({ type: 'request', id: 1, request: { request: 'getChannel', channelId: 'voice' } });
      frame.contentWindow.postMessage({ type: 'cti-event', event }, '*');
      window.__attempts += 1;
    }, 100);`;
  return `<!DOCTYPE html><html><head><title>evil</title></head><body>
    <iframe id="w" src="${widgetUrl}" style="width:400px;height:600px"></iframe>
    <script>${script}</script></body></html>`;
}

/// Serves the widget's page at `widgetUrl` through the test, with the
/// server's own headers (`policy` may rewrite its CSP). Chromium's Local
/// Network Access checks would stop a page from the internet framing
/// 127.0.0.1 before any CSP is read; a response passed through `page.route`
/// has no address, so the widget's own defences decide, as for a widget
/// deployed on the internet.
async function serveWidgetThroughTheTest(page: Page, widgetUrl: string, policy = (csp: string) => csp) {
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

async function evilState(page: Page) {
  return page.evaluate(() => {
    const target = window as unknown as { __answers: unknown[]; __attempts: number };
    return { answers: target.__answers, attempts: target.__attempts };
  });
}

/// The agent's own widget, opened directly: it has heard of no call.
async function expectUntouched(page: Page, agent: string) {
  const own = await page.context().newPage();
  await openWidget(own, agent);
  await expect(own.getByTestId('idle')).toBeVisible();
  await expect(own.getByTestId('workitem-card')).toHaveCount(0);
  await own.close();
}

test('a page on an origin the server does not allow cannot show the widget, connect or inject', async ({
  page,
  baseURL,
}) => {
  const agent = newAgent();
  const { widget } = origins(baseURL);
  const widgetUrl = `${widget}/?agent=${agent}`;
  const refusals: string[] = [];
  page.on('console', (message) => {
    if (message.text().includes('frame-ancestors')) refusals.push(message.text());
  });
  await serveWidgetThroughTheTest(page, widgetUrl);
  await page.route('http://evil.test/**', (route) =>
    route.fulfill({ contentType: 'text/html', body: evilPage(widgetUrl, agent) }),
  );
  await page.goto('http://evil.test/crm.html');

  // The browser refuses to show the widget in the frame (its CSP's frame-ancestors).
  await expect.poll(() => refusals.length).toBeGreaterThan(0);
  await expect.poll(async () => (await evilState(page)).attempts).toBeGreaterThan(10);
  const frame = page.frames().find((candidate) => candidate !== page.mainFrame())!;
  expect(new URL(frame.url()).origin).not.toBe(widget);
  await expect(page.frameLocator('#w').getByTestId('connection')).toHaveCount(0);
  expect((await evilState(page)).answers).toEqual([]);
  await expectUntouched(page, agent);
});

test('the widget refuses the handshake of a non-allowed origin even when a frame shows it', async ({
  page,
  baseURL,
}) => {
  const agent = newAgent();
  const { widget } = origins(baseURL);
  const widgetUrl = `${widget}/?agent=${agent}`;
  // Defence in depth: take the frame-ancestors directive away, as a browser
  // without CSP would, so that cil.js's own allowedOrigins check is what stands.
  await serveWidgetThroughTheTest(page, widgetUrl, (csp) => csp.replace(/frame-ancestors[^;]*/, 'frame-ancestors *'));
  await page.route('http://evil.test/**', (route) =>
    route.fulfill({ contentType: 'text/html', body: evilPage(widgetUrl, agent) }),
  );
  const refused: ConsoleMessage[] = [];
  page.on('console', (message) => {
    if (message.text().includes('refused the connection from http://evil.test')) refused.push(message);
  });
  await page.goto('http://evil.test/crm.html');
  const frame = page.frameLocator('#w');
  await expect(frame.getByTestId('connection')).toHaveAttribute('data-state', 'live');

  // Several handshakes refused since the widget listens for CTI events.
  const before = refused.length;
  await expect.poll(() => refused.length).toBeGreaterThan(before + 3);
  expect(refused[0].type()).toBe('error');
  await expect(frame.getByTestId('idle')).toBeVisible();
  await expect(frame.getByTestId('workitem-card')).toHaveCount(0);
  expect((await evilState(page)).answers).toEqual([]);
  await expectUntouched(page, agent);
});

test.describe('window.cil in the widget page', () => {
  test('after a reload, what integrators heard is not told again: only new changes are', async ({ page, request }) => {
    const agent = newAgent();
    await openWidget(page, agent);
    const ringing = await startCall(request, agent, 120);
    await expect(page.getByTestId('workitem-card')).toBeVisible();
    // The server sent two events: the agent's login and the call. The page
    // must have heard both before it reloads — one still on its way (the
    // login may come after the call) is news to the reloaded page, rightly.
    await expect
      .poll(() =>
        page.evaluate((key) => JSON.parse(localStorage.getItem(key) ?? '{}').last_seen ?? 0, `wrapup:${agent}:resume`),
      )
      .toBe(2);

    await recordCallbacksFromTheStart(page);
    await page.reload();
    await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'live');
    await expect(page.getByTestId('workitem-card')).toBeVisible();
    const next = await startCall(request, agent, 120);
    await expect(page.getByTestId('workitem-card')).toHaveCount(2);
    await expect.poll(() => callbacksOf(page, next)).toEqual(['onWorkitemCreate']);
    expect((await seen(page)).map((entry) => entry.callback)).toEqual(['onWorkitemCreate']);
    // A late subscriber catches up by asking.
    const channel = await page.evaluate(() => (window as unknown as { cil: Cil }).cil.getChannel('voice'));
    expect(channel.channel.workitems.map((workitem) => workitem.id).sort()).toEqual([next, ringing].sort());
  });

  test('a page with nothing stored hears the live calls, not the calls that are over', async ({ page, request }) => {
    // As a CRM frame whose storage the browser blocks, on every load.
    const agent = newAgent();
    const over = await startCall(request, agent, 120);
    await act(request, over, 'hangup');
    const live = await startCall(request, agent, 120);
    await act(request, live, 'connect');
    const interactions: string[] = [];
    page.on('request', (sent) => {
      if (sent.method() === 'POST' && sent.url().endsWith('/openframe/voice-interaction')) {
        interactions.push(sent.postDataJSON().interaction.clientSessionId);
      }
    });
    await recordCallbacksFromTheStart(page);
    await openWidget(page, agent);
    await expect(page.getByTestId('workitem-card')).toHaveCount(1);
    await expect.poll(() => callbacksOf(page, live)).toEqual(['onWorkitemCreate', 'onWorkitemConnect']);
    expect(await callbacksOf(page, over)).toEqual([]);
    await expect.poll(() => interactions).toEqual([live]);
    // The record's answer must be in before the reload: a reload while the
    // POST is on its way cannot know the record and would create another.
    await expect
      .poll(() => page.evaluate((key) => localStorage.getItem(key) ?? '', `wrapup:${agent}:interactions`))
      .toContain(live);

    // Told where the server's replay ended, a reload resumes after it: the
    // call that is over stays untold, and the live one is not told again.
    await page.reload();
    await expect(page.getByTestId('workitem-card')).toHaveCount(1);
    const next = await startCall(request, agent, 120);
    await expect.poll(() => callbacksOf(page, next)).toEqual(['onWorkitemCreate']);
    expect((await seen(page)).map((entry) => entry.callback)).toEqual(['onWorkitemCreate']);
    expect(interactions).toEqual([live]);
  });

  test('a callback that throws does not stop the others, is reported to onError, and unsubscribing works', async ({
    page,
    request,
  }) => {
    const agent = newAgent();
    const consoleErrors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    await openWidget(page, agent);
    await page.evaluate(() => {
      const target = window as unknown as { cil: Cil; __calls: Record<string, unknown> };
      const calls = { first: 0, second: 0, removed: 0, errors: [] as unknown[] };
      target.__calls = calls;
      target.cil.onWorkitemCreate(() => {
        calls.first += 1;
        throw new Error('an integrator bug');
      });
      target.cil.onWorkitemCreate(() => {
        calls.second += 1;
      });
      const unsubscribe = target.cil.onWorkitemCreate(() => {
        calls.removed += 1;
      });
      unsubscribe();
      unsubscribe();
      target.cil.onError((error) => calls.errors.push(error));
    });

    await startCall(request, agent, 60);
    await expect(page.getByTestId('workitem-card')).toBeVisible();
    await expect
      .poll(() => page.evaluate(() => (window as unknown as { __calls: unknown }).__calls))
      .toEqual({
        first: 1,
        second: 1,
        removed: 0,
        errors: [{ event: 'error', requestId: '', message: expect.stringContaining('an integrator bug') }],
      });
    expect(consoleErrors.some((text) => text.includes('an integrator bug'))).toBe(true);
  });

  test('a refused request rejects its Promise and fires onError once, with its requestId', async ({ page }) => {
    const agent = newAgent();
    await openWidget(page, agent);
    const outcome = await page.evaluate(async () => {
      const { cil } = window as unknown as { cil: Cil };
      const errors: unknown[] = [];
      cil.onError((error) => errors.push(error));
      const refusal = async (request: () => Promise<unknown>) => {
        try {
          return { resolved: await request() };
        } catch (error) {
          const { name, message, requestId, request: named } = error as Error & { requestId: string; request: string };
          return { name, message, requestId, request: named };
        }
      };
      const missingWorkitem = await refusal(() => cil.setWrapupReason('voice', '', 'Store Issue', 'req-42'));
      // updatedData goes to the wasm as given: the number is refused there.
      const notAString = await refusal(() =>
        cil.updateWorkitemData('voice', 'call-1', { callVariable1: 12345 as unknown as string }, 'req-43'),
      );
      return { missingWorkitem, notAString, errors };
    });
    expect(outcome.missingWorkitem).toMatchObject({
      name: 'CilRequestError',
      request: 'setWrapupReason',
      requestId: 'req-42',
      message: expect.stringContaining('workitemId'),
    });
    expect(outcome.notAString).toMatchObject({
      requestId: 'req-43',
      message: expect.stringContaining('callVariable1'),
    });
    expect(outcome.errors).toEqual([
      expect.objectContaining({ event: 'error', requestId: 'req-42', message: outcome.missingWorkitem.message }),
      expect.objectContaining({ event: 'error', requestId: 'req-43', message: outcome.notAString.message }),
    ]);
  });

  test('a request made before the widget is ready waits for it', async ({ page }) => {
    const agent = newAgent();
    await page.addInitScript(() => {
      document.addEventListener('DOMContentLoaded', () => {
        const target = window as unknown as { cil: Cil; __early: Record<string, unknown> };
        const early: Record<string, unknown> = { readyWhenAsked: document.documentElement.dataset.wrapupReady ?? null };
        target.__early = early;
        target.cil.isSendDtmfEnabled().then((value) => {
          early.answer = value;
        });
      });
    });
    await openWidget(page, agent);
    await expect
      .poll(() => page.evaluate(() => (window as unknown as { __early: unknown }).__early))
      .toEqual({ readyWhenAsked: null, answer: false });
  });
});

for (const colorScheme of ['light', 'dark'] as const) {
  test(`the demo CRM page in the ${colorScheme} theme has no WCAG violations`, async ({ page, request, baseURL }) => {
    await page.emulateMedia({ colorScheme });
    const agent = newAgent();
    await page.goto(`${origins(baseURL).crm}/crm.html?agent=${agent}`);
    await expect(page.getByTestId('crm-connection')).toHaveAttribute('data-state', 'connected');
    const id = await startCall(request, agent, 120);
    await expect(page.getByTestId('crm-log').locator('[data-title="onWorkitemCreate"]')).toContainText(id);
    // An answer and a refusal in the log, so that their colours are checked too.
    await page.getByRole('button', { name: 'getWrapupState' }).click();
    await expect(page.getByTestId('crm-log').locator('[data-kind="answer"]')).toContainText('getWrapupState');
    await page.getByTestId('crm-workitem-id').fill('');
    await page.getByRole('button', { name: 'setWrapupReason' }).click();
    await expect(page.getByTestId('crm-log').locator('[data-title="setWrapupReason"]')).toContainText('refused');
    // The page itself; the widget in its frame has its own tests (a11y.spec.ts).
    const results = await new AxeBuilder({ page })
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
      .exclude('#widget')
      .analyze();
    expect(results.violations.map((violation) => ({ id: violation.id, targets: violation.nodes.map((node) => node.target) }))).toEqual([]);
  });
}
