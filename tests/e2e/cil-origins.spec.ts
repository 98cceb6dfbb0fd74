// Pages on origins the reference server does not allow: they must not show
// the widget, connect to it or inject events into it (docs/cil-protocol.md).
import { test, expect, type ConsoleMessage, type Page } from '@playwright/test';
import { newAgent, openWidget } from './support';
import { origins, serveWidgetThroughTheTest } from './cil-support';

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
