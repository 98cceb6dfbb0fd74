// What the widget keeps in the browser: a wrap-up waiting in the outbox, a
// draft, where to resume the event stream — never a credential. The widget's
// bearer token and the Tenios access key come from /config.json on every
// load and stay in memory.
import { test, expect, type APIRequestContext, type Page } from '@playwright/test';
import {
  admin,
  callUntilWrapup,
  submitUnknownReason,
  codes,
  newAgent,
  openWidget,
  segment,
  unknownReason,
  wcagViolations,
} from './support';

async function storedText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const dump = (storage: Storage) =>
      Object.keys(storage)
        .map((key) => `${key}=${storage.getItem(key)}`)
        .join('\n');
    return `${dump(localStorage)}\n${dump(sessionStorage)}\n${document.cookie}`;
  });
}

/// The next `times` segment updates fail with a 503.
async function failUpdates(request: APIRequestContext, times: number) {
  const faults = await request.post('/sim/v1/faults', {
    headers: admin,
    data: { rules: [{ path: '/api/now/wrapup/segment/update', kind: '503', remaining: times }] },
  });
  expect(faults.ok()).toBeTruthy();
}

test('a wrap-up waiting in the outbox is stored without any credential', async ({ page, request }) => {
  const config = await (await request.get('/config.json')).json();
  const secrets: string[] = [
    config.token,
    config.teniosAccessKey,
    Buffer.from('admin:admin').toString('base64'),
    Buffer.from('username:password').toString('base64'),
  ];
  expect(secrets.every((secret) => typeof secret === 'string' && secret.length > 0)).toBeTruthy();

  const agent = newAgent();
  await openWidget(page, agent);
  const { sysId } = await callUntilWrapup(page, request, agent, 300);
  // The first two submissions fail: the wrap-up waits in the outbox.
  await failUpdates(request, 2);

  await page.getByTestId('notes-input').fill('Callback on Monday');
  await page.keyboard.press('Control+Enter');
  await expect.poll(() => storedText(page)).toContain('Callback on Monday');
  const stored = await storedText(page);
  for (const secret of secrets) expect(stored).not.toContain(secret);
  expect(stored.toLowerCase()).not.toContain('password');

  // The outbox retries on its own and the segment closes once.
  await expect
    .poll(async () => (await segment(request, sysId)).state, { timeout: 20_000 })
    .toBe('closed');
  expect((await segment(request, sysId)).notes).toBe('Callback on Monday');
  for (const secret of secrets) expect(await storedText(page)).not.toContain(secret);
});

test('a dismissed wrap-up leaves nothing in the browser and is not sent again after a reload', async ({ page, request }) => {
  const agent = newAgent();
  await openWidget(page, agent);
  const { sysId } = await callUntilWrapup(page, request, agent, 300);
  // Every submission fails: after a few attempts the agent is told, with Retry and Dismiss.
  await failUpdates(request, 1000);
  try {
    await page.getByTestId('notes-input').fill('Not worth keeping');
    await page.keyboard.press('Control+Enter');
    await expect(page.getByTestId('retry-submission')).toBeVisible({ timeout: 20_000 });
    // Still being retried, it is counted as waiting, with its last failure.
    await expect(page.getByTestId('outbox-pending')).toHaveText('1 wrap-up waiting to be sent');
    await expect(page.getByTestId('outbox-error')).toContainText('Last sending error: The server reported an error (503');

    await page.getByTestId('dismiss-wrapup').click();
    await page.getByTestId('dismiss-wrapup-confirm').click();
    await expect(page.getByTestId('wrapup-panel')).toHaveCount(0);
    // Neither the draft nor the submission stays behind.
    await expect.poll(() => storedText(page)).not.toContain('Not worth keeping');
    await expect(page.getByTestId('outbox-pending')).toHaveCount(0);

    // After a reload the dismissed submission is not sent again. The CTI
    // system still holds the call in wrap-up, so its wrap-up opens afresh:
    // without the dismissed notes.
    const updates: string[] = [];
    page.on('request', (sent) => {
      if (sent.url().includes('/wrapup/segment/update')) updates.push(sent.url());
    });
    await openWidget(page, agent);
    await expect(page.getByTestId('code-option')).toHaveCount(2);
    await expect(page.getByTestId('notes-input')).toHaveValue('');
    await expect(page.getByTestId('submit')).toBeEnabled();
    await expect(page.getByTestId('outbox-pending')).toHaveCount(0);
    expect(updates).toEqual([]);
    expect((await segment(request, sysId)).state).not.toBe('closed');
  } finally {
    await request.delete('/sim/v1/faults', { headers: admin });
  }
});

test('a reload while a wrap-up is on its way is not a failed attempt, and the wrap-up is sent once', async ({ page, request }) => {
  const agent = newAgent();
  await openWidget(page, agent);
  const { sysId } = await callUntilWrapup(page, request, agent, 300);
  // The outbox as the reloaded page finds it, before the widget runs.
  await page.addInitScript((key) => {
    (window as unknown as { outboxAtLoad: string | null }).outboxAtLoad = localStorage.getItem(key);
  }, `wrapup:${agent}:outbox`);
  const slow = await request.post('/sim/v1/faults', {
    headers: admin,
    data: { rules: [{ path: '/api/now/wrapup/segment/update', kind: 'slow', remaining: 1 }] },
  });
  expect(slow.ok()).toBeTruthy();
  try {
    await page.getByTestId('notes-input').fill('Sent across a reload');
    const sent = page.waitForRequest((sent) => sent.url().includes('/wrapup/segment/update'));
    await page.keyboard.press('Control+Enter');
    await sent;
    await page.reload();
    const stored = await page.evaluate(() => (window as unknown as { outboxAtLoad: string | null }).outboxAtLoad);
    expect(stored).toContain('Sent across a reload');
    const [entry] = JSON.parse(stored ?? '{}').entries;
    expect(entry.attempts).toBe(0);
    expect(entry.last_error ?? null).toBeNull();
  } finally {
    await request.delete('/sim/v1/faults', { headers: admin });
  }
  await expect.poll(async () => (await segment(request, sysId)).state, { timeout: 20_000 }).toBe('closed');
  expect((await segment(request, sysId)).notes).toBe('Sent across a reload');
  await expect(page.getByTestId('outbox-pending')).toHaveCount(0);
});

