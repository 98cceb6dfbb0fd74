// Two tabs of a CRM page that embeds the widget for one agent
// (docs/cil-protocol.md, item 5). Where the browser blocks storage and Web
// Locks in the widget's frame (third-party storage), the CRM page holds the
// agent's lock for its frame, so one tab is live and the other offers "Use
// it here", as two tabs of the widget's own page do (tabs.spec.ts), also
// when a tab's page connects only after its widget started alone. Without
// it both tabs ran the agent's calls: the wrap-up submitted in one was
// overwritten when the other submitted its own draft at expiry.
import { type Page, test, expect } from '@playwright/test';
import { act, admin, codes, newAgent, segment, startCall } from './support';
import { blockWidgetStorage, keptFor, notesOf, openLateHostPage, origins } from './cil-support';
import type { Cil } from '../../public/cil';

/// Opens the demo CRM page for `agent`; returns its widget frame and what
/// the tab asked the server for from then on: event streams, segment updates.
async function openCrmTab(page: Page, crm: string, agent: string) {
  const asked = { streams: 0, updates: [] as string[] };
  page.on('request', (request) => {
    if (request.url().includes(`/cti/v1/agents/${agent}/events`)) asked.streams += 1;
    if (request.method() === 'PUT' && request.url().includes('/api/now/wrapup/segment/update')) {
      asked.updates.push(request.postData() ?? '');
    }
  });
  await page.goto(`${crm}/crm.html?agent=${agent}`);
  await expect(page.getByTestId('crm-connection')).toHaveAttribute('data-state', 'connected');
  return { frame: page.frameLocator('#widget'), asked };
}

/// Blocks the widget's storage and Web Locks in its frame, as the browser
/// does in a CRM page of another site, and opens a first CRM tab for a new
/// agent, whose widget is live; returns the origins, the agent and the tab.
async function openLiveFirstTab(page: Page, baseURL: string | undefined) {
  const { crm, widget } = origins(baseURL);
  await blockWidgetStorage(page.context(), widget);
  const agent = newAgent();
  const first = await openCrmTab(page, crm, agent);
  await expect(first.frame.getByTestId('connection')).toHaveAttribute('data-state', 'live');
  return { crm, widget, agent, first };
}

/// The tab's widget (in the iframe `selector`) says it is open elsewhere,
/// shows nothing of the desk, and the CRM page's `cil` requests are refused,
/// saying so.
async function expectOpenElsewhere(page: Page, selector = '#widget') {
  const frame = page.frameLocator(selector);
  await expect(frame.getByTestId('open-elsewhere')).toBeVisible();
  await expect(frame.getByTestId('use-here')).toHaveText('Use it here');
  await expect(frame.locator('.wg-desk')).toBeHidden();
  const answer = await page.evaluate(() =>
    (window as unknown as { cil: Cil }).cil.getChannel('voice').then(
      () => 'answered',
      (error: Error) => error.message,
    ),
  );
  expect(answer).toBe(
    'the widget is open for this agent in another tab or window, which carries out its requests; this page carries out none',
  );
}

test('two CRM tabs of one agent: one is live, the other offers "Use it here", which moves the widget; the segment closes with the live tab\'s code and notes only', async ({
  page,
  request,
  baseURL,
}) => {
  const { crm, agent, first } = await openLiveFirstTab(page, baseURL);

  const tab = await page.context().newPage();
  const second = await openCrmTab(tab, crm, agent);
  await expectOpenElsewhere(tab);

  // A call wrapped up in the live tab; the other hears nothing of it.
  const id = await startCall(request, agent, 300);
  await act(request, id, 'connect');
  const sysId: string = (await act(request, id, 'hangup')).ctiData['user.wrapupSegmentSysId'];
  await expect(first.frame.getByTestId('code-option')).toHaveCount(codes.length);
  await first.frame.getByTestId('code-listbox').focus();
  await page.keyboard.press('2');
  await first.frame.getByTestId('notes-input').fill('Typed in the first tab');
  await expect
    .poll(() => page.evaluate(() => Object.values(localStorage).some((value) => value.includes('Typed in the first tab'))))
    .toBe(true);
  await expectOpenElsewhere(tab);
  expect(second.asked.streams).toBe(0);

  // "Use it here", by keyboard: the second tab takes the widget over with
  // the draft; the first stops.
  await tab.frameLocator('#widget').getByTestId('use-here').focus();
  await tab.keyboard.press('Enter');
  await expect(second.frame.getByTestId('connection')).toHaveAttribute('data-state', 'live');
  await expect(second.frame.getByTestId('notes-input')).toHaveValue('Typed in the first tab');
  await expect(second.frame.getByTestId('code-option').nth(1)).toHaveAttribute('aria-selected', 'true');
  await expect(second.frame.locator('.wg-workitems')).toBeFocused();
  await expectOpenElsewhere(page);

  // A reload of the live tab keeps it live; the other stays out of the way.
  await tab.reload();
  await expect(tab.getByTestId('crm-connection')).toHaveAttribute('data-state', 'connected');
  await expect(second.frame.getByTestId('connection')).toHaveAttribute('data-state', 'live');
  await expect(second.frame.getByTestId('notes-input')).toHaveValue('Typed in the first tab');
  await expectOpenElsewhere(page);

  await second.frame.getByTestId('code-listbox').focus();
  await tab.keyboard.press('1');
  await second.frame.getByTestId('notes-input').fill('Finished in the second tab');
  await second.frame.getByTestId('submit').click();
  await expect(second.frame.getByTestId('idle')).toBeVisible();
  await expect.poll(async () => (await segment(request, sysId)).state).toBe('closed');
  const closed = await segment(request, sysId);
  expect(closed.code.code).toBe(codes[0]);
  expect(closed.notes).toBe('Finished in the second tab');
  // Only the live tab ever submitted it, once; one interaction record.
  expect(first.asked.updates).toEqual([]);
  expect(second.asked.updates).toHaveLength(1);
  const call = await (await request.get(`/sim/v1/calls/${id}`, { headers: admin })).json();
  expect(call.interactions).toHaveLength(1);
  await expectOpenElsewhere(page);
});

