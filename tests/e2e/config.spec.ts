// The widget's configuration as a CRM admin meets it: a server started for
// production (no --demo) hands the widget its token and its Tenios key; one
// that knows its agents (--agents) names the agent and refuses a mistyped
// one, which the widget says; a value the widget does not accept is named,
// never replaced in silence; a server it cannot reach is named; the
// deployment's design tokens theme it; and the iframe sandbox the README
// recommends runs it.
import { test, expect, request as newRequest, type APIRequestContext, type Page } from '@playwright/test';
import type { ChildProcess } from 'node:child_process';
import { cpSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  act,
  admin,
  callUntilWrapup,
  codes,
  newAgent,
  openWidget,
  scratchDatabase,
  segment,
  startCall,
  startServer,
  staticDir,
  stopServer,
} from './support';
import type { Cil } from '../../public/cil';

/// The seconds the wrap-up's countdown shows.
async function remainingSeconds(page: Page) {
  const text = (await page.getByTestId('countdown-clock').textContent()) ?? '';
  const [minutes, seconds] = text.trim().split(':').map(Number);
  return minutes * 60 + seconds;
}

/// Extend (by the page's step, 60 s) moves the countdown, and Cancel ends
/// the wrap-up: Tenios took the key and the agent's e-mail the widget has.
async function extendThenCancel(page: Page) {
  await expect(page.getByTestId('code-option')).toHaveCount(codes.length);
  const before = await remainingSeconds(page);
  await page.getByTestId('extend').click();
  await expect.poll(() => remainingSeconds(page)).toBeGreaterThan(before + 50);
  await expect(page.getByTestId('notice')).toHaveCount(0);
  await page.getByTestId('cancel-wrapup').click();
  await expect(page.getByTestId('idle')).toBeVisible();
}

/// The widget's console messages that start `wrapup-gadget:`.
function gadgetConsole(page: Page): string[] {
  const messages: string[] = [];
  page.on('console', (message) => {
    if (message.text().startsWith('wrapup-gadget:')) messages.push(message.text());
  });
  return messages;
}

test.describe('a production server (--widget-token, --tenios-access-key, --users, no --demo)', () => {
  const port = Number(process.env.WRAPUP_E2E_PORT ?? 18080) + 12;
  const base = `http://127.0.0.1:${port}`;
  const tokens = { '--wg-font-family': 'Georgia, serif', '--wg-color-accent': 'rgb(111, 66, 193)', color: 'red' };
  let server: ChildProcess;
  let request: APIRequestContext;

  test.beforeAll(async () => {
    const db = scratchDatabase('production');
    // The deployment's widget: the build, and a config.json of its own with
    // design tokens and nothing else.
    const dist = join(dirname(db), 'dist');
    cpSync(staticDir, dist, { recursive: true });
    writeFileSync(join(dist, 'config.json'), JSON.stringify({ tokens }));
    const users = join(dirname(db), 'users.txt');
    writeFileSync(users, 'admin:admin:admin\n');
    server = await startServer(
      port,
      db,
      ['--widget-token', 'e2e-production-token', '--tenios-access-key', 'e2e-tenios-key', '--users', users],
      dist,
    );
    request = await newRequest.newContext({
      baseURL: base,
      extraHTTPHeaders: admin,
    });
  });

  test.afterAll(async () => {
    await request?.dispose();
    if (server) await stopServer(server);
  });

  // Bug: without --demo, /config.json held no token, so the widget's event
  // stream and every API call were refused, the token "wrong or expired".
  test('serves the widget its token: it follows calls and saves wrap-ups out of the box', async ({ page }) => {
    const agent = newAgent();
    await page.goto(`${base}/?agent=${agent}`);
    await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'live');
    const id = await startCall(request, agent, 120);
    await expect(page.getByTestId('workitem-card')).toBeVisible();
    await act(request, id, 'connect');
    const sysId: string = (await act(request, id, 'hangup')).ctiData['user.wrapupSegmentSysId'];
    await expect(page.getByTestId('code-option')).toHaveCount(codes.length);
    await page.getByTestId('code-option').nth(1).click();
    await page.getByTestId('submit').click();
    await expect.poll(async () => (await segment(request, sysId)).state).toBe('closed');
    expect((await segment(request, sysId)).code.code).toBe(codes[1]);
  });

  // Bug: without --demo, /config.json held no Tenios key, so Extend and
  // Cancel told the agent they were not set up, whatever
  // --tenios-access-key said.
  test('serves the widget its Tenios key: Extend and Cancel wrap-up work', async ({ page }) => {
    const agent = newAgent();
    const email = `${agent}@e2e.test`;
    await page.goto(`${base}/?agent=${agent}&email=${encodeURIComponent(email)}&extend=60`);
    await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'live');
    const id = await startCall(request, agent, 120, { email });
    await act(request, id, 'connect');
    await act(request, id, 'hangup');
    await extendThenCancel(page);
  });

  test("the deployment's design tokens theme the widget under the page's policy; other names are named", async ({
    page,
  }) => {
    const messages = gadgetConsole(page);
    const refused: string[] = [];
    page.on('console', (message) => {
      if (message.text().includes('Content Security Policy')) refused.push(message.text());
    });
    await page.goto(`${base}/?agent=${newAgent()}`);
    await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'live');
    const widget = page.getByTestId('widget');
    await expect(widget).toHaveCSS('font-family', 'Georgia, serif');
    expect(
      await widget.evaluate((element) => getComputedStyle(element).getPropertyValue('--wg-color-accent').trim()),
    ).toBe('rgb(111, 66, 193)');
    expect(refused).toEqual([]);
    expect(messages).toEqual([
      'wrapup-gadget: tokens "color" is not accepted (custom properties named --wg-…): the widget ignores it',
    ]);
  });
});

