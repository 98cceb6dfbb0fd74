// No wrap-up lost, none sent twice, under faults: a server of its own where
// 30 % of the widget's API requests fail (500, 503, reset after the write,
// slow, and a few hang past the widget's timeout), many calls wrapped up
// through the widget by keyboard, and the page reloaded at random moments —
// while ringing, with notes typed but not submitted, and right after Submit.
// Afterwards every call has exactly one closed segment with its code and notes.
//
// WRAPUP_RELIABILITY_CALLS (default 200) and WRAPUP_RELIABILITY_SEED set the
// run; `cargo xtask bench reliability` runs 1,000 calls and records the figures.
import { test, expect, type APIRequestContext, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { act, admin, codes, newAgent } from './support';

const calls = Number(process.env.WRAPUP_RELIABILITY_CALLS ?? 200);
const seed = Number(process.env.WRAPUP_RELIABILITY_SEED ?? 20261121);
const reloads = 10;
const port = Number(process.env.WRAPUP_E2E_PORT ?? 18080) + 7;
const baseURL = `http://127.0.0.1:${port}`;

test.use({ baseURL });
test.describe.configure({ mode: 'serial' });

let server: ChildProcess | undefined;

test.beforeAll(async () => {
  const binary = process.env.WRAPUP_SERVER_BIN ?? 'target/debug/wrapup-server';
  const db = join(mkdtempSync(join(tmpdir(), 'wrapup-reliability-')), 'faults.sqlite');
  server = spawn(
    binary,
    ['--listen', `127.0.0.1:${port}`, '--static', 'dist', '--demo', '--db', db],
    { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, RUST_LOG: 'error,tower_http=off' } },
  );
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const up = await fetch(`${baseURL}/healthz`).then(
      (response) => response.ok,
      () => false,
    );
    if (up) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the reliability server did not start on ${baseURL}`);
});

test.afterAll(() => {
  server?.kill();
});

/// A small seeded generator (mulberry32): the same seed, the same run.
function random(state: number): () => number {
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Moment = 'ringing' | 'typed' | 'submitted';

/// Which calls see a reload, and when.
function reloadPlan(next: () => number): Map<number, Moment> {
  const moments: Moment[] = ['ringing', 'typed', 'submitted'];
  const plan = new Map<number, Moment>();
  while (plan.size < Math.min(reloads, calls)) {
    plan.set(Math.floor(next() * calls), moments[Math.floor(next() * moments.length)]);
  }
  return plan;
}

async function reload(page: Page) {
  await page.reload();
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'live', { timeout: 15_000 });
}

/// A read of the Wrap Up API under faults: retried until it answers.
async function readSegment(request: APIRequestContext, sysId: string) {
  for (;;) {
    try {
      const response = await request.get(`/api/now/wrapup/segment/${sysId}`, { headers: admin, timeout: 3_000 });
      if (response.ok()) return (await response.json()).segment;
    } catch {
      // A reset or a hang: ask again.
    }
  }
}

interface Expected {
  callId: string;
  sysId: string;
  code: string;
  notes: string;
}

test(`${calls} calls wrapped up under 30 % failing requests and ${reloads} reloads: each closed once, nothing lost`, async ({
  page,
  request,
}) => {
  test.setTimeout(60_000 + calls * 4_000);
  const next = random(seed);
  const plan = reloadPlan(next);
  const agent = newAgent();
  const faults = await request.post('/sim/v1/faults', {
    headers: admin,
    data: {
      // 8.5 % each of 500, 503, reset and slow, 0.5 % hang (each costs the
      // widget its 15 s timeout): 30 % of the API requests in all.
      rules: ['500', '503', 'reset', 'slow', 'hang'].map((kind) => ({
        path: '*',
        kind,
        rate: kind === 'hang' ? 0.005 : 0.085,
      })),
    },
  });
  expect(faults.ok(), await faults.text()).toBeTruthy();
  await page.goto(`/?agent=${agent}`);
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'live');

  const expected: Expected[] = [];
  for (let index = 0; index < calls; index += 1) {
    const ani = `+4930${String(1_000_000 + index)}`;
    const code = codes[index % codes.length];
    const notes = `Call ${index}: ${next().toString(36).slice(2)} — Grüße`;
    const moment = plan.get(index);

    const created = await request.post('/sim/v1/calls', {
      headers: admin,
      data: {
        agent_id: agent,
        ani,
        direction: 'Incoming',
        queue: 'Billing',
        wrapup: { duration: null, allowed_codes: codes, default_code: codes[0], enable_codes: true },
      },
    });
    expect(created.status()).toBe(201);
    const callId: string = (await created.json()).id;
    const card = page.getByTestId('workitem-card').filter({ hasText: ani });
    await expect(card).toBeVisible();
    if (moment === 'ringing') await reload(page);
    await act(request, callId, 'connect');
    const workitem = await act(request, callId, 'hangup');
    const sysId: string = workitem.ctiData['user.wrapupSegmentSysId'];
    expected.push({ callId, sysId, code, notes });

    const panel = page
      .getByTestId('wrapup-panel')
      .filter({ has: page.getByTestId('wrapup-caller').filter({ hasText: ani }) });
    await expect(panel.getByTestId('code-option')).toHaveCount(codes.length, { timeout: 20_000 });
    await panel.getByTestId('code-listbox').focus();
    await page.keyboard.press(String(codes.indexOf(code) + 1));
    await panel.getByTestId('notes-input').fill(notes);
    if (moment === 'typed') {
      await reload(page);
      await expect(panel.getByTestId('notes-input')).toHaveValue(notes, { timeout: 20_000 });
      await panel.getByTestId('notes-input').focus();
    }
    await page.keyboard.press('Control+Enter');
    await expect(panel.getByTestId('submit')).toBeHidden({ timeout: 20_000 });
    if (moment === 'submitted') await reload(page);
  }

  // The outbox drains on its own; then every call has its one segment.
  for (const call of expected) {
    await expect
      .poll(async () => (await readSegment(request, call.sysId)).state, { timeout: 120_000 })
      .toBe('closed');
    const segment = await readSegment(request, call.sysId);
    expect({ code: segment.code.code, notes: segment.notes }).toEqual({ code: call.code, notes: call.notes });
    const inspected = await (await request.get(`/sim/v1/calls/${call.callId}`, { headers: admin })).json();
    expect(inspected.segments.map((each: { sys_id: string }) => each.sys_id)).toEqual([call.sysId]);
  }
});
