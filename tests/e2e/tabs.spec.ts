// Two pages of the same agent in one browser (the CRM open in two tabs):
// only one is live. The other starts nothing and says so, until the agent
// uses the widget there, which stops the first. Without this both pages ran
// the agent's calls: two interaction records per call, and at expiry two
// submissions, the last of which overwrote the notes typed in the other.
import { type Page, test, expect } from '@playwright/test';
import {
  act,
  admin,
  callUntilWrapup,
  codes,
  ctiLog,
  newAgent,
  openWidget,
  recordCti,
  segment,
  startCall,
  wcagViolations,
} from './support';

/// The page says the widget is open elsewhere, shows nothing of the desk,
/// and refuses an integrator's request instead of leaving it unanswered.
async function expectOpenElsewhere(page: Page) {
  await expect(page.getByTestId('open-elsewhere')).toBeVisible();
  await expect(page.getByTestId('use-here')).toHaveText('Use it here');
  await expect(page.getByTestId('agent-state')).toBeHidden();
  await expect(page.getByTestId('wrapup-panel')).toBeHidden();
  const answer = await page.evaluate(() =>
    (window as unknown as { cil: { isSendDtmfEnabled(): Promise<boolean> } }).cil
      .isSendDtmfEnabled()
      .then(
        (enabled) => `answered ${enabled}`,
        (error: Error) => `${error.name}: ${error.message}`,
      ),
  );
  expect(answer).toBe(
    'CilRequestError: the widget is open for this agent in another tab or window, which carries out its requests; this page carries out none',
  );
}

test('a second page of the agent runs nothing: one interaction record, one submission, the notes kept', async ({
  page,
  request,
}) => {
  const agent = newAgent();
  await openWidget(page, agent);
  const second = await page.context().newPage();
  await recordCti(second);
  await second.goto(`/?agent=${agent}`);
  await expectOpenElsewhere(second);
  expect(await wcagViolations(second)).toEqual([]);

  const { id, sysId } = await callUntilWrapup(page, request, agent, 6);
  const notes = 'Typed in the live page';
  await page.getByTestId('notes-input').fill(notes);

  // Expiry submits the default code with the notes, once.
  await expect.poll(async () => (await segment(request, sysId)).state, { timeout: 15_000 }).toBe('closed');
  await expect(page.getByTestId('idle')).toBeVisible();
  const closed = await segment(request, sysId);
  expect(closed.code.code).toBe(codes[0]);
  expect(closed.notes).toBe(notes);
  const call = await (await request.get(`/sim/v1/calls/${id}`, { headers: admin })).json();
  expect(call.interactions).toHaveLength(1);

  // The second page never opened the event stream.
  expect((await ctiLog(second)).opened).toBe(0);
  await expectOpenElsewhere(second);
});

test('"Use it here" takes the widget over with the draft; the page it left stops; a reload stays live', async ({
  page,
  request,
}) => {
  const agent = newAgent();
  await openWidget(page, agent);
  const { id, sysId } = await callUntilWrapup(page, request, agent, 300);
  const notes = 'Started in the first page';
  await page.getByTestId('notes-input').fill(notes);

  const second = await page.context().newPage();
  await second.goto(`/?agent=${agent}`);
  await expectOpenElsewhere(second);
  // By keyboard: the button is the page's first stop.
  await second.keyboard.press('Tab');
  await expect(second.getByTestId('use-here')).toBeFocused();
  await second.keyboard.press('Enter');

  // The second page reloaded, took over and restored the wrap-up and its
  // draft; the focus is on the calls, not left to the page.
  await expect(second.getByTestId('connection')).toHaveAttribute('data-state', 'live');
  await expect(second.getByTestId('notes-input')).toHaveValue(notes);
  await expect(second.locator('.wg-workitems')).toBeFocused();
  await second.keyboard.press('Tab');
  await expect(second.getByTestId('code-filter')).toBeFocused();
  await expectOpenElsewhere(page);

  // A reload of the live page keeps it live; the other stays out of the way.
  await second.reload();
  await expect(second.getByTestId('connection')).toHaveAttribute('data-state', 'live');
  await expect(second.getByTestId('notes-input')).toHaveValue(notes);
  await expectOpenElsewhere(page);

  await second.getByTestId('code-listbox').focus();
  await second.keyboard.press('2');
  await second.getByTestId('notes-input').focus();
  await second.keyboard.press('Control+Enter');
  await expect.poll(async () => (await segment(request, sysId)).state).toBe('closed');
  const closed = await segment(request, sysId);
  expect(closed.code.code).toBe(codes[1]);
  expect(closed.notes).toBe(notes);
  const call = await (await request.get(`/sim/v1/calls/${id}`, { headers: admin })).json();
  expect(call.interactions).toHaveLength(1);
});

test('integrators are answered for the requests under way when another page takes over', async ({ page, request }) => {
  const agent = newAgent();
  const email = `${agent}@e2e.test`;
  await page.goto(`/?agent=${agent}&email=${encodeURIComponent(email)}`);
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'live');
  const id = await startCall(request, agent, 300, { email });
  await act(request, id, 'connect');
  const workitem = await act(request, id, 'hangup');
  // The segment is open: its codes are shown.
  await expect(page.getByTestId('code-option')).toHaveCount(codes.length);

  // Tenios and the CTI system are slow to answer: the requests stay under way.
  await page.route('**/wrap-up/extend', () => {});
  await page.route(`**/cti/v1/agents/${agent}/requests`, () => {});
  const sent = Promise.all([
    page.waitForRequest('**/wrap-up/extend'),
    page.waitForRequest(`**/cti/v1/agents/${agent}/requests`),
  ]);
  await page.evaluate((workitemId) => {
    type Cil = {
      extendWrapup(workitemId: string, seconds: number, requestId?: string): Promise<void>;
      setAgentState(channelId: string, state: string, reasonCode?: string, requestId?: string): Promise<void>;
    };
    const cil = (window as unknown as { cil: Cil }).cil;
    const settled = (promise: Promise<void>) =>
      promise.then(
        () => 'answered',
        (error: Error & { requestId?: string }) => `${error.name} ${error.requestId}: ${error.message}`,
      );
    (window as unknown as { answers: Promise<string[]> }).answers = Promise.all([
      settled(cil.extendWrapup(workitemId, 30, 'extend-1')),
      settled(cil.setAgentState('voice', 'Ready', undefined, 'ready-1')),
    ]);
  }, workitem.id);
  await sent;

  const second = await page.context().newPage();
  await second.goto(`/?agent=${agent}&email=${encodeURIComponent(email)}`);
  await second.getByTestId('use-here').click();
  await expect(second.getByTestId('connection')).toHaveAttribute('data-state', 'live');
  await expectOpenElsewhere(page);

  const cutShort =
    'another tab or window took the widget over for this agent before this request was answered; it may have been carried out';
  expect(await page.evaluate(() => (window as unknown as { answers: Promise<string[]> }).answers)).toEqual([
    `CilRequestError extend-1: extendWrapup: ${cutShort}`,
    `CilRequestError ready-1: setAgentState: ${cutShort}`,
  ]);
});

test('where the browser has no Web Locks (an origin that is not secure), every page runs as before', async ({
  page,
}) => {
  const agent = newAgent();
  await page.context().addInitScript(() => {
    Object.defineProperty(Navigator.prototype, 'locks', { get: () => undefined });
  });
  await openWidget(page, agent);
  const second = await page.context().newPage();
  await openWidget(second, agent);
  await expect(second.getByTestId('idle')).toBeVisible();
  await expect(second.getByTestId('open-elsewhere')).toHaveCount(0);
});
