// The agent's state in the header, end to end: the release build served by
// the real server, the agent's Ready / Not ready switch and its reasons, the
// state following the calls, and the state changed from elsewhere (an
// integrator's `cil.setAgentState`). Each test has its own agent.
import { type Page, test, expect } from '@playwright/test';
import { act, admin, codes, newAgent, openWidget, segment, startCall } from './support';

/// Opens the widget for a new agent, who logs in Not ready, and switches them
/// to Ready by keyboard; returns the agent.
async function openAsReadyAgent(page: Page): Promise<string> {
  const agent = newAgent();
  await openWidget(page, agent);
  await expect(page.getByTestId('agent-state-name')).toHaveText('Not ready');
  await page.getByTestId('agent-state-toggle').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('agent-state-name')).toHaveText('Ready');
  return agent;
}

test('the agent logs in NotReady and switches Ready and back with a reason, by keyboard', async ({ page }) => {
  await openAsReadyAgent(page);

  await page.getByTestId('not-ready-reason').selectOption({ label: 'Lunch' });
  await page.getByTestId('agent-state-toggle').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('agent-state-name')).toHaveText('Not ready');
  await expect(page.getByTestId('agent-reason')).toHaveText('Lunch');
});

test('an agent in Ready is on a call, then wrapping up, then Ready again, in the header', async ({ page, request }) => {
  // The simulated CCX moves only an agent in Ready with their calls (one in
  // NotReady keeps it: "no agentStateChange (Active) event will be
  // dispatched in CCX"), so the agent goes Ready first.
  const agent = await openAsReadyAgent(page);

  const id = await startCall(request, agent, 120);
  await expect(page.getByTestId('workitem-card')).toBeVisible();
  await act(request, id, 'connect');
  await expect(page.getByTestId('agent-state-name')).toHaveText('On a call');
  const workitem = await act(request, id, 'hangup');
  const sysId: string = workitem.ctiData['user.wrapupSegmentSysId'];
  await expect(page.getByTestId('agent-state-name')).toHaveText('Wrapping up');

  await expect(page.getByTestId('code-option')).toHaveCount(codes.length);
  await page.getByTestId('code-listbox').focus();
  await page.keyboard.press('1');
  await page.getByTestId('notes-input').fill('Back to Ready after this one');
  await page.keyboard.press('Control+Enter');
  await expect.poll(async () => (await segment(request, sysId)).state).toBe('closed');
  await expect(page.getByTestId('idle')).toBeVisible();
  await expect(page.getByTestId('agent-state-name')).toHaveText('Ready');
});

/// Submits the wrap-up on screen by keyboard; the agent is then Not ready
/// with `reason`, as they chose during the call.
async function submitAndExpectNotReady(page: Page, reason: string) {
  await expect(page.getByTestId('code-option')).toHaveCount(codes.length);
  await page.getByTestId('notes-input').focus();
  await page.keyboard.press('Control+Enter');
  await expect(page.getByTestId('idle')).toBeVisible();
  await expect(page.getByTestId('agent-state-name')).toHaveText('Not ready');
  await expect(page.getByTestId('agent-reason')).toHaveText(reason);
}

test('during a call the agent chooses Not ready with a reason for after it, by keyboard, keeps it across a reload, and gets it', async ({
  page,
  request,
}) => {
  const agent = await openAsReadyAgent(page);
  const id = await startCall(request, agent, 120);
  await act(request, id, 'connect');
  await expect(page.getByTestId('agent-state-name')).toHaveText('On a call');

  await page.getByTestId('not-ready-reason').focus();
  await page.keyboard.press('ArrowDown'); // the first reason, Break
  await page.keyboard.press('ArrowDown'); // Lunch
  await expect(page.getByTestId('not-ready-reason')).toHaveValue('2');
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('agent-state-toggle')).toBeFocused();
  await expect(page.getByTestId('agent-state-toggle')).toHaveText('Not ready after the call');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('agent-next')).toHaveText('After the call: Not ready · Lunch');
  // The CTI system keeps the choice until the calls are over.
  await expect(page.getByTestId('agent-state-name')).toHaveText('On a call');

  // It tells nothing of it, so the widget keeps the choice to show it after a reload.
  await expect
    .poll(() => page.evaluate((key) => localStorage.getItem(key), `wrapup:${agent}:not-ready-after-calls`))
    .toContain('Lunch');
  await page.reload();
  await expect(page.getByTestId('agent-state-name')).toHaveText('On a call');
  await expect(page.getByTestId('agent-next')).toHaveText('After the call: Not ready · Lunch');

  await act(request, id, 'hangup');
  await expect(page.getByTestId('agent-state-name')).toHaveText('Wrapping up');
  await expect(page.getByTestId('agent-next')).toBeVisible();
  await submitAndExpectNotReady(page, 'Lunch');
  await expect(page.getByTestId('agent-next')).toHaveCount(0);
});

