// The widget in a narrow CRM side panel (320 and 420 px), in English and in
// German (longer words): in every state nothing sticks out of the panel, so
// the agent never scrolls sideways and no text is clipped at its edge, and
// no word breaks inside without a hyphen (a code's label beside its tag). The
// content is made long on purpose: a caller with an extension, a caller's
// SIP address longer than a line, a long code, notes with an unbroken URL.
import { test, expect, type APIRequestContext, type Page } from '@playwright/test';
import { act, admin, newAgent, openWidget, submitUnknownReason, unknownReason } from './support';

const longCode = 'Technical problem with the customer’s broadband connection';
const codes = ['Abrechnungsproblem', 'Store Issue', longCode];

async function call(request: APIRequestContext, agent: string, ani: string): Promise<string> {
  const response = await request.post('/sim/v1/calls', {
    headers: admin,
    data: {
      agent_id: agent,
      ani,
      direction: 'Incoming',
      queue: 'Billing and payments, second level',
      wrapup: { duration: 120, allowed_codes: codes, default_code: codes[0], enable_codes: true },
    },
  });
  expect(response.status()).toBe(201);
  return (await response.json()).id;
}

/// The elements of the widget that reach beyond the viewport's left or right
/// edge, described for the failure message; and whether the page scrolls sideways.
async function overflow(page: Page): Promise<{ scrolls: boolean; outside: string[] }> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const outside: string[] = [];
    for (const element of document.querySelectorAll('[data-testid=widget] *')) {
      const box = element.getBoundingClientRect();
      if (box.width > 0 && (box.right > width + 0.5 || box.left < -0.5)) {
        const text = (element.textContent ?? '').trim().slice(0, 40);
        outside.push(`<${element.tagName.toLowerCase()} class="${element.getAttribute('class') ?? ''}"> ${text} (${Math.round(box.left)}–${Math.round(box.right)} of ${width})`);
      }
    }
    return { scrolls: document.documentElement.scrollWidth > width, outside };
  });
}

/// The words of the widget's text that break inside, across lines, but
/// after a hyphen or a soft hyphen (U+00AD), each with its element's class.
/// Only words of letters: an address or a number may break anywhere. (A
/// browser without the language's hyphenation dictionary, as headless
/// Chromium, does nothing for `hyphens: auto`.)
async function wordsBrokenInside(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const broken: string[] = [];
    const root = document.querySelector('[data-testid=widget]');
    if (!root) return broken;
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node as Text;
      if (text.parentElement?.closest('.wg-visually-hidden')) continue;
      for (const token of text.data.matchAll(/\S+/g)) {
        const word = token[0].replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
        if (word.length < 2 || !/^[\p{L}\u00AD’'-]+$/u.test(word)) continue;
        const start = (token.index ?? 0) + token[0].indexOf(word);
        let line: number | undefined;
        for (let at = 0; at < word.length; at++) {
          const range = document.createRange();
          range.setStart(text, start + at);
          range.setEnd(text, start + at + 1);
          const box = [...range.getClientRects()].find((rect) => rect.width > 0);
          if (!box) continue;
          const top = Math.round(box.top);
          if (line !== undefined && top !== line && !/[-\u00AD]$/.test(word.slice(0, at))) {
            broken.push(`${word} [${text.parentElement?.className ?? ''}]`);
            break;
          }
          line = top;
        }
      }
    }
    return broken;
  });
}

async function expectFits(page: Page, state: string) {
  const { scrolls, outside } = await overflow(page);
  expect(outside, `${state}: elements outside the panel`).toEqual([]);
  expect(scrolls, `${state}: the page scrolls sideways`).toBe(false);
  expect(await wordsBrokenInside(page), `${state}: words broken inside, without a hyphen`).toEqual([]);
}