test.describe('a production server that knows its agents (--agents)', () => {
  const port = Number(process.env.WRAPUP_E2E_PORT ?? 18080) + 13;
  const base = `http://127.0.0.1:${port}`;
  const known = 'e2e-ann-lee';
  let server: ChildProcess;
  let request: APIRequestContext;

  test.beforeAll(async () => {
    const db = scratchDatabase('agents');
    const users = join(dirname(db), 'users.txt');
    writeFileSync(users, 'admin:admin:admin\n');
    const agents = join(dirname(db), 'agents.txt');
    writeFileSync(agents, `# id:email:first name:last name\n${known}:ann.lee@e2e.test:Ann:Lee\n`);
    server = await startServer(port, db, [
      '--widget-token',
      'e2e-production-token',
      '--tenios-access-key',
      'e2e-tenios-key',
      '--users',
      users,
      '--agents',
      agents,
    ]);
    request = await newRequest.newContext({
      baseURL: base,
      extraHTTPHeaders: admin,
    });
  });

  test.afterAll(async () => {
    await request?.dispose();
    if (server) await stopServer(server);
  });

  test('the widget names its agent; Extend and Cancel need nothing in its address', async ({ page }) => {
    await page.goto(`${base}/?agent=${known}&extend=60`);
    await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'live');
    await expect(page.getByTestId('agent-name')).toHaveText('Ann Lee');
    await expect(page.getByTestId('agent-id')).toHaveText(known);
    // The agent's e-mail comes from the server (agentEmails), as the key does.
    const id = await startCall(request, known, 120);
    await act(request, id, 'connect');
    await act(request, id, 'hangup');
    await extendThenCancel(page);
  });

  // Bug: the server logged in any agent id, so a typo in `agent=` gave a
  // widget that said "Connected" and never got a call.
  test('a mistyped agent is told in the agent’s place, never shown connected; integrators hear why', async ({
    page,
  }) => {
    const messages: string[] = [];
    page.on('console', (message) => messages.push(message.text()));
    const typo = 'e2e-ann-lea';
    await page.goto(`${base}/?agent=${typo}`);
    await expect(page.getByTestId('agent-unknown')).toHaveText(
      `The CTI system knows no agent “${typo}”: the widget's address names a wrong agent (agent=). ` +
        'It follows no calls until your administrator corrects it.',
    );
    await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'idle');
    await expect(page.getByTestId('connection')).toHaveText('Not connected');
    await expect(page.getByTestId('agent-state-toggle')).toBeHidden();
    await expect(page.getByTestId('agent-name')).toHaveCount(0);
    const refusal = await page.evaluate(() =>
      (window as unknown as { cil: Cil }).cil.getChannel('voice').then(
        () => 'answered',
        (error: Error) => error.message,
      ),
    );
    expect(refusal).toContain('the CTI system knows no agent of the id the widget was given');
    // The console says what the server said, for whoever set the widget up.
    expect(messages).toContainEqual(
      expect.stringContaining(`the server answered 404: no agent has the id \`${typo}\` on this server`),
    );
    // No call can be made for it either.
    const call = await request.post('/sim/v1/calls', { data: { agent_id: typo, ani: '+4930123456', direction: 'Incoming' } });
    expect(call.status()).toBe(404);
  });
});

