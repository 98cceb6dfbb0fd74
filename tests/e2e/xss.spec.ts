// Every string the widget shows comes from somebody else: the caller's
// number and the queue from the CTI system, the wrap-up codes from the
// server, the notes from the agent. Each field gets every payload of
// xss-payloads.ts; the widget must show the text as sent and nothing may run
// or appear. The assertions read the DOM, not the CSP: the policy would stop
// inline handlers anyway, so only "shown as text, no element created" proves
// the rendering is safe.
import { test, expect, type Page } from '@playwright/test';
import { act, admin, newAgent, openWidget, segment } from './support';
import { xssPayloads } from './xss-payloads';

async function expectNothingRan(page: Page) {
  const found = await page.evaluate(() => ({
    ran: (window as unknown as { __xss?: number }).__xss ?? null,
    elements: document.querySelectorAll('[data-xss]').length,
  }));
  expect(found).toEqual({ ran: null, elements: 0 });
}

/// How many payloads, parsed as HTML, leave a tagged element, a script or an
/// event handler behind (39 of 52; the rest aim at URL, template and
/// entity-decoding sinks): the check that the list would catch an HTML sink.
async function livePayloads(page: Page): Promise<number> {
  return page.evaluate((payloads) => {
    const parser = new DOMParser();
    return payloads.filter((payload) => {
      const parsed = parser.parseFromString(`<div>${payload}</div>`, 'text/html');
      const handlers = [...parsed.querySelectorAll('*')].some((element) =>
        element.getAttributeNames().some((name) => name.startsWith('on')),
      );
      return handlers || parsed.querySelector('[data-xss], script') !== null;
    }).length;
  }, xssPayloads);
}

async function shownAsText(page: Page, texts: string[]) {
  const missing = await page.evaluate(
    (wanted) => wanted.filter((text) => !document.body.innerText.includes(text)),
    texts,
  );
  expect(missing).toEqual([]);
}

test('50 markup and script payloads in every rendered field are shown as text and never run', async ({
  page,
  request,
}) => {
  expect(xssPayloads.length).toBeGreaterThanOrEqual(50);
  const dialogs: string[] = [];
  page.on('dialog', async (dialog) => {
    dialogs.push(dialog.message());
    await dialog.dismiss();
  });
  const agent = newAgent();
  await openWidget(page, agent);
  expect(await livePayloads(page)).toBeGreaterThanOrEqual(35);

  // Caller numbers and queue names: one ringing call per payload.
  const ringing: string[] = [];
  for (const [index, payload] of xssPayloads.entries()) {
    const response = await request.post('/sim/v1/calls', {
      headers: admin,
      data: {
        agent_id: agent,
        ani: payload,
        direction: 'Incoming',
        queue: xssPayloads[(index + 1) % xssPayloads.length],
      },
    });
    expect(response.status()).toBe(201);
    ringing.push((await response.json()).id);
  }
  await expect(page.getByTestId('workitem-card')).toHaveCount(xssPayloads.length);
  await shownAsText(page, xssPayloads.map((payload) => payload.trim()));
  await expectNothingRan(page);
  for (const id of ringing) await act(request, id, 'hangup');
  await expect(page.getByTestId('idle')).toBeVisible();

  // Wrap-up codes: every payload is a code of one wrap-up; the notes too.
  const call = await request.post('/sim/v1/calls', {
    headers: admin,
    data: {
      agent_id: agent,
      ani: '+4930123456',
      direction: 'Incoming',
      wrapup: {
        duration: 300,
        allowed_codes: xssPayloads,
        default_code: xssPayloads[0],
        enable_codes: true,
      },
    },
  });
  expect(call.status()).toBe(201);
  const id: string = (await call.json()).id;
  await act(request, id, 'connect');
  const workitem = await act(request, id, 'hangup');
  const sysId: string = workitem.ctiData['user.wrapupSegmentSysId'];
  await expect(page.getByTestId('code-option')).toHaveCount(xssPayloads.length);
  const labels = await page.getByTestId('code-option').allTextContents();
  for (const payload of xssPayloads) {
    expect(labels.some((label) => label.includes(payload))).toBeTruthy();
  }
  await expectNothingRan(page);

  const notes = xssPayloads.slice(0, 10).join(' ');
  await page.getByTestId('code-listbox').focus();
  await page.keyboard.press('2');
  await page.getByTestId('notes-input').fill(notes);
  await page.keyboard.press('Control+Enter');
  await expect.poll(async () => (await segment(request, sysId)).state).toBe('closed');
  const closed = await segment(request, sysId);
  expect(closed.notes).toBe(notes);
  expect(closed.code.code).toBe(xssPayloads[1]);

  await expectNothingRan(page);
  expect(dialogs).toEqual([]);
});
