// The widget's storage in a CRM embed (docs/cil-protocol.md, item 4): where
// the browser blocks storage in the widget's frame, the page that connects
// with cil-host.js keeps it, under the widget's origin.
import { test, expect, type APIRequestContext, type BrowserContext } from '@playwright/test';
import { act, codes, newAgent, segment, startCall } from './support';
import { blockWidgetStorage, heldLocks, keptFor, notesOf, openLateHostPage, origins, panelOf } from './cil-support';

const updateRoute = /\/api\/now\/wrapup\/segment\/update\?/;

/// A call of `agent` with `caller`, rung, answered and hung up: in wrap-up.
/// Returns its id and the segment the CTI system names for it.
async function callInWrapUp(request: APIRequestContext, agent: string, caller: string) {
  const id = await startCall(request, agent, 300, { ani: caller });
  await act(request, id, 'connect');
  const segmentId: string = (await act(request, id, 'hangup')).ctiData['user.wrapupSegmentSysId'];
  return { id, segmentId };
}

/// This visit's page, which connects late: its widget starts alone (it does
/// not know what the earlier visit kept), and the agent wraps the call with
/// `caller` up there with the first code and "Submitted in this visit",
/// which closes `segmentId`. Returns the page, its late connection and the
/// segment updates it sends.
async function submitOnALatePage(
  context: BrowserContext,
  baseURL: string | undefined,
  request: APIRequestContext,
  agent: string,
  caller: string,
  segmentId: string,
) {
  const page = await context.newPage();
  const updates: string[] = [];
  page.on('request', (asked) => {
    if (asked.method() === 'PUT' && updateRoute.test(asked.url())) updates.push(asked.url());
  });
  const late = await openLateHostPage(page, baseURL, agent);
  await expect(late.frame.getByTestId('storage-not-kept')).toBeVisible({ timeout: 10_000 });
  await expect(notesOf(late.frame, caller)).toHaveValue('');
  await panelOf(late.frame, caller).getByTestId('code-listbox').focus();
  await page.keyboard.press('1');
  await notesOf(late.frame, caller).fill('Submitted in this visit');
  await page.keyboard.press('Control+Enter');
  await expect.poll(async () => (await segment(request, segmentId)).state).toBe('closed');
  return { page, late, updates };
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
  await expect(frame.getByTestId('storage-not-kept')).toHaveCount(0);
  await expect(frame.getByTestId('open-elsewhere-unknown')).toHaveCount(0);
});

// Bug: a page that connected late kept the widget's data but not the
// agent's lock: the widget went on saying it could not tell whether it was
// open in another tab, and another tab of the page would have run too.
test('a frame whose storage is blocked and that no page connects to starts on its own, tells the agent a reload loses their notes, and hands its data and lock to a page that connects late', async ({
  page,
  baseURL,
  request,
}) => {
  const { widget } = origins(baseURL);
  await blockWidgetStorage(page, widget);
  const agent = newAgent();
  const warnings: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'warning') warnings.push(message.text());
  });
  const late = await openLateHostPage(page, baseURL, agent);
  const frame = late.frame;
  // It waits for a host, then starts with nothing stored.
  await expect(frame.getByTestId('connection')).toHaveAttribute('data-state', 'live', { timeout: 10_000 });
  expect(warnings.filter((text) => text.includes('no page has connected with cil-host.js'))).toHaveLength(1);
  // The agent is told that a reload would lose what they type.
  await expect(frame.getByTestId('storage-not-kept')).toContainText('a reload loses notes in progress');
  // Nor does any page hold the agent's lock for it: it runs whatever other
  // tabs do, and says so.
  await expect(frame.getByTestId('open-elsewhere-unknown')).toHaveText(
    'The widget cannot tell here whether it is open in another tab or window as well: use it in one only, so that no wrap-up is sent twice or overwritten.',
  );
  const id = await startCall(request, agent, 120);
  await expect(frame.getByTestId('workitem-card')).toBeVisible();

  await late.connectLate();
  await expect
    .poll(late.hostWarnings)
    .toEqual([expect.stringContaining('started without the notes and unsent wrap-ups this page keeps')]);
  // What the widget stored so far is kept by the page from now on.
  await expect
    .poll(() =>
      page.evaluate((key) => localStorage.getItem(key), `wrapup-gadget@${widget}:wrapup:${agent}:resume`),
    )
    .toBeTruthy();
  await expect(frame.getByTestId('storage-not-kept')).toHaveCount(0);
  // And so is the agent's lock: the widget can tell again, and runs on.
  await expect(frame.getByTestId('open-elsewhere-unknown')).toHaveCount(0);
  expect(await heldLocks(page)).toEqual([`wrapup-gadget@${widget}:wrapup:${agent}`]);
  await act(request, id, 'connect');
  await expect(frame.getByTestId('workitem-card')).toContainText('Talking');
});

