// The README's screenshots, taken from the release build against the real
// server: `cargo xtask screenshots` runs this file with WRAPUP_SCREENSHOTS set
// (the ordinary test run skips it, so tests never rewrite tracked files).
import { test, expect, type Page } from '@playwright/test';
import { act, newAgent, openCrmPage, openWidget, startCall } from './support';

test.skip(!process.env.WRAPUP_SCREENSHOTS, 'only for `cargo xtask screenshots`');

const width = 380;

async function shoot(page: Page, name: string, colorScheme: string) {
  // The widget's own height, so the picture has no empty page below it.
  const height = await page.getByTestId('widget').evaluate((element) => element.scrollHeight);
  await page.setViewportSize({ width, height: Math.max(height, 120) });
  await page.screenshot({ path: `docs/screenshots/${name}-${colorScheme}.png` });
}

for (const colorScheme of ['light', 'dark'] as const) {
  test(`screenshots, ${colorScheme}`, async ({ browser, request }) => {
    const context = await browser.newContext({
      colorScheme,
      deviceScaleFactor: 2,
      viewport: { width, height: 600 },
    });
    const page = await context.newPage();
    const agent = newAgent();
    await openWidget(page, agent);
    await shoot(page, 'idle', colorScheme);

    // Ready, so that the header follows the call (an agent in NotReady
    // keeps it through calls, as in CCX).
    await page.getByTestId('agent-state-toggle').click();
    await expect(page.getByTestId('agent-state-name')).toHaveText('Ready');
    const id = await startCall(request, agent, 90);
    await expect(page.getByTestId('workitem-card')).toBeVisible();
    await shoot(page, 'ringing', colorScheme);

    await act(request, id, 'connect');
    await expect(page.getByTestId('workitem-talk-time')).toBeVisible();
    await expect(page.getByTestId('agent-state-name')).toHaveText('On a call');
    await shoot(page, 'active', colorScheme);

    await act(request, id, 'hangup');
    await expect(page.getByTestId('code-option').first()).toBeVisible();
    await page.getByTestId('code-listbox').focus();
    await page.keyboard.press('2');
    await page.getByTestId('notes-input').fill('Customer moved; new billing address confirmed.');
    await shoot(page, 'wrapup', colorScheme);
    await context.close();
  });
}

test('screenshot, the demo page', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 1100, height: 760 } });
  const page = await context.newPage();
  await page.goto(`/demo.html?agent=${newAgent()}`);
  const widget = page.frameLocator('#widget');
  await expect(widget.getByTestId('connection')).toHaveAttribute('data-state', 'live');
  await page.getByTestId('simulate-call').click();
  await expect(widget.getByTestId('workitem-card')).toBeVisible();
  await page.getByRole('button', { name: 'Answer' }).click();
  await page.getByRole('button', { name: 'Hang up' }).click();
  await expect(widget.getByTestId('code-option').first()).toBeVisible();
  await page.screenshot({ path: 'docs/screenshots/demo-page.png' });
  await context.close();
});

test('screenshot, the demo CRM page embedding the widget from another origin', async ({ browser, baseURL }) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 820 } });
  const page = await context.newPage();
  const widget = await openCrmPage(page, baseURL);
  await expect(page.getByTestId('crm-connection')).toHaveAttribute('data-state', 'connected');
  await page.getByTestId('crm-simulate-call').click();
  await expect(widget.getByTestId('workitem-card')).toBeVisible();
  await page.getByRole('button', { name: 'Answer' }).click();
  await page.getByRole('button', { name: 'Hang up' }).click();
  await expect(widget.getByTestId('code-option').first()).toBeVisible();
  // The frame grows to the wrap-up panel (cil-host.js follows the widget's
  // height): shoot once all of it is in view.
  await expect(widget.getByTestId('submit')).toBeInViewport();
  await page.screenshot({ path: 'docs/screenshots/crm-page.png' });
  await context.close();
});
