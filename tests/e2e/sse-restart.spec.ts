// The CTI event stream survives losing its connection: once when the server
// is killed (SIGKILL) mid-call and restarted on the same port and database,
// once when only the stream's TCP connection is cut (through a proxy of the
// test's own) while the call moves on; and the server's database replaced,
// after a reload and under a page that stays open. Afterwards the SSE messages the widget
// received are exactly the server's record of the agent's stream (replayed
// from the start by a plain HTTP client): same ids, same data, same order,
// no gap, no duplicate — and every `cil` event and `window.cil` callback
// fired exactly once per event.
//
// A server of its own on WRAPUP_E2E_PORT + 10 (and the proxy on + 11), with
// its own SQLite file; WRAPUP_STATIC_DIR names the widget build it serves.
import { test, expect, type APIRequestContext, type Page } from '@playwright/test';
import type { ChildProcess } from 'node:child_process';
import { createServer, connect, type Server, type Socket } from 'node:net';
import {
  act,
  admin,
  codes,
  ctiLog,
  newAgent,
  recordCti,
  scratchDatabase,
  serverEvents,
  startServer,
  stopServer,
  type CtiLog,
  type StreamedEvent,
} from './support';

const port = Number(process.env.WRAPUP_E2E_PORT ?? 18080) + 10;
const proxyPort = port + 1;
const baseURL = `http://127.0.0.1:${port}`;

test.use({ baseURL });
test.describe.configure({ mode: 'serial' });

let server: ChildProcess | undefined;
/// The SQLite file of the server the tests restart.
let db = '';

test.beforeAll(async () => {
  db = scratchDatabase('restart');
  server = await startServer(port, db);
});

test.afterAll(async () => {
  if (server) await stopServer(server);
});

/// A TCP proxy in front of the server that can cut the agent's event stream
/// (and refuse it for a while) without touching any other connection.
class StreamCutter {
  private readonly server: Server;
  private readonly streams = new Set<Socket>();
  private readonly sockets = new Set<Socket>();
  private refusing = false;
  /// Event-stream requests refused while cut.
  refused = 0;

  constructor(listen: number, upstream: number) {
    this.server = createServer((client) => {
      const target = connect(upstream, '127.0.0.1');
      this.sockets.add(client).add(target);
      const close = () => {
        client.destroy();
        target.destroy();
        this.streams.delete(client);
        this.sockets.delete(client);
        this.sockets.delete(target);
      };
      client.on('error', close).on('close', close);
      target.on('error', close).on('close', close);
      client.on('data', (chunk) => {
        // A keep-alive connection may carry other requests first; the one
        // that asks for the event stream keeps it until it closes.
        if (/^GET \/cti\/v1\/agents\/[^/]+\/events/.test(chunk.toString('latin1', 0, 200))) {
          if (this.refusing) {
            this.refused += 1;
            close();
            return;
          }
          this.streams.add(client);
        }
        target.write(chunk);
      });
      target.on('data', (chunk) => client.write(chunk));
    });
    this.server.listen(listen, '127.0.0.1');
  }

  /// Breaks every event stream now, and refuses new ones until [`resume`].
  cut() {
    this.refusing = true;
    for (const socket of this.streams) socket.destroy();
    this.streams.clear();
  }

  resume() {
    this.refusing = false;
  }