// Bug: a page that connected late and held the agent's lock was handed
// everything the widget had stored alone, which replaced what the page kept
// from an earlier visit key by key, never read by the widget: the earlier
// visit's unsent wrap-up (its code and notes, in the one outbox key beside
// the widget's own) and its drafts were gone.
test('a page that connects late keeps what it had from an earlier visit: its unsent wrap-up is delivered beside the one the widget wrapped up alone, each once, its draft comes back, and notes typed again for that wrap-up are kept apart', async ({
  context,
  baseURL,
  request,
}) => {
  const { crm, widget } = origins(baseURL);
  await blockWidgetStorage(context, widget);
  const agent = newAgent();
  const callers = { unsent: '+4930111111', drafted: '+4930222222', alone: '+4930333333' };
  const workitems: Record<string, string> = {};
  const segments: Record<string, string> = {};
  const call = async (caller: keyof typeof callers) => {
    const id = await startCall(request, agent, 300, { ani: callers[caller] });
    await act(request, id, 'connect');
    segments[caller] = (await act(request, id, 'hangup')).ctiData['user.wrapupSegmentSysId'];
    workitems[caller] = id;
  };

  // The earlier visit, on the CRM page that keeps the widget's data: one
  // wrap-up submitted while the server cannot be reached, notes typed in
  // another; then the tab is closed.
  const earlier = await context.newPage();
  await earlier.route(updateRoute, (route) => route.abort('connectionrefused'));
  await earlier.goto(`${crm}/crm.html?agent=${agent}`);
  const first = earlier.frameLocator('#widget');
  await expect(first.getByTestId('connection')).toHaveAttribute('data-state', 'live');
  await call('unsent');
  await call('drafted');
  await panelOf(first, callers.unsent).getByTestId('code-listbox').focus();
  await earlier.keyboard.press('2');
  await notesOf(first, callers.unsent).fill('Unsent in the earlier visit');
  await panelOf(first, callers.unsent).getByTestId('submit').click();
  await notesOf(first, callers.drafted).fill('Drafted in the earlier visit');
  await expect
    .poll(async () => {
      const kept = await keptFor(earlier, widget, agent);
      return [kept.outbox ?? '', Object.values(kept).join('\n')];
    })
    .toEqual([expect.stringContaining('Unsent in the earlier visit'), expect.stringContaining('Drafted in the earlier visit')]);
  await earlier.close();

  // The next visit's page connects late: its widget starts alone, showing
  // those wrap-ups open, as the CTI system has them.
  const page = await context.newPage();
  const updates: string[] = [];
  page.on('request', (asked) => {
    if (asked.method() === 'PUT' && updateRoute.test(asked.url())) updates.push(asked.url());
  });
  // The wrap-up the widget submits alone is on its way while the page connects.
  let deliverAlone = () => {};
  const aloneDue = new Promise<void>((resolve) => (deliverAlone = resolve));
  await page.route(updateRoute, async (route) => {
    if (route.request().url().includes(segments.alone)) await aloneDue;
    await route.continue();
  });
  const late = await openLateHostPage(page, baseURL, agent);
  await expect(late.frame.getByTestId('storage-not-kept')).toBeVisible({ timeout: 10_000 });
  await expect(notesOf(late.frame, callers.drafted)).toHaveValue('');
  // The agent starts the wrap-up submitted in the earlier visit again.
  await notesOf(late.frame, callers.unsent).fill('Typed again in this visit');
  await call('alone');
  await panelOf(late.frame, callers.alone).getByTestId('code-listbox').focus();
  await page.keyboard.press('1');
  await notesOf(late.frame, callers.alone).fill('Wrapped up alone');
  await panelOf(late.frame, callers.alone).getByTestId('submit').click();
  await expect.poll(() => updates.filter((url) => url.includes(segments.alone))).toHaveLength(1);

  await late.connectLate();
  // The earlier visit's draft is back in its wrap-up, and its unsent
  // wrap-up is delivered, beside the one wrapped up alone.
  await expect(notesOf(late.frame, callers.drafted)).toHaveValue('Drafted in the earlier visit');
  await expect.poll(async () => (await segment(request, segments.unsent)).state).toBe('closed');
  deliverAlone();
  await expect.poll(async () => (await segment(request, segments.alone)).state).toBe('closed');
  const unsent = await segment(request, segments.unsent);
  expect([unsent.code.code, unsent.notes]).toEqual([codes[1], 'Unsent in the earlier visit']);
  const alone = await segment(request, segments.alone);
  expect([alone.code.code, alone.notes]).toEqual([codes[0], 'Wrapped up alone']);
  expect((await segment(request, segments.drafted)).state).not.toBe('closed');
  await expect(late.frame.getByTestId('storage-not-kept')).toHaveCount(0);
  // What was typed again for the wrap-up the earlier visit submitted is
  // shown apart, to copy.
  await expect(late.frame.getByTestId('unsaved-draft')).toContainText(
    `Not saved: the call with ${callers.unsent} was wrapped up in two visits to this page. The wrap-up saved is the one with ${codes[1]}, not these notes.`,
  );
  await expect(late.frame.getByTestId('unsaved-notes')).toHaveValue('Typed again in this visit');

  // The page keeps the draft, and no wrap-up is left to send: each was sent once.
  await expect.poll(async () => (await keptFor(page, widget, agent)).outbox).toBeUndefined();
  expect((await keptFor(page, widget, agent))[`draft:${workitems.drafted}`]).toContain('Drafted in the earlier visit');
  for (const caller of ['unsent', 'alone'] as const) {
    expect(updates.filter((url) => url.includes(segments[caller]))).toHaveLength(1);
  }
});

