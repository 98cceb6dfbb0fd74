// What the end-to-end tests share: driving the CTI simulator as the admin,
// reading segments back, and opening the widget for a fresh agent.
import { expect, type APIRequestContext, type Page } from '@playwright/test';

export const admin = { Authorization: `Basic ${Buffer.from('admin:admin').toString('base64')}` };
export const codes = ['Billing Issue', 'Store Issue'];

export function newAgent(): string {
  return `e2e${Date.now().toString(16)}${Math.floor(Math.random() * 1e9).toString(16)}`;
}

/// Starts a call to `agent`; `email` registers the agent's Tenios e-mail.
export async function startCall(
  request: APIRequestContext,
  agent: string,
  duration: number | null,
  email?: string,
): Promise<string> {
  const response = await request.post('/sim/v1/calls', {
    headers: admin,
    data: {
      agent_id: agent,
      ani: '+4930123456',
      direction: 'Incoming',
      queue: 'Billing',
      wrapup: { duration, allowed_codes: codes, default_code: codes[0], enable_codes: true },
      ...(email ? { agent_email: email } : {}),
    },
  });
  expect(response.status()).toBe(201);
  return (await response.json()).id;
}

/// Drives the call; returns the workitem as the simulator answers it.
export async function act(request: APIRequestContext, id: string, action: string) {
  const response = await request.post(`/sim/v1/calls/${id}/${action}`, { headers: admin });
  expect(response.ok()).toBeTruthy();
  return response.json();
}

export async function segment(request: APIRequestContext, sysId: string) {
  const response = await request.get(`/api/now/wrapup/segment/${sysId}`, { headers: admin });
  expect(response.ok()).toBeTruthy();
  return (await response.json()).segment;
}

/// Rings, answers and hangs up a call; returns the wrap-up segment's sys_id.
export async function callUntilWrapup(page: Page, request: APIRequestContext, agent: string, duration: number | null) {
  const id = await startCall(request, agent, duration);
  await expect(page.getByTestId('workitem-card')).toBeVisible();
  await act(request, id, 'connect');
  const workitem = await act(request, id, 'hangup');
  const sysId: string = workitem.ctiData['user.wrapupSegmentSysId'];
  expect(sysId).toBeTruthy();
  await expect(page.getByTestId('wrapup-panel')).toBeVisible();
  await expect(page.getByTestId('code-option')).toHaveCount(codes.length);
  return { id, sysId };
}

export async function openWidget(page: Page, agent: string, lang = 'en') {
  await page.goto(`/?agent=${agent}&lang=${lang}`);
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'live');
}
