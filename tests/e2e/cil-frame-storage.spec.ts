// The widget's storage in a CRM embed (docs/cil-protocol.md, item 4): where
// the browser blocks storage in the widget's frame, the page that connects
// with cil-host.js keeps it, under the widget's origin.
import { test, expect } from '@playwright/test';
import { act, newAgent, startCall } from './support';
import { blockWidgetStorage, heldLocks, openLateHostPage, origins } from './cil-support';

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