// The other way round from the test above: the earlier visit only typed
// notes for a wrap-up that this visit then submitted alone. The submission
// stands (it is newer than those notes) and is not sent again; the earlier
// notes are not dropped but shown apart, to copy.
test('a page that connects late, where the earlier visit only typed notes for a wrap-up this visit submitted: the submission stands, sent once, and the earlier notes are shown apart', async ({
  context,
  baseURL,
  request,
}) => {
  const { crm, widget } = origins(baseURL);
  await blockWidgetStorage(context, widget);
  const agent = newAgent();
  const caller = '+4930444444';
  const { id, segmentId } = await callInWrapUp(request, agent, caller);

  // The earlier visit, on the page that keeps the widget's data: notes and
  // a code chosen, not submitted; then the tab is closed.
  const earlier = await context.newPage();
  await earlier.goto(`${crm}/crm.html?agent=${agent}`);
  const first = earlier.frameLocator('#widget');
  await panelOf(first, caller).getByTestId('code-listbox').focus();
  await earlier.keyboard.press('2');
  await notesOf(first, caller).fill('Drafted in the earlier visit');
  await expect
    .poll(async () => (await keptFor(earlier, widget, agent))[`draft:${id}`] ?? '')
    .toContain('Drafted in the earlier visit');
  await earlier.close();

  // This visit's page connects late: its widget, alone, does not know the
  // draft, and the agent wraps the call up again and submits it.
  const { page, late, updates } = await submitOnALatePage(context, baseURL, request, agent, caller, segmentId);

  await late.connectLate();
  // The earlier notes are shown apart, saying which wrap-up was saved and
  // what the agent had chosen then; the segment keeps this visit's.
  const unsaved = late.frame.getByTestId('unsaved-draft');
  await expect(unsaved).toContainText(
    `Not saved: the call with ${caller} was wrapped up in two visits to this page. The wrap-up saved is the one with ${codes[0]}, not these notes. You had chosen ${codes[1]}.`,
  );
  await expect(late.frame.getByTestId('unsaved-notes')).toHaveValue('Drafted in the earlier visit');
  await expect(late.frame.getByTestId('storage-not-kept')).toHaveCount(0);
  const saved = await segment(request, segmentId);
  expect([saved.code.code, saved.notes]).toEqual([codes[0], 'Submitted in this visit']);
  // Nothing is left to send, the draft is gone from what the page keeps,
  // and the wrap-up went out once.
  await expect.poll(async () => (await keptFor(page, widget, agent)).outbox).toBeUndefined();
  expect((await keptFor(page, widget, agent))[`draft:${id}`]).toBeUndefined();
  expect(updates).toHaveLength(1);

  // Dismissed, the notice is gone.
  await late.frame.getByTestId('unsaved-dismiss').click();
  await expect(unsaved).toHaveCount(0);
});