test('a reload while the Not ready request is on its way keeps the choice, and the agent gets it', async ({ page, request }) => {
  // Found in CI: the reload cut the request short, the widget took that for a
  // refusal by the CTI system and dropped the agent's choice as the page went;
  // and the CTI system may never have had the request.
  const agent = await openAsReadyAgent(page);
  const id = await startCall(request, agent, 120);
  await act(request, id, 'connect');
  await expect(page.getByTestId('agent-state-name')).toHaveText('On a call');
  const slow = await request.post('/sim/v1/faults', {
    headers: admin,
    data: { rules: [{ path: `/cti/v1/agents/${agent}/requests`, kind: 'slow', remaining: 1 }] },
  });
  expect(slow.ok()).toBeTruthy();
  try {
    await page.getByTestId('not-ready-reason').selectOption('2');
    await page.getByTestId('agent-state-toggle').click();
    await expect(page.getByTestId('agent-next')).toHaveText('After the call: Not ready · Lunch');
    await page.reload();
    await expect(page.getByTestId('agent-state-name')).toHaveText('On a call');
    await expect(page.getByTestId('agent-next')).toHaveText('After the call: Not ready · Lunch');
    await expect(page.getByTestId('agent-notice')).toHaveCount(0);
  } finally {
    await request.delete('/sim/v1/faults', { headers: admin });
  }
  await act(request, id, 'hangup');
  await submitAndExpectNotReady(page, 'Lunch');
});

test('a token the server does not accept is told in the header, not left to silence', async ({ page }) => {
  const agent = newAgent();
  await page.goto(`/?agent=${agent}&token=not-the-widgets-token`);
  await expect(page.getByTestId('agent-notice')).toContainText(
    "The server did not accept this widget's sign-in: its token is wrong or has expired.",
  );
  await expect(page.getByTestId('agent-notice')).toContainText('401');
});

async function setAgentStateInPage(page: Page, state: string, reason?: string) {
  await page.evaluate(
    ([state, reason]) =>
      (window as unknown as { cil: { setAgentState(channel: string, state: string, reason?: string): Promise<void> } }).cil
        .setAgentState('voice', state, reason),
    [state, reason] as const,
  );
}

test('when the agent’s state changes from elsewhere while its reason picker has the focus, the focus stays in the switch', async ({
  page,
}) => {
  await openAsReadyAgent(page);
  await page.getByTestId('not-ready-reason').focus();
  // A supervisor, the phone or an integrator sets the agent Not ready: the
  // picker stays, with the reason the agent has now.
  await setAgentStateInPage(page, 'NotReady', '1');
  await expect(page.getByTestId('agent-reason')).toHaveText('Break');
  await expect(page.getByTestId('not-ready-reason')).toHaveValue('1');
  await expect(page.getByTestId('not-ready-reason')).toBeFocused();
  // Logged out, the agent has no reason to pick: the state's button has the focus.
  await setAgentStateInPage(page, 'Logout');
  await expect(page.getByTestId('agent-state-name')).toHaveText('Logged out');
  await expect(page.getByTestId('not-ready-reason')).toBeHidden();
  await expect(page.getByTestId('agent-state-toggle')).toBeFocused();
});

test('while Not ready the agent changes the reason by keyboard, and the focus stays on the reason', async ({
  page,
  request,
}) => {
  // Found by a keyboard-only agent: the reasons were offered only on the way
  // from Ready, so an agent on a break could not say they went to a meeting.
  const agent = await openAsReadyAgent(page);
  await page.getByTestId('not-ready-reason').selectOption({ label: 'Break' });
  await page.getByTestId('agent-state-toggle').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('agent-reason')).toHaveText('Break');

  await page.keyboard.press('Shift+Tab');
  await expect(page.getByTestId('not-ready-reason')).toBeFocused();
  await expect(page.getByTestId('not-ready-reason')).toHaveValue('1');
  await expect(page.getByTestId('agent-reason-change')).toBeHidden();
  await page.keyboard.press('ArrowDown'); // Lunch
  await page.keyboard.press('ArrowDown'); // Meeting
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('agent-reason-change')).toBeFocused();
  await expect(page.getByTestId('agent-reason-change')).toHaveText('Change reason');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('agent-reason')).toHaveText('Meeting');
  await expect(page.getByTestId('agent-state-name')).toHaveText('Not ready');
  // The button is gone with the difference; the focus is back on the reason.
  await expect(page.getByTestId('agent-reason-change')).toBeHidden();
  await expect(page.getByTestId('not-ready-reason')).toBeFocused();
  await expect(page.getByTestId('not-ready-reason')).toHaveValue('3');
  const answer = await request.post(`/cti/v1/agents/${agent}/requests`, {
    headers: admin,
    data: { request: 'getChannel', channelId: 'voice' },
  });
  expect((await answer.json()).result.channel).toMatchObject({ state: 'NotReady', reasonCodeLabel: 'Meeting' });
});

test('a refused change of state is told until the state changes from elsewhere', async ({ page, request }) => {
  // Found by a keyboard-only agent: the refusal stayed on screen after the
  // state had changed, telling of a change that no longer mattered.
  const agent = await openAsReadyAgent(page);
  const refuse = await request.post('/sim/v1/faults', {
    headers: admin,
    data: { rules: [{ path: `/cti/v1/agents/${agent}/requests`, kind: '500', remaining: 1 }] },
  });
  expect(refuse.ok()).toBeTruthy();
  try {
    await page.keyboard.press('Enter'); // Go not ready
    await expect(page.getByTestId('agent-notice')).toContainText('Your status could not be changed');
  } finally {
    await request.delete('/sim/v1/faults', { headers: admin });
  }
  await expect(page.getByTestId('agent-state-name')).toHaveText('Ready');
  // A supervisor sets the agent Not ready: the widget hears only the new state.
  const set = await request.post(`/cti/v1/agents/${agent}/requests`, {
    headers: admin,
    data: { request: 'setAgentState', channelId: 'voice', state: 'NotReady', reasonCode: '3' },
  });
  expect(set.ok()).toBeTruthy();
  await expect(page.getByTestId('agent-reason')).toHaveText('Meeting');
  await expect(page.getByTestId('agent-notice')).toHaveCount(0);
});