// Bug: `?backend=sap` was taken for ServiceNow, where the wrap-ups then went.
test('an unknown backend is named with the accepted ones; the widget follows no call and refuses requests', async ({
  page,
  request,
}) => {
  const messages = gadgetConsole(page);
  const agent = newAgent();
  await page.goto(`/?agent=${agent}&backend=sap`);
  await expect(page.getByTestId('config-error')).toHaveText(
    'The widget is set up wrongly: its backend setting is neither servicenow nor genesys. It follows no ' +
      'calls and sends no wrap-ups until your administrator corrects it.',
  );
  const refusal = await page.evaluate(() =>
    (window as unknown as { cil: Cil }).cil.getChannel('voice').then(
      () => 'answered',
      (error: Error) => error.message,
    ),
  );
  expect(refusal).toContain('names a backend it does not know');
  expect(messages).toEqual([
    'wrapup-gadget: backend "sap" is not accepted (servicenow, genesys): the widget follows no calls and sends no wrap-ups',
  ]);

  // A call rings, is answered and ends: nothing of it reaches this page, and
  // no record of it is made anywhere. A correctly set page of the same agent
  // is live meanwhile (the other takes no lock), and sees the wrap-up.
  const good = await page.context().newPage();
  await openWidget(good, agent);
  const { id } = await callUntilWrapup(good, request, agent, 120);
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'idle');
  await expect(page.getByTestId('workitem-card')).toHaveCount(0);
  await expect(page.getByTestId('wrapup-panel')).toHaveCount(0);
  const call = await request.get(`/sim/v1/calls/${id}`, {
    headers: admin,
  });
  expect((await call.json()).interactions).toHaveLength(1);
  await good.close();
});

test('cosmetic values the widget does not accept fall back, each named once in the console', async ({ page }) => {
  const messages = gadgetConsole(page);
  await page.goto(`/?agent=${newAgent()}&lang=xx&theme=foo&extend=lots`);
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'live');
  await expect(page.getByTestId('idle')).toHaveText('No active calls');
  expect(await page.locator('html').getAttribute('data-theme')).toBeNull();
  expect(messages).toEqual([
    'wrapup-gadget: lang "xx" is not accepted (en, de, or a tag of them: de-CH): the widget uses en',
    'wrapup-gadget: theme "foo" is not accepted (light, dark, auto): the widget uses auto',
    'wrapup-gadget: extend "lots" is not accepted (whole seconds from 5 to 900): the widget uses 30',
  ]);
});

// Bug: a wrong `server=` showed "Reconnecting (attempt 7)…" forever, naming
// neither the server nor the page's policy, which allows only its own.
test('a server the widget cannot reach is named by its origin after a few attempts', async ({ page, baseURL }) => {
  const unreachable = 'http://127.0.0.1:9';
  await page.goto(`/?agent=${newAgent()}&server=${encodeURIComponent(`${unreachable}/some/path?token=x`)}`);
  await expect(page.getByTestId('connection')).toContainText(`Cannot reach ${unreachable} (attempt`, {
    timeout: 15_000,
  });
  await expect(page.getByTestId('connection')).toContainText(
    `This page's security policy may allow only its own server, ${new URL(baseURL!).origin}.`,
  );
  await expect(page.getByTestId('connection')).not.toContainText('token');
});

/// A frame of the widget for a new agent in the demo CRM page (another
/// origin), with `sandbox` as its sandbox attribute, connected through
/// cil-host.js; the CRM page's console errors that the widget did not answer.
async function sandboxedFrame(page: Page, baseURL: string | undefined, sandbox: string) {
  const crm = new URL('/crm.html', baseURL);
  crm.hostname = 'localhost';
  await page.goto(crm.href);
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.text().includes('has not answered for 5 s')) errors.push(message.text());
  });
  const agent = newAgent();
  await page.evaluate(
    ({ src, sandbox, origin }) => {
      const frame = document.createElement('iframe');
      frame.id = 'sandboxed';
      frame.setAttribute('sandbox', sandbox);
      frame.style.width = '380px';
      frame.src = src;
      document.body.append(frame);
      WrapupGadget.connect(frame, { origin });
    },
    { src: new URL(`/?agent=${agent}`, baseURL).href, sandbox, origin: new URL(baseURL!).origin },
  );
  return { agent, frame: page.frameLocator('#sandboxed'), errors };
}

test('the sandbox the README recommends runs the widget; without allow-same-origin the host is told why', async ({
  page,
  baseURL,
  request,
}) => {
  const { agent, frame } = await sandboxedFrame(page, baseURL, 'allow-scripts allow-same-origin');
  await expect(frame.getByTestId('connection')).toHaveAttribute('data-state', 'live');
  const id = await startCall(request, agent, 120);
  await act(request, id, 'connect');
  const sysId: string = (await act(request, id, 'hangup')).ctiData['user.wrapupSegmentSysId'];
  await expect(frame.getByTestId('code-option')).toHaveCount(codes.length);
  await frame.getByTestId('code-option').first().click();
  await frame.getByTestId('submit').click();
  await expect.poll(async () => (await segment(request, sysId)).state).toBe('closed');

  const blank = await sandboxedFrame(page, baseURL, 'allow-scripts');
  await expect.poll(() => blank.errors.length, { timeout: 10_000 }).toBe(1);
  expect(blank.errors[0]).toContain(
    'Likely causes: the iframe\'s sandbox="allow-scripts" lacks allow-scripts or allow-same-origin, which the widget needs;',
  );
});
