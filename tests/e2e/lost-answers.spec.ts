// Answers lost in the middle of a request, end to end against the real server:
// the server acts, then the connection breaks before its answer (the fault
// injector's `reset`), or the page reloads while a request is under way. The
// widget must end in the truth the server holds.
import { test, expect, type APIRequestContext, type Page } from '@playwright/test';
import { act, admin, codes, newAgent, openLive, segment, simulatedCall, startCall } from './support';

/// Rings, answers and hangs up a call of an agent Tenios knows; returns the
/// call id and its segment once the widget shows the wrap-up.
async function untilWrapup(page: Page, request: APIRequestContext, agent: string, email: string) {
  const id = await startCall(request, agent, 120, { email });
  await expect(page.getByTestId('workitem-card')).toBeVisible();
  await act(request, id, 'connect');
  const workitem = await act(request, id, 'hangup');
  await expect(page.getByTestId('wrapup-panel')).toBeVisible();
  await expect(page.getByTestId('code-option')).toHaveCount(codes.length);
  return { id, sysId: workitem.ctiData['user.wrapupSegmentSysId'] as string };
}

/// How the answer to the next request to `path` is lost after the server
/// carried it out: the server breaks the connection instead of answering (the
/// browser then sends the request again by itself, on another connection,
/// and Tenios refuses that), or the page gets no answer at all (the request
/// reached the server through Playwright, then failed for the page).
type Loss = 'reset' | 'no answer';

async function loseAnswer(page: Page, request: APIRequestContext, path: string, loss: Loss) {
  if (loss === 'reset') {
    const faults = await request.post('/sim/v1/faults', {
      headers: admin,
      data: { rules: [{ path, kind: 'reset', remaining: 1 }] },
    });
    expect(faults.ok()).toBeTruthy();
    return;
  }
  let lost = false;
  await page.route(`**${path}`, async (route) => {
    if (lost) return route.continue();
    lost = true;
    await route.fetch();
    await route.abort('connectionreset');
  });
}

/// Seconds left on the widget's countdown.
const remainingSeconds = async (page: Page) => {
  const text = (await page.getByTestId('countdown-clock').textContent()) ?? '';
  const [minutes, seconds] = text.trim().split(':').map(Number);
  return minutes * 60 + seconds;
};

/// The wrap-up's end as the server holds it (the segment's opened_on + duration).
async function serverDeadline(request: APIRequestContext, sysId: string): Promise<number> {
  const stored = await segment(request, sysId);
  const openedOn = Date.parse(`${stored.opened_on.replace(' ', 'T')}Z`);
  return openedOn + Number(stored.wrap_up_configuration.duration) * 1000;
}

test.afterEach(async ({ request }) => {
  await request.delete('/sim/v1/faults', { headers: admin });
});

// Tenios refuses the second sending of a request it carried out, whether the
// browser sent it (reset) or the widget, which had no answer. ServiceNow's
// segment holds the wrap-up's end; the Genesys profile has none to read.
const cases = ['servicenow', 'genesys'].flatMap((backend) =>
  (['reset', 'no answer'] as const).map((loss) => ({ backend, loss })),
);

for (const { backend, loss } of cases) {
  test(`${backend}: an Extend whose answer is lost (${loss}) after Tenios extended shows the extended time, and Extend goes on from it`, async ({
    page,
    request,
  }) => {
    const agent = newAgent();
    const email = `${agent}@e2e.test`;
    await openLive(page, `agent=${agent}&email=${encodeURIComponent(email)}&extend=30&backend=${backend}`);
    const { sysId } = await untilWrapup(page, request, agent, email);
    const before = await serverDeadline(request, sysId);
    const remaining = await remainingSeconds(page);

    await loseAnswer(page, request, '/wrap-up/extend', loss);
    await page.getByTestId('extend').click();
    // Tenios extended; the widget shows it rather than a refusal.
    await expect.poll(() => serverDeadline(request, sysId)).toBe(before + 30_000);
    await expect.poll(() => remainingSeconds(page)).toBeGreaterThan(remaining + 20);
    await expect(page.getByTestId('extend')).not.toHaveAttribute('aria-disabled', 'true');
    await expect(page.getByTestId('notice')).toHaveCount(0);

    // The next Extend adds to the real end, and Tenios takes it.
    await page.getByTestId('extend').click();
    await expect.poll(() => serverDeadline(request, sysId)).toBe(before + 60_000);
    await expect.poll(() => remainingSeconds(page)).toBeGreaterThan(remaining + 50);
    await expect(page.getByTestId('notice')).toHaveCount(0);
  });

  test(`${backend}: a Cancel whose answer is lost (${loss}) after Tenios cancelled ends the wrap-up, nothing submitted`, async ({
    page,
    request,
  }) => {
    const agent = newAgent();
    const email = `${agent}@e2e.test`;
    const submissions: string[] = [];
    page.on('request', (sent) => {
      if (/\/wrapup\/segment\/update|\/services\/.*\/end/.test(sent.url())) submissions.push(sent.url());
    });
    await openLive(page, `agent=${agent}&email=${encodeURIComponent(email)}&backend=${backend}`);
    const { id } = await untilWrapup(page, request, agent, email);
    await page.getByTestId('notes-input').fill('Nicht speichern');

    await loseAnswer(page, request, '/wrap-up/cancel', loss);
    await page.getByTestId('cancel-wrapup').click();
    // The notes would be lost: the widget asks first.
    await page.getByTestId('cancel-wrapup-confirm').click();
    await expect(page.getByTestId('idle')).toBeVisible();
    await expect(page.getByTestId('notice')).toHaveCount(0);
    const call = await simulatedCall(request, id);
    expect(call.state).toBe('Ended');
    // Cancelled: the widget saved nothing, neither the notes nor a code.
    expect(submissions).toEqual([]);
    expect(call.genesys_service_ends).toEqual([]);
    expect(call.segments.map((segment: { notes?: string }) => segment.notes ?? '')).toEqual(['']);
  });
}