// Both visits submitted the wrap-up: the earlier visit's could not be sent
// before its tab closed, and this visit, which saw the wrap-up still open,
// submitted it again. This visit's stands and the earlier one is not sent
// (it would overwrite a newer wrap-up), but what the agent entered in the
// earlier visit is not dropped unseen: it is shown apart, to copy.
test('a page that connects late, where both visits submitted a wrap-up: this visit\'s stands, and the earlier visit\'s unsent one is shown apart, not sent', async ({
  context,
  baseURL,
  request,
}) => {
  const { crm, widget } = origins(baseURL);
  await blockWidgetStorage(context, widget);
  const agent = newAgent();
  const caller = '+4930555555';
  const { id, segmentId } = await callInWrapUp(request, agent, caller);

  // The earlier visit submits while the server cannot be reached, and closes.
  const earlier = await context.newPage();
  await earlier.route(updateRoute, (route) => route.abort('connectionrefused'));
  await earlier.goto(`${crm}/crm.html?agent=${agent}`);
  const first = earlier.frameLocator('#widget');
  await panelOf(first, caller).getByTestId('code-listbox').focus();
  await earlier.keyboard.press('2');
  await notesOf(first, caller).fill('Submitted in the earlier visit');
  await earlier.keyboard.press('Control+Enter');
  await expect
    .poll(async () => (await keptFor(earlier, widget, agent)).outbox ?? '')
    .toContain('Submitted in the earlier visit');
  await earlier.close();

  // This visit's widget, alone, finds the wrap-up open and submits it again.
  const { page, late, updates } = await submitOnALatePage(context, baseURL, request, agent, caller, segmentId);

  await late.connectLate();
  await expect(late.frame.getByTestId('unsaved-draft')).toContainText(
    `Not saved: the call with ${caller} was wrapped up in two visits to this page. The wrap-up saved is the one with ${codes[0]}, not these notes. You had chosen ${codes[1]}.`,
  );
  await expect(late.frame.getByTestId('unsaved-notes')).toHaveValue('Submitted in the earlier visit');
  await expect.poll(async () => (await keptFor(page, widget, agent)).outbox).toBeUndefined();
  const saved = await segment(request, segmentId);
  expect([saved.code.code, saved.notes]).toEqual([codes[0], 'Submitted in this visit']);
  expect(updates).toHaveLength(1);
});

// The earlier visit's notes of a wrap-up whose time ran out while no page
// was open, so that the server saved its default: a page that connects late
// shows them apart, as a reload of a page that keeps its storage does.
test('a page that connects late shows apart the earlier visit\'s notes of a wrap-up the server closed with its default while no page was open', async ({
  context,
  baseURL,
  request,
}) => {
  // The wrap-up's time runs out in the test: allow it beside the rest.
  test.setTimeout(60_000);
  const { crm, widget } = origins(baseURL);
  await blockWidgetStorage(context, widget);
  const agent = newAgent();
  const caller = '+4930666666';
  // The earlier visit follows the call from its start, and records its
  // interaction as the call connects.
  const earlier = await context.newPage();
  await earlier.goto(`${crm}/crm.html?agent=${agent}`);
  const first = earlier.frameLocator('#widget');
  await expect(first.getByTestId('connection')).toHaveAttribute('data-state', 'live');
  // Time enough for the earlier visit to choose a code and type, under load.
  const id = await startCall(request, agent, 12, { ani: caller });
  await act(request, id, 'connect');
  await expect.poll(async () => (await keptFor(earlier, widget, agent)).interactions ?? '').toContain(id);
  const segmentId = (await act(request, id, 'hangup')).ctiData['user.wrapupSegmentSysId'];
  await panelOf(first, caller).getByTestId('code-listbox').focus();
  await earlier.keyboard.press('2');
  await notesOf(first, caller).fill('Typed before the time ran out');
  await expect
    .poll(async () => (await keptFor(earlier, widget, agent))[`draft:${id}`] ?? '')
    .toContain('Typed before the time ran out');
  await earlier.close();
  // The time runs out with no page open: the server saves its default.
  await expect.poll(async () => (await segment(request, segmentId)).state, { timeout: 25_000 }).toBe('closed');

  const page = await context.newPage();
  const late = await openLateHostPage(page, baseURL, agent);
  await expect(late.frame.getByTestId('storage-not-kept')).toBeVisible({ timeout: 10_000 });
  await late.connectLate();
  // The call has left the CTI system: the segment tells what was saved,
  // though not who the call was with. The late page learns it from the
  // server after it has started: in a full run under load that once took
  // longer than the default 5 s.
  await expect(late.frame.getByTestId('unsaved-draft')).toContainText(
    `Not saved: the time to wrap up the call ran out while the widget was closed, and the server saved ${codes[0]} instead. You had chosen ${codes[1]}.`,
    { timeout: 10_000 },
  );
  await expect(late.frame.getByTestId('unsaved-notes')).toHaveValue('Typed before the time ran out');
  // Over, the draft is no longer kept as one; the notice is, until dismissed.
  await expect.poll(async () => (await keptFor(page, widget, agent))[`draft:${id}`]).toBeUndefined();
  expect((await keptFor(page, widget, agent))['unsaved-drafts']).toContain('Typed before the time ran out');
  await late.frame.getByTestId('unsaved-dismiss').click();
  await expect(late.frame.getByTestId('unsaved-draft')).toHaveCount(0);
  await expect.poll(async () => (await keptFor(page, widget, agent))['unsaved-drafts']).toBeUndefined();
});