test('a refused wrap-up keeps what the agent entered across reloads, before and after they take it back to change it', async ({
  page,
  request,
}) => {
  const agent = newAgent();
  await openWidget(page, agent);
  const notes = 'Promised a callback on Monday';
  const { sysId } = await submitUnknownReason(page, request, agent, notes);
  await expect(page.getByTestId('change-submission')).toBeVisible();
  const refusal = 'is not a wrap-up code this segment allows';

  // Reloaded, the refused submission is sent again, refused again, and can
  // still be changed.
  await openWidget(page, agent);
  await expect(page.getByTestId('submission-failure')).toContainText(refusal);
  await expect(page.getByTestId('submission-code')).toHaveText(unknownReason);
  await page.getByTestId('change-submission').click();
  const option = (code: string) => page.locator(`[data-testid="code-option"][data-code="${code}"]`);
  await expect(page.getByTestId('notes-input')).toHaveValue(notes);
  await expect(option(unknownReason)).toHaveAttribute('aria-selected', 'true');
  await expect.poll(() => storedText(page)).toContain(notes);

  // Taken back, it is a draft: reloaded, the form shows it again, and the
  // refused submission is not sent again.
  const updates: string[] = [];
  page.on('request', (sent) => {
    if (sent.url().includes('/wrapup/segment/update')) updates.push(sent.url());
  });
  await openWidget(page, agent);
  await expect(page.getByTestId('notes-input')).toHaveValue(notes);
  await expect(option(unknownReason)).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('refused-reason')).toContainText(refusal);
  await expect(page.getByTestId('outbox-pending')).toHaveCount(0);
  expect(updates).toEqual([]);

  // Changed and submitted, it is saved once, with the notes.
  await page.getByTestId('code-listbox').focus();
  await page.keyboard.press('2');
  await page.keyboard.press('Control+Enter');
  await expect.poll(async () => (await segment(request, sysId)).state).toBe('closed');
  const closed = await segment(request, sysId);
  expect(closed.code.code).toBe(codes[0]);
  expect(closed.notes).toBe(notes);
  expect(updates).toHaveLength(1);
});

test('Retry sends a wrap-up waiting between attempts at once, and the agent sees it go', async ({ page, request }) => {
  const agent = newAgent();
  await page.clock.install();
  await openWidget(page, agent);
  const { sysId } = await callUntilWrapup(page, request, agent, 300);
  await failUpdates(request, 3);
  try {
    await page.getByTestId('notes-input').fill('Sent by Retry');
    await page.keyboard.press('Control+Enter');
    // After the third failure the agent is told, and the outbox waits
    // before its next attempt. The page's time stops: only Retry can send.
    await expect(page.getByTestId('retry-submission')).toBeVisible({ timeout: 20_000 });
    await page.clock.pauseAt(Date.now() + 1_000);
    const sent = page.waitForRequest((sending) => sending.url().includes('/wrapup/segment/update'));
    await page.getByTestId('retry-submission').click();
    await sent;
    await expect.poll(async () => (await segment(request, sysId)).state).toBe('closed');
    expect((await segment(request, sysId)).notes).toBe('Sent by Retry');
  } finally {
    await request.delete('/sim/v1/faults', { headers: admin });
  }
});

test('what the agent entered is shown when the wrap-up’s time ran out with no page open, until dismissed', async ({
  page,
  request,
}) => {
  const agent = newAgent();
  await openWidget(page, agent);
  const { sysId } = await callUntilWrapup(page, request, agent, 6);
  await page.getByTestId('code-listbox').focus();
  await page.keyboard.press('2');
  await page.getByTestId('notes-input').fill('Customer wants a callback on Monday');
  await expect.poll(() => storedText(page)).toContain('Customer wants a callback on Monday');
  const context = page.context();
  await page.close();

  // The time runs out with no page open: the server saves its default.
  await expect.poll(async () => (await segment(request, sysId)).state, { timeout: 15_000 }).toBe('closed');
  expect((await segment(request, sysId)).notes ?? '').toBe('');

  const again = await context.newPage();
  await openWidget(again, agent);
  const unsaved = again.getByTestId('unsaved-draft');
  await expect(unsaved).toContainText(
    'Not saved: the time to wrap up the call with +4930123456 ran out while the widget was closed, and the server saved Billing Issue instead. You had chosen Store Issue.',
  );
  await expect(again.getByTestId('unsaved-notes')).toHaveValue('Customer wants a callback on Monday');
  expect(await wcagViolations(again)).toEqual([]);

  // Kept across a reload, until the agent dismisses it.
  await again.reload();
  await expect(again.getByTestId('unsaved-notes')).toHaveValue('Customer wants a callback on Monday');
  // Dismissed by keyboard, the focus stays in the widget.
  await again.getByTestId('unsaved-dismiss').focus();
  await again.keyboard.press('Enter');
  await expect(unsaved).toHaveCount(0);
  await expect(again.locator('.wg-workitems')).toBeFocused();
  await again.reload();
  await expect(again.getByTestId('connection')).toHaveAttribute('data-state', 'live');
  await expect(unsaved).toHaveCount(0);
  expect(await storedText(again)).not.toContain('Customer wants a callback');
});