const interactionPath = '/api/now/openframe/voice-interaction';

/// Every openframe request the page sends, as `METHOD path`.
function recordOpenframe(page: Page): string[] {
  const sent: string[] = [];
  page.on('request', (outgoing) => {
    if (outgoing.url().includes('/openframe/')) sent.push(`${outgoing.method()} ${new URL(outgoing.url()).pathname}`);
  });
  return sent;
}

/// Hangs up `id` and waits for its wrap-up; an integrator then changes the
/// call data, which the widget PATCHes into the call's interaction record,
/// and the agent submits. Returns the simulator's record of the call.
async function wrapUpWithCallData(page: Page, request: APIRequestContext, agent: string, id: string) {
  await act(request, id, 'hangup');
  await expect(page.getByTestId('code-option')).toHaveCount(codes.length);
  const update = await request.post(`/cti/v1/agents/${agent}/requests`, {
    headers: admin,
    data: { request: 'updateWorkitemData', channelId: 'voice_-1', workitemId: id, updatedData: { callVariable1: 'nach dem Neuladen' } },
  });
  expect(update.ok()).toBeTruthy();
  await expect
    .poll(async () => (await simulatedCall(request, id)).interactions.map((record: { context: object }) => record.context))
    .toEqual([expect.objectContaining({ callVariable1: 'nach dem Neuladen' })]);
  await page.getByTestId('submit').click();
  await expect(page.getByTestId('idle')).toBeVisible();
  return simulatedCall(request, id);
}

// A reload while the POST is under way: the server still handling it (it
// must not be cut short: the page goes, and nothing asks again), or done
// with it and its answer on the way.
for (const moment of ['while the server handles it', 'before its answer arrives']) {
  test(`a reload while the interaction record is being created (${moment}) makes no second record; the wrap-up finds the first`, async ({
    page,
    request,
  }) => {
    const agent = newAgent();
    const sent = recordOpenframe(page);
    await openLive(page, `agent=${agent}`);
    const id = await startCall(request, agent, 120);
    await expect(page.getByTestId('workitem-card')).toBeVisible();
    if (moment === 'while the server handles it') {
      const faults = await request.post('/sim/v1/faults', {
        headers: admin,
        data: { rules: [{ path: interactionPath, method: 'POST', kind: 'slow', remaining: 1 }] },
      });
      expect(faults.ok()).toBeTruthy();
    } else {
      let held = false;
      await page.route(`**${interactionPath}`, async (route) => {
        if (held) return route.continue();
        held = true;
        await route.fetch();
        // The answer never reaches the page, which reloads.
      });
    }
    const posted = page.waitForRequest((outgoing) => outgoing.method() === 'POST' && outgoing.url().endsWith(interactionPath));
    await act(request, id, 'connect');
    await posted;
    await page.reload();
    await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'live');
    await expect(page.getByTestId('workitem-card')).toBeVisible();
    // The first POST was carried out, though the page that sent it is gone.
    await expect.poll(async () => (await simulatedCall(request, id)).interactions.length).toBe(1);

    const call = await wrapUpWithCallData(page, request, agent, id);
    expect(call.interactions).toHaveLength(1);
    expect(call.segments[0].interaction).toBe(call.interactions[0].sys_id);
    expect(sent.filter((line) => line.startsWith('POST'))).toEqual([`POST ${interactionPath}`]);
  });
}

test('an interaction record whose answer was lost is not created again; the wrap-up finds it', async ({ page, request }) => {
  const agent = newAgent();
  const sent = recordOpenframe(page);
  await openLive(page, `agent=${agent}`);
  const id = await startCall(request, agent, 120);
  await expect(page.getByTestId('workitem-card')).toBeVisible();
  await loseAnswer(page, request, interactionPath, 'no answer');
  const posted = page.waitForRequest((outgoing) => outgoing.method() === 'POST' && outgoing.url().endsWith(interactionPath));
  await act(request, id, 'connect');
  await posted;
  await expect.poll(async () => (await simulatedCall(request, id)).interactions.length).toBe(1);

  const call = await wrapUpWithCallData(page, request, agent, id);
  expect(call.interactions).toHaveLength(1);
  expect(call.segments[0].interaction).toBe(call.interactions[0].sys_id);
  expect(sent.filter((line) => line.startsWith('POST'))).toEqual([`POST ${interactionPath}`]);
});
