// The agent's wrap-up, end to end: the release build served by the real
// server, calls driven through the CTI simulator, the outcome read back from
// the ServiceNow Wrap Up API. Each test has its own agent, so the event
// streams and segments of one test never leak into another.
import { type Page, test, expect } from '@playwright/test';
import {
  act,
  admin,
  callUntilWrapup,
  submitUnknownReason,
  codes,
  newAgent,
  openWidget,
  segment,
  startCall,
  unknownReason,
  wcagViolations,
} from './support';

test('a call rings, connects, hangs up, and is wrapped up with the keyboard', async ({ page, request }) => {
  const agent = newAgent();
  await openWidget(page, agent);
  const { sysId } = await callUntilWrapup(page, request, agent, 120);

  // The code picker: the second code by its digit shortcut.
  await page.getByTestId('code-listbox').focus();
  await page.keyboard.press('2');
  await expect(page.getByTestId('code-option').nth(1)).toHaveAttribute('aria-selected', 'true');

  const notes = 'Customer asks for a callback tomorrow — Müller';
  await page.getByTestId('notes-input').click();
  await page.keyboard.type(notes);
  await page.keyboard.press('Control+Enter');

  // The server closes the segment and ends the call; the wrap-up is over.
  await expect.poll(async () => (await segment(request, sysId)).state).toBe('closed');
  await expect(page.getByTestId('idle')).toBeVisible();
  // The form and then the panel that had the focus went away; the focus
  // stayed in the widget, on the list of calls, for the next Tab.
  await expect(page.locator('.wg-workitems')).toBeFocused();
  const closed = await segment(request, sysId);
  expect(closed.code.code).toBe('Store Issue');
  expect(closed.notes).toBe(notes);
  expect(closed.confirmed_on).toBeTruthy();
});

test('a wrap-up the server refuses is changed by keyboard and submitted again, with its notes', async ({
  page,
  request,
}) => {
  const agent = newAgent();
  await openWidget(page, agent);
  const notes = 'Promised a callback on Monday';
  const { sysId } = await submitUnknownReason(page, request, agent, notes);

  // The server refuses the reason: nothing is saved, and the agent is told why.
  const refusal = `\`${unknownReason}\` is not a wrap-up code this segment allows`;
  await expect(page.getByTestId('submission-failure')).toContainText(refusal);
  expect((await segment(request, sysId)).state).toBe('open');
  expect(await wcagViolations(page)).toEqual([]);

  // From the panel's heading, which kept the focus, the first Tab reaches
  // the way to change it.
  await expect(page.locator('.wg-wrapup__title')).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('change-submission')).toBeFocused();
  await page.keyboard.press('Enter');

  // The form is back with what was submitted and why it was refused, the
  // focus on the code picker.
  await expect(page.getByTestId('code-listbox')).toBeFocused();
  await expect(page.getByTestId('notes-input')).toHaveValue(notes);
  const option = (code: string) => page.locator(`[data-testid="code-option"][data-code="${code}"]`);
  await expect(option(unknownReason)).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('refused-reason')).toContainText(refusal);
  expect(await wcagViolations(page)).toEqual([]);
  await page.keyboard.press('2');
  await expect(option(codes[0])).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Control+Enter');

  await expect.poll(async () => (await segment(request, sysId)).state).toBe('closed');
  const closed = await segment(request, sysId);
  expect(closed.code.code).toBe(codes[0]);
  expect(closed.notes).toBe(notes);
  await expect(page.getByTestId('idle')).toBeVisible();
});

test('with two wrap-ups, submitting one by keyboard hands the focus to the other, ringed with its caller', async ({
  page,
  request,
}) => {
  const agent = newAgent();
  await openWidget(page, agent);
  const calls = [await startCall(request, agent, 120), await startCall(request, agent, 120)];
  for (const id of calls) await act(request, id, 'connect');
  for (const id of calls) await act(request, id, 'hangup');
  const panels = page.getByTestId('wrapup-panel');
  await expect(panels).toHaveCount(2);
  // Each wrap-up ready, its segment found and its codes shown, before the
  // keyboard acts (as callUntilWrapup waits for one).
  for (const panel of await panels.all()) {
    await expect(panel.getByTestId('code-option')).toHaveCount(codes.length);
  }

  await panels.first().getByTestId('code-listbox').focus();
  await page.keyboard.press('2');
  await page.keyboard.press('Control+Enter');

  await expect(panels).toHaveCount(1);
  const title = panels.getByRole('heading', { name: 'Wrap-up' });
  await expect(title).toBeFocused();
  // The ring goes round the heading and the caller's line, which is part of it.
  await expect(title).toHaveCSS('outline-style', 'solid');
  await expect(title.getByTestId('wrapup-caller')).toHaveText('+4930123456');
});