  /// Stops listening and breaks every connection (the browser keeps idle ones open).
  async close() {
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

/// Starts a call to `agent`, with `duration` seconds to wrap up (none: no limit).
async function startCall(request: APIRequestContext, agent: string, duration: number | null = null): Promise<string> {
  const created = await request.post('/sim/v1/calls', {
    headers: admin,
    data: {
      agent_id: agent,
      ani: '+4930555000',
      direction: 'Incoming',
      queue: 'Billing',
      wrapup: { duration, allowed_codes: codes, default_code: codes[0], enable_codes: true },
    },
  });
  expect(created.status()).toBe(201);
  return (await created.json()).id;
}

async function inspect(request: APIRequestContext, callId: string) {
  const response = await request.get(`/sim/v1/calls/${callId}`, { headers: admin });
  expect(response.ok()).toBeTruthy();
  return response.json();
}

/// Picks the second code, types notes and submits by keyboard.
async function wrapUp(page: Page, notes: string) {
  const panel = page.getByTestId('wrapup-panel');
  await expect(panel.getByTestId('code-option')).toHaveCount(codes.length, { timeout: 20_000 });
  await panel.getByTestId('code-listbox').focus();
  await page.keyboard.press('2');
  await panel.getByTestId('notes-input').fill(notes);
  await page.keyboard.press('Control+Enter');
  await expect(panel.getByTestId('submit')).toBeHidden({ timeout: 20_000 });
}

/// A new call of `agent` rings, is answered and hung up, and is wrapped up
/// with `notes`; resolves once the simulator has ended it. Returns its id.
async function callWrappedUp(page: Page, request: APIRequestContext, agent: string, notes: string): Promise<string> {
  const id = await startCall(request, agent);
  await expect(page.getByTestId('workitem-card')).toBeVisible();
  await act(request, id, 'connect');
  await act(request, id, 'hangup');
  await wrapUp(page, notes);
  await expect.poll(async () => (await inspect(request, id)).state, { timeout: 30_000 }).toBe('Ended');
  return id;
}

/// Opens the widget at `origin` for a new agent, recording what it hears
/// (`recordCti`), once its stream is live; returns the agent.
async function openRecorded(page: Page, origin = ''): Promise<string> {
  const agent = newAgent();
  await recordCti(page);
  await page.goto(`${origin}/?agent=${agent}`);
  await expectConnection(page, 'live');
  return agent;
}

async function expectConnection(page: Page, state: 'live' | 'reconnecting') {
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', state, { timeout: 20_000 });
}

interface Brief {
  event: string;
  id?: string;
  state?: string;
}

/// An SSE message as the `cil` event it should cause: its name, workitem and state.
function brief(event: StreamedEvent): Brief {
  const data = JSON.parse(event.data);
  return { event: data.event, id: data.id, state: data.state };
}

/// The widget received the server's stream exactly, and told integrators
/// of every event once (of those `told` selects: all by default). The page
/// received `heardBefore` messages of another stream first (one that stayed
/// open while the server's database was replaced heard the old one).
async function expectTheSameStream(
  page: Page,
  agent: string,
  callId: string,
  told: (event: Brief) => boolean = () => true,
  heardBefore = 0,
) {
  const isEnd = (event: StreamedEvent) => brief(event).event === 'workitemEnd' && brief(event).id === callId;
  const recorded = await serverEvents(baseURL, agent, isEnd);
  // The server's ids are 1, 2, 3…: the record itself has no gap.
  expect(recorded.map((event) => Number(event.id))).toEqual(recorded.map((_, index) => index + 1));
  // The widget receives the end asynchronously: wait for it, then compare.
  await expect.poll(async () => (await ctiLog(page)).received.length, { timeout: 20_000 }).toBeGreaterThanOrEqual(
    heardBefore + recorded.length,
  );
  const log: CtiLog = await ctiLog(page);
  expect(log.received.slice(heardBefore)).toEqual(recorded);

  // One `cil` event per event of the stream, in the stream's order; between
  // the wrap-up and the end, the two the agent's choice of a code raised
  // (the widget's own, not the CTI system's). Nothing twice, nothing missing.
  const expected = recorded.map(brief).filter(told).flatMap((cil) => {
    const chosen = { id: cil.id, state: 'Wrapup' };
    return cil.event === 'workitemWrapup'
      ? [cil, { event: 'callVariableChanged', ...chosen }, { event: 'wrapupDataChanged', ...chosen }]
      : [cil];
  });
  const cil = log.cil.filter((event) => told(event as Brief));
  expect(cil).toEqual(expected);
  // Every `cil` event reached its `window.cil` callback once, in order.
  const callbackOf = (event: string) => `on${event[0].toUpperCase()}${event.slice(1)}`;
  expect(log.callbacks).toEqual(log.cil.map((event) => ({ callback: callbackOf(event.event), ...event })));
  return log;
}

test("An SSE stream cut and the server restarted mid-call: the widget's event log matches the server's, no gaps, no duplicates", async ({
  page,
  request,
}) => {
  test.setTimeout(90_000);
  const agent = await openRecorded(page);

  const callId = await startCall(request, agent);
  await expect(page.getByTestId('workitem-card')).toBeVisible();
  await act(request, callId, 'connect');
  await act(request, callId, 'hold');
  // The call is live, on hold, and the widget has everything so far
  // (including its interaction record) before the server dies.
  await expect.poll(async () => (await inspect(request, callId)).interactions.length).toBe(1);
  await expect
    .poll(() => page.evaluate((key) => localStorage.getItem(key) ?? '', `wrapup:${agent}:interactions`))
    .toContain(callId);
  await expect
    .poll(async () => (await ctiLog(page)).cil.map((event) => event.event))
    .toContain('workitemPause');

  await stopServer(server!, 'SIGKILL');
  await expectConnection(page, 'reconnecting');
  server = await startServer(port, db);
  await expectConnection(page, 'live');

  await act(request, callId, 'resume');
  const workitem = await act(request, callId, 'hangup');
  const sysId: string = workitem.ctiData['user.wrapupSegmentSysId'];
  await wrapUp(page, 'after a restart');
  await expect.poll(async () => (await inspect(request, callId)).state, { timeout: 30_000 }).toBe('Ended');

  const log = await expectTheSameStream(page, agent, callId);
  expect(log.connected).toBeGreaterThanOrEqual(2);
  const call = await inspect(request, callId);
  expect(call.segments.map((segment: { sys_id: string }) => segment.sys_id)).toEqual([sysId]);
  expect(call.segments[0]).toMatchObject({ state: 'closed', notes: 'after a restart' });
  expect(call.segments[0].code.code).toBe(codes[1]);
  expect(call.interactions).toHaveLength(1);
});

test('Only the event stream cut, and an event sent while it is down: replayed once on reconnect, nothing else twice', async ({
  page,
  request,
}) => {
  test.setTimeout(90_000);
  const cutter = new StreamCutter(proxyPort, port);
  try {
    const agent = await openRecorded(page, `http://127.0.0.1:${proxyPort}`);

    const callId = await startCall(request, agent);
    await expect(page.getByTestId('workitem-card')).toBeVisible();
    await act(request, callId, 'connect');
    await expect
      .poll(async () => (await ctiLog(page)).cil.map((event) => event.event))
      .toContain('workitemConnect');

    // The stream breaks; the hold happens while the widget cannot hear it,
    // and the widget has tried to reconnect at least once.
    cutter.cut();
    await expectConnection(page, 'reconnecting');
    await act(request, callId, 'hold');
    await expect.poll(() => cutter.refused, { timeout: 20_000 }).toBeGreaterThan(0);
    cutter.resume();
    await expectConnection(page, 'live');
    await expect
      .poll(async () => (await ctiLog(page)).cil.map((event) => event.event))
      .toContain('workitemPause');

    await act(request, callId, 'resume');
    await act(request, callId, 'hangup');
    await wrapUp(page, 'after a cut');
    await expect.poll(async () => (await inspect(request, callId)).state, { timeout: 30_000 }).toBe('Ended');

    const log = await expectTheSameStream(page, agent, callId);
    expect(log.connected).toBeGreaterThanOrEqual(2);
    const call = await inspect(request, callId);
    expect(call.segments).toHaveLength(1);
    expect(call.segments[0]).toMatchObject({ state: 'closed', notes: 'after a cut' });
  } finally {
    await cutter.close();
  }
});

test("The server's database replaced while the page persisted its place in the old stream: after a reload every event of the new one is heard", async ({
  page,
  request,
}) => {
  test.setTimeout(90_000);
  const agent = await openRecorded(page);
  const first = await startCall(request, agent);
  await act(request, first, 'connect');
  await act(request, first, 'hangup');
  await wrapUp(page, 'in the old database');
  await expect.poll(async () => (await inspect(request, first)).state, { timeout: 30_000 }).toBe('Ended');
  // The page has persisted its place: past the old stream's first events.
  await expect
    .poll(async () => (await ctiLog(page)).cil.map((event) => event.event))
    .toContain('workitemEnd');

  await stopServer(server!);
  const fresh = scratchDatabase('replaced');
  server = await startServer(port, fresh);
  await page.reload();
  await expectConnection(page, 'live');

  // The new database numbers its events from 1 again: without knowing the
  // stream changed, the page would take them for events it already told of.
  const second = await callWrappedUp(page, request, agent, 'in the new database');
  // Every event of the new stream received, and every one of the call's
  // told once. The agent's login in the new database is told or not
  // depending on whether the page's own reading of the agent state
  // (getChannel) came first: integrators heard "NotReady" before the reload.
  await expectTheSameStream(page, agent, second, (event) => event.id === second);
});

test("The server's database replaced under a page that stays open: the old calls leave it, integrators hear them end, a call of the new one is wrapped up", async ({
  page,
  request,
}) => {
  test.setTimeout(90_000);
  const agent = await openRecorded(page);
  await page.getByTestId('agent-state-toggle').click();
  await expect(page.getByTestId('agent-state-name')).toHaveText('Ready');

  // In the old database: a call in wrap-up, its countdown running and its
  // notes half typed, and another call ringing.
  const wrapping = await startCall(request, agent, 600);
  await act(request, wrapping, 'connect');
  await act(request, wrapping, 'hangup');
  const panel = page.getByTestId('wrapup-panel');
  await expect(panel.getByTestId('countdown')).toBeVisible({ timeout: 20_000 });
  await panel.getByTestId('notes-input').fill('typed in the old database');
  const draft = () =>
    page.evaluate((key) => localStorage.getItem(key) ?? '', `wrapup:${agent}:draft:${wrapping}`);
  await expect.poll(draft).toContain('typed in the old database');
  // The agent asked to be Not ready once the calls are over.
  await expect(page.getByTestId('agent-state-name')).toHaveText('Wrapping up');
  await page.getByTestId('agent-state-toggle').click();
  await expect(page.getByTestId('agent-next')).toBeVisible();
  const ringing = await startCall(request, agent);
  await expect(page.getByTestId('workitem-card')).toBeVisible();

  // The server stops and starts on a new, empty database; the page stays.
  await stopServer(server!);
  await expectConnection(page, 'reconnecting');
  const heardBefore = (await ctiLog(page)).received.length;
  const fresh = scratchDatabase('replaced-open');
  server = await startServer(port, fresh);
  await expectConnection(page, 'live');

  // Nothing of the old database is left on the page: no card, no wrap-up,
  // no countdown; the agent's state is the new database's.
  await expect(page.getByTestId('idle')).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId('workitem-card')).toHaveCount(0);
  await expect(page.getByTestId('wrapup-panel')).toHaveCount(0);
  await expect(page.getByTestId('countdown')).toHaveCount(0);
  await expect(page.getByTestId('agent-state-name')).toHaveText('Not ready');
  // The choice for after the old calls went with them, from storage too.
  await expect(page.getByTestId('agent-next')).toHaveCount(0);
  await expect
    .poll(() => page.evaluate((key) => localStorage.getItem(key), `wrapup:${agent}:not-ready-after-calls`))
    .toBeNull();
  // What the agent typed stays stored.
  expect(await draft()).toContain('typed in the old database');

  // A call of the new database goes through wrap-up as usual.
  const second = await callWrappedUp(page, request, agent, 'in the new database, the page open');
  const call = await inspect(request, second);
  expect(call.segments).toHaveLength(1);
  expect(call.segments[0]).toMatchObject({ state: 'closed', notes: 'in the new database, the page open' });

  // Every event of the new stream heard once after the old one's, the new
  // call's told once; each old call ended for integrators once, in a
  // manner unknown, and nothing was told of it afterwards.
  const log = await expectTheSameStream(page, agent, second, (event) => event.id === second, heardBefore);
  for (const old of [wrapping, ringing]) {
    const told = log.cil.filter((event) => event.id === old);
    expect(told.filter((event) => event.event === 'workitemEnd')).toEqual([
      { event: 'workitemEnd', id: old, state: 'EndedUnknown' },
    ]);
    expect(told.at(-1)).toEqual({ event: 'workitemEnd', id: old, state: 'EndedUnknown' });
  }
});