for (const width of [320, 420]) {
  for (const lang of ['en', 'de']) {
    test(`at ${width} px in ${lang}, every state fits the panel`, async ({ browser, request }) => {
      const context = await browser.newContext({ viewport: { width, height: 900 } });
      const page = await context.newPage();
      const agent = newAgent();
      await openWidget(page, agent, lang);
      await expect(page.getByTestId('idle')).toBeVisible();
      await expectFits(page, 'idle, not ready');
      await page.getByTestId('agent-state-toggle').click();
      // The reason picker shows while Not ready too: wait for Ready itself.
      await expect(page.getByTestId('agent-state')).toHaveClass(/wg-agent__state--ready/);
      await expect(page.getByTestId('not-ready-reason')).toBeVisible();
      await expectFits(page, 'ready, with the not-ready reasons');
      await page.getByTestId('not-ready-reason').selectOption({ index: 1 });
      await page.getByTestId('agent-state-toggle').click();
      await expect(page.getByTestId('agent-reason')).toBeVisible();
      await expectFits(page, 'not ready, with a reason');
      await page.getByTestId('not-ready-reason').selectOption({ index: 3 });
      await expect(page.getByTestId('agent-reason-change')).toBeVisible();
      await expectFits(page, 'not ready, another reason picked');

      const first = await call(request, agent, '+49 30 1234567890 ext. 12345');
      const second = await call(request, agent, 'sip:+4930999888777666@pbx.example.com');
      await expect(page.getByTestId('workitem-card')).toHaveCount(2);
      await expectFits(page, 'two calls ringing');

      await act(request, first, 'connect');
      await act(request, first, 'hold');
      await expect(page.locator('.wg-call--hold')).toHaveCount(1);
      await expectFits(page, 'one call on hold, one ringing');

      await act(request, first, 'resume');
      await act(request, first, 'hangup');
      await expect(page.getByTestId('wrapup-panel')).toBeVisible();
      await expect(page.getByTestId('code-option')).toHaveCount(codes.length);
      await page.getByTestId('notes-input').fill(
        'See https://crm.example.com/tickets/2026/11/21/0000000000000000000000000000000000000042',
      );
      await expectFits(page, 'wrap-up beside a ringing call');

      await page.getByTestId('code-filter').fill('zzz');
      await expect(page.getByTestId('code-option')).toHaveCount(0);
      await expectFits(page, 'wrap-up, no code matches the filter');
      await page.getByTestId('code-filter').fill('');

      await act(request, second, 'connect');
      await expectFits(page, 'wrap-up beside an active call');

      await page.getByTestId('code-option').nth(2).click();
      await page.getByTestId('submit').click();
      await expect(page.getByTestId('wrapup-panel')).toHaveCount(0);
      await expectFits(page, 'wrap-up submitted, a call active');

      await act(request, second, 'hangup');
      await expect(page.getByTestId('code-option')).toHaveCount(codes.length);
      await expectFits(page, 'wrap-up headed by a caller longer than a line');

      const elsewhere = await context.newPage();
      await elsewhere.goto(`/?agent=${agent}&lang=${lang}`);
      await expect(elsewhere.getByTestId('open-elsewhere')).toBeVisible();
      await expectFits(elsewhere, 'open in another tab');
      await context.close();
    });
  }
}

// Regression: at 320 px a code with a tag beside it ("set by integration")
// was squeezed to a few letters a line ("Callbac / k promis / ed").
test('at 320 px a code with a tag beside it breaks between its words, not inside them', async ({ browser, request }) => {
  const context = await browser.newContext({ viewport: { width: 320, height: 900 } });
  const page = await context.newPage();
  const agent = newAgent();
  await openWidget(page, agent);
  await submitUnknownReason(page, request, agent, 'notes');
  await page.getByTestId('change-submission').click();
  const label = page.locator(`[data-testid="code-option"][data-code="${unknownReason}"] .wg-picker__label`);
  await expect(label).toHaveText(unknownReason);
  // A word split over two lines has two boxes.
  const split = await label.evaluate((element) => {
    const text = element.firstChild as Text;
    const words: string[] = [];
    let at = 0;
    for (const word of text.data.split(' ')) {
      const range = document.createRange();
      range.setStart(text, at);
      range.setEnd(text, at + word.length);
      if (range.getClientRects().length > 1) words.push(word);
      at += word.length + 1;
    }
    return words;
  });
  expect(split).toEqual([]);
  await context.close();
});