/// The local clock time the page shows for `iso` (`11:41 PM`), as the
/// wrap-up's heading formats it.
async function clockTime(page: Page, iso: string): Promise<string> {
  return page.evaluate(
    (iso) => new Intl.DateTimeFormat('en', { hour: 'numeric', minute: '2-digit' }).format(new Date(iso)),
    iso,
  );
}

/// The names the wrap-ups of `calls` (caller, and when the call was
/// established) are to have, in the panels' order: the caller and the
/// local clock time the call began, and their place among them where
/// those are the same.
async function wrapupNames(page: Page, calls: { caller: string; connectedAt: string }[]): Promise<string[]> {
  const names: string[] = [];
  for (const { caller, connectedAt } of calls) names.push(`Wrap-up ${caller} ${await clockTime(page, connectedAt)}`);
  return names.map((name, at) => {
    const place = names.slice(0, at + 1).filter((other) => other === name).length;
    return names.filter((other) => other === name).length > 1 ? `${name} (${place})` : name;
  });
}

for (const [what, callers] of [
  ['their callers', ['+4930123456', '+4940987654321']],
  ['when each call began, for one caller', ['+4930123456', '+4930123456']],
] as const) {
  test(`two open wrap-ups are told apart by ${what}, in their headings and their regions’ names`, async ({ page, request }) => {
    // Regression: both panels were headed and named just "Wrap-up", then
    // "Wrap-up" and the caller, so a screen reader's list of headings or
    // regions could not tell them apart, nor could the agent two calls of
    // one caller.
    const agent = newAgent();
    await openWidget(page, agent);
    const calls = [];
    for (const ani of callers) calls.push({ id: await startCall(request, agent, 120, { ani }), caller: ani, connectedAt: '' });
    for (const call of calls) call.connectedAt = (await act(request, call.id, 'connect')).connectedAt;
    for (const call of calls) await act(request, call.id, 'hangup');
    const panels = page.getByTestId('wrapup-panel');
    await expect(panels).toHaveCount(2);
    const names = await wrapupNames(page, calls);
    expect(new Set(names).size).toBe(2);
    for (const [at, name] of names.entries()) {
      const region = page.getByRole('region', { name, exact: true });
      await expect(region).toBeVisible();
      await expect(region).toHaveAttribute('aria-labelledby', /./);
      await expect(panels.nth(at)).toHaveAccessibleName(name);
      await expect(region.getByRole('heading', { name, exact: true })).toBeVisible();
    }
  });
}

test('when the time runs out with no code chosen, the panel says so once and offers Submit and Dismiss', async ({
  page,
  request,
}) => {
  // Regression: the expiry alert, the countdown's "Time's up", the reason
  // beside Submit and a notice all told the agent the same at once (two of
  // them aloud), beside Extend and Cancel buttons that could only be refused.
  const agent = newAgent();
  await openWidget(page, agent);
  const id = await startCall(request, agent, 3, { defaultCode: null });
  await act(request, id, 'connect');
  const workitem = await act(request, id, 'hangup');
  const panel = page.getByTestId('wrapup-panel');
  await expect(panel.getByTestId('code-option')).toHaveCount(codes.length);
  await expect(panel.getByTestId('submit-blocked-reason')).toBeVisible();

  const expired = panel.getByTestId('wrapup-expired');
  await expect(expired).toBeVisible({ timeout: 15_000 });
  // What the live regions of the panel say: the message, and nothing else.
  const spoken = await panel.evaluate((section) =>
    [...section.querySelectorAll('[role=alert], [role=status], [role=log], [aria-live]:not([aria-live=off])')]
      .map((region) => (region.textContent ?? '').trim())
      .filter((text) => text !== ''),
  );
  expect(spoken).toEqual([await expired.textContent()]);
  const message =
    'No code was chosen in time, so the wrap-up was not submitted. Choose a code and submit, or dismiss it.';
  await expect(panel.getByRole('alert')).toHaveText(message);
  for (const gone of ['countdown', 'submit-blocked-reason', 'notice', 'extend', 'cancel-wrapup']) {
    await expect(panel.getByTestId(gone), gone).toHaveCount(0);
  }
  const submit = panel.getByTestId('submit');
  await expect(submit).toBeDisabled();
  await expect(submit).toHaveAccessibleDescription(message);
  await expect(panel.getByTestId('dismiss-wrapup')).toBeVisible();
  expect(await wcagViolations(page)).toEqual([]);

  // What it says to do works: a code chosen, the wrap-up is submitted.
  await panel.getByTestId('code-option').nth(1).click();
  await submit.click();
  const sysId: string = workitem.ctiData['user.wrapupSegmentSysId'];
  await expect.poll(async () => (await segment(request, sysId)).code?.code).toBe(codes[1]);
});