// Bug: a CRM tab whose page connected after the widget had stopped waiting
// for it took no lock, so beside a live tab of the agent both ran the
// agent's calls, and its widget kept saying it could not tell.
test('a CRM tab that connects late, beside a live tab of the agent, steps aside; "Use it here" moves the widget there', async ({
  page,
  request,
  baseURL,
}) => {
  const { agent, first } = await openLiveFirstTab(page, baseURL);

  // The other tab's page connects only after its widget started alone.
  const tab = await page.context().newPage();
  const late = await openLateHostPage(tab, baseURL, agent);
  await expect(late.frame.getByTestId('open-elsewhere-unknown')).toBeVisible({ timeout: 10_000 });
  await late.connectLate();
  await expectOpenElsewhere(tab, '#w');
  await expect(late.frame.getByTestId('open-elsewhere-unknown')).toHaveCount(0);
  await expect(first.frame.getByTestId('connection')).toHaveAttribute('data-state', 'live');

  // A call reaches the live tab only.
  const id = await startCall(request, agent, 300);
  await act(request, id, 'connect');
  await expect(first.frame.getByTestId('workitem-card')).toContainText('Talking');
  await expectOpenElsewhere(tab, '#w');

  // "Use it here" in the late tab: its page holds the lock now, the first stops.
  await late.frame.getByTestId('use-here').click();
  await expect(late.frame.getByTestId('connection')).toHaveAttribute('data-state', 'live');
  await expect(late.frame.getByTestId('workitem-card')).toContainText('Talking');
  await expectOpenElsewhere(page);
  const call = await (await request.get(`/sim/v1/calls/${id}`, { headers: admin })).json();
  expect(call.interactions).toHaveLength(1);
});

// Bug: a CRM tab whose page connected late handed that page everything its
// widget had stored alone before it asked for the agent's lock. Beside a
// live tab of the agent, it overwrote what the live tab kept there (its
// drafts, its outbox), which the live tab reads only as it loads: after a
// reload, the notes typed in the live tab were gone.
test('a CRM tab that connects late beside a live tab overwrites nothing the live tab keeps, and adds the drafts only it has', async ({
  page,
  request,
  baseURL,
}) => {
  const { widget, agent, first } = await openLiveFirstTab(page, baseURL);
  const callers = ['+4930111111', '+4930222222'];
  const ids: string[] = [];
  for (const ani of callers) {
    const id = await startCall(request, agent, 300, { ani });
    await act(request, id, 'connect');
    await act(request, id, 'hangup');
    ids.push(id);
  }
  // The agent has typed notes in the live tab for the first call only.
  await notesOf(first.frame, callers[0]).fill('Typed in the live tab');
  await expect.poll(async () => (await keptFor(page, widget, agent))[`draft:${ids[0]}`]).toContain('Typed in the live tab');
  // What the live tab keeps is compared below as a whole: it is taken once
  // both calls' events are in (the stream's position) and both interaction
  // records are stored, which would otherwise change under the comparison.
  await expect(notesOf(first.frame, callers[1])).toBeVisible();
  await expect
    .poll(async () => (await keptFor(page, widget, agent)).interactions ?? '')
    .toEqual(expect.stringMatching(new RegExp(`${ids[0]}.*${ids[1]}|${ids[1]}.*${ids[0]}`)));
  const keptByTheLiveTab = await keptFor(page, widget, agent);

  // The other tab's widget starts alone, and the agent types in both of its
  // wrap-ups before its page connects.
  const tab = await page.context().newPage();
  const late = await openLateHostPage(tab, baseURL, agent);
  await expect(late.frame.getByTestId('open-elsewhere-unknown')).toBeVisible({ timeout: 10_000 });
  await notesOf(late.frame, callers[0]).fill('Typed in the late tab alone');
  await notesOf(late.frame, callers[1]).fill('Typed in the late tab only');
  await late.connectLate();
  await expectOpenElsewhere(tab, '#w');

  // Everything the live tab keeps is as it was; the draft it has none of is added.
  await expect
    .poll(async () => (await keptFor(page, widget, agent))[`draft:${ids[1]}`] ?? '')
    .toContain('Typed in the late tab only');
  expect(await keptFor(page, widget, agent)).toMatchObject(keptByTheLiveTab);
  await expect(first.frame.getByTestId('connection')).toHaveAttribute('data-state', 'live');

  // A reload of the live tab finds its own notes, and the other tab's where it had none.
  await page.reload();
  await expect(first.frame.getByTestId('connection')).toHaveAttribute('data-state', 'live');
  await expect(notesOf(first.frame, callers[0])).toHaveValue('Typed in the live tab');
  await expect(notesOf(first.frame, callers[1])).toHaveValue('Typed in the late tab only');
  await expectOpenElsewhere(tab, '#w');
});
