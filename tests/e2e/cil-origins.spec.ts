// Pages on origins the reference server does not allow: they must not show
// the widget, connect to it or inject events into it (docs/cil-protocol.md);
// and what a CRM page is told when its frame does not answer.
import { test, expect, type ConsoleMessage, type Page } from '@playwright/test';
import { newAgent, openWidget } from './support';
import { API_VERSION, hostLog, openHostPage, origins, serveWidgetThroughTheTest } from './cil-support';

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

// Bug this pins: a frame that did not answer was offered the handshake four
// times a second for 5 s and once a second after that, for as long as the
// page stayed open, and a frame of the page's own site warns on the console
// of every message posted to it for another origin.
test('a frame that does not answer is offered the handshake less and less often, and its page is told why, what it sees first', async ({
  page,
  baseURL,
}) => {
  const { port, widget } = origins(baseURL);
  // Not the widget: a page of the CRM page's own site (localhost), which
  // Chromium runs in the CRM page's process, where such messages are warned of.
  const elsewhere = 'http://localhost:9/not-the-widget';
  // The frame's page comes once connect() has run, so that its load is what
  // offers the handshake first. A page already in the frame at connect() is
  // offered it then, and again at its load: one offer more.
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(elsewhere, async (route) => {
    await held;
    await route.fulfill({ contentType: 'text/html', body: '<!DOCTYPE html><title>elsewhere</title><p>Not the widget.</p>' });
  });
  const offers: string[] = [];
  const barriers: string[] = [];
  page.on('console', (message) => {
    const text = message.text();
    if (message.type() !== 'warning' || !text.includes("Failed to execute 'postMessage'")) return;
    if (text.includes(`target origin provided ('${widget}')`)) offers.push(text);
    if (text.includes("target origin provided ('http://barrier.invalid')")) barriers.push(text);
  });
  // Every offer made so far has been warned of once the page's own later
  // message is: posted to the same frame, they are warned of in order.
  const offered = async () => {
    const seen = barriers.length;
    await page.evaluate(() =>
      (document.getElementById('w') as HTMLIFrameElement).contentWindow!.postMessage('barrier', 'http://barrier.invalid'),
    );
    await expect.poll(() => barriers.length).toBe(seen + 1);
    return offers.length;
  };
  // The page's time moves only when the test moves it.
  await page.clock.install({ time: 0 });
  await page.clock.pauseAt(1_000);
  await openHostPage(page, baseURL, elsewhere, widget);
  release();
  // Offered once as the frame loads.
  await expect.poll(() => offers.length).toBe(1);

  await page.clock.runFor(5_000);
  await expect.poll(async () => (await hostLog(page)).errors.length).toBe(1);
  expect(await offered()).toBeLessThanOrEqual(6);
  const { errors, connectedAt } = await hostLog(page);
  expect(connectedAt).toBeNull();
  expect(errors[0]).toEqual({ event: 'error', version: API_VERSION, requestId: '', message: expect.any(String) });
  expect(errors[0].message).toMatch(
    new RegExp(
      `^the widget at ${widget} has not answered for 5 s\\. Likely causes: the iframe shows ${elsewhere}, not a page of ${widget} ` +
        `\\(the widget's origin given to WrapupGadget\\.connect\\); the widget server does not allow this page's origin http://localhost:${port} `,
    ),
  );

  // A minute on, still offered, about once in 10 s.
  await page.clock.runFor(55_000);
  const inAMinute = await offered();
  expect(inAMinute).toBeGreaterThan(6);
  expect(inAMinute).toBeLessThanOrEqual(12);
  expect((await hostLog(page)).errors).toHaveLength(1);
});

test('a CRM page whose widget comes late is told after 5 s, and connects as soon as the widget loads', async ({
  page,
  baseURL,
}) => {
  const { widget } = origins(baseURL);
  const url = `${widget}/?agent=${newAgent()}`;
  // A slow network: the widget's page comes when the test lets it.
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await serveWidgetThroughTheTest(page, url, undefined, held);
  await openHostPage(page, baseURL, url, widget);

  await expect.poll(async () => (await hostLog(page)).errors.length, { timeout: 10_000 }).toBe(1);
  const told = await hostLog(page);
  expect(told.connectedAt).toBeNull();
  expect(told.errors[0]).toEqual({
    event: 'error',
    version: API_VERSION,
    requestId: '',
    message: expect.stringMatching(
      new RegExp(
        `^the widget at ${widget} has not answered for 5 s\\. Likely causes: the frame has not loaded the widget's page yet ` +
          `\\(a slow network, or its URL does not answer\\); the widget server does not allow `,
      ),
    ),
  });

  release();
  await expect(page.frameLocator('#w').getByTestId('connection')).toHaveAttribute('data-state', 'live');
  await expect.poll(async () => (await hostLog(page)).connectedAt).not.toBeNull();
  const { errors, loadedAt, connectedAt } = await hostLog(page);
  // At the frame's load, not at the next of the offers spaced out meanwhile.
  expect(connectedAt! - loadedAt!).toBeLessThan(2_000);
  expect(errors).toHaveLength(1);
});