test('on expiry the default code is submitted once', async ({ page, request }) => {
  const agent = newAgent();
  const updates: string[] = [];
  page.on('request', (sent) => {
    if (sent.url().includes('/wrapup/segment/update')) updates.push(sent.url());
  });
  await openWidget(page, agent);
  const { sysId } = await callUntilWrapup(page, request, agent, 3);

  await expect
    .poll(async () => (await segment(request, sysId)).state, { timeout: 15_000 })
    .toBe('closed');
  // Confirmed and ended: the widget forgets the wrap-up only after its
  // submission was acknowledged, so by now every request was sent.
  await expect(page.getByTestId('idle')).toBeVisible({ timeout: 15_000 });
  const closed = await segment(request, sysId);
  expect(closed.code.code).toBe(codes[0]);
  expect(updates).toHaveLength(1);
});

test('a reload in the middle of the wrap-up keeps the deadline and the draft', async ({ page, request }) => {
  const agent = newAgent();
  await openWidget(page, agent);
  const { sysId } = await callUntilWrapup(page, request, agent, 300);

  await page.getByTestId('code-listbox').focus();
  await page.keyboard.press('2');
  await page.getByTestId('notes-input').fill('Half-written notes');
  const clockText = async () => (await page.getByTestId('countdown-clock').textContent()) ?? '';
  const seconds = (text: string) => {
    const [minutes, secs] = text.trim().split(':').map(Number);
    return minutes * 60 + secs;
  };
  const before = seconds(await clockText());
  const reloadedAt = Date.now();

  await page.reload();
  await expect(page.getByTestId('wrapup-panel')).toBeVisible();
  // The Desk starts empty after a reload: getChannel tells it the agent's state.
  await expect(page.getByTestId('agent-state-name')).toHaveText('Not ready');
  await expect(page.getByTestId('notes-input')).toHaveValue('Half-written notes');
  await expect(page.getByTestId('code-option').nth(1)).toHaveAttribute('aria-selected', 'true');
  const after = seconds(await clockText());
  const elapsed = (Date.now() - reloadedAt) / 1000;
  // The same deadline: what remains is what remained, minus the time the reload took.
  expect(Math.abs(before - elapsed - after)).toBeLessThanOrEqual(2);
  const open = await segment(request, sysId);
  expect(open.state).toBe('open');
});

test('German labels when the agent works in German', async ({ page, request }) => {
  const agent = newAgent();
  await openWidget(page, agent, 'de');
  await callUntilWrapup(page, request, agent, 120);
  await expect(page.getByTestId('code-option').nth(0)).toContainText('Abrechnungsproblem');
  await expect(page.getByTestId('code-option').nth(1)).toContainText('Einkaufsproblem');
});

test('when the wrap-up segment cannot be reached, the agent still gets the codes and time the call data announces', async ({
  page,
  request,
}) => {
  const agent = newAgent();
  await page.clock.install();
  await openWidget(page, agent);
  const id = await startCall(request, agent, 300);
  await act(request, id, 'connect');
  // The Wrap Up API is out of reach while the widget looks for the segment.
  await page.route('**/api/now/wrapup/segment/**', (route) => route.abort());
  await act(request, id, 'hangup');
  await expect(page.getByTestId('wrapup-panel')).toBeVisible();
  // Its attempts wait between them: the page's time is moved on until it gives up.
  await expect
    .poll(async () => {
      await page.clock.runFor(5_000);
      return page.getByTestId('code-option').count();
    })
    .toBe(codes.length);
  await expect(page.getByTestId('countdown')).toBeVisible();
  await page.unroute('**/api/now/wrapup/segment/**');

  // Submitted by agent and interaction, the segment closes with the agent's choice.
  await page.getByTestId('code-listbox').focus();
  await page.keyboard.press('2');
  await page.getByTestId('notes-input').fill('Picked while the API was away');
  await page.keyboard.press('Control+Enter');
  const call = await (await request.get(`/sim/v1/calls/${id}`, { headers: admin })).json();
  const sysId: string = call.workitem.ctiData['user.wrapupSegmentSysId'];
  await expect.poll(async () => (await segment(request, sysId)).state).toBe('closed');
  const closed = await segment(request, sysId);
  expect(closed.code.code).toBe(codes[1]);
  expect(closed.notes).toBe('Picked while the API was away');
});

/// Asks the CTI system, as an integrator in the widget's page does, for `state` with `reason`.
