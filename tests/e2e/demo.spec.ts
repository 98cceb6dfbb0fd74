// The demo pages a new user opens after `cargo xtask run`: their simulator
// console (sim-console.js) starts a call, and the widget beside it shows it
// through wrap-up, and the demo page logs the widget's events.
import { test, expect } from '@playwright/test';
import { newAgent, openCrmPage, openWidget } from './support';

test('a call simulated on the demo page reaches wrap-up in the widget', async ({ page }) => {
  const agent = newAgent();
  await page.goto(`/demo.html?agent=${agent}`);
  const widget = page.frameLocator('#widget');
  await expect(widget.getByTestId('connection')).toHaveAttribute('data-state', 'live');

  await page.getByRole('button', { name: 'Answer' }).click();
  await expect(page.locator('#status')).toHaveText('Simulate a call first.');
  await page.getByTestId('simulate-call').click();
  await expect(widget.getByTestId('workitem-card')).toBeVisible();
  await expect(page.locator('#status')).toHaveText(/^Call \S+ is ringing: answer it\.$/);
  await page.getByRole('button', { name: 'Answer' }).click();
  await expect(widget.getByTestId('workitem-talk-time')).toBeVisible();
  // What the simulator and the widget say reads as a person says it; the
  // log names each event too, for integrators. (It showed the states and
  // events by their names alone: "Active", "workitemWrapup".)
  await expect(page.locator('#status')).toHaveText(/^Call \S+ is connected\.$/);
  await page.getByRole('button', { name: 'Resume' }).click();
  await expect(page.locator('#status')).toHaveText(/^Call \S+ is connected: it cannot be resumed now\.$/);
  await page.getByRole('button', { name: 'Hang up' }).click();
  await expect(widget.getByTestId('wrapup-panel')).toBeVisible();
  await expect(page.locator('#status')).toHaveText(/^Call \S+ is in wrap-up\.$/);
  await expect(page.locator('#log li').first()).toHaveText(/ Call with \+4930123456 is in wrap-up workitemWrapup$/);
  await expect(page.locator('#log')).toContainText('The agent is not ready agentStateChange');
  await expect(page.locator('#log')).toContainText('Call with +4930123456 is answered workitemConnect');
  // The frame used to be shorter than the wrap-up panel, hiding its buttons
  // below the fold: the agent must see them without scrolling either.
  await expect(widget.getByTestId('submit')).toBeInViewport({ ratio: 1 });
  await expect(widget.getByTestId('extend')).toBeInViewport({ ratio: 1 });

  await widget.getByTestId('submit').click();
  await expect(widget.getByTestId('idle')).toBeVisible();
  await expect(page.locator('#log')).toContainText('Call with +4930123456 has ended workitemEnd');
});

test('the demo page logs the widget\'s events after its frame reloads: "Use it here", the agent reloading it', async ({
  page,
}) => {
  const agent = newAgent();
  // The widget open for the agent in another tab: the demo's frame offers "Use it here".
  const elsewhere = await page.context().newPage();
  await openWidget(elsewhere, agent);
  await page.goto(`/demo.html?agent=${agent}`);
  await page.bringToFront();
  const widget = page.frameLocator('#widget');
  await widget.getByTestId('use-here').click();
  await expect(widget.getByTestId('connection')).toHaveAttribute('data-state', 'live');

  await page.getByTestId('simulate-call').click();
  await expect(widget.getByTestId('workitem-card')).toBeVisible();
  await expect(page.locator('#log')).toContainText('workitemCreate');

  const frame = await (await page.locator('#widget').elementHandle())!.contentFrame();
  await frame!.evaluate(() => location.reload());
  await expect(widget.getByTestId('workitem-card')).toBeVisible();
  await page.getByRole('button', { name: 'Answer' }).click();
  await expect(widget.getByTestId('workitem-talk-time')).toBeVisible();
  await expect(page.locator('#log')).toContainText('workitemConnect');
});

test('the demo CRM page drives a call into wrap-up in the widget it embeds', async ({ page, baseURL }) => {
  const widget = await openCrmPage(page, baseURL);

  await page.getByTestId('crm-simulate-call').click();
  await expect(widget.getByTestId('workitem-card')).toBeVisible();
  await page.getByRole('button', { name: 'Answer' }).click();
  await expect(page.locator('#sim-status')).toHaveText(/^Call \S+ is connected\.$/);
  await page.getByRole('button', { name: 'Hang up' }).click();
  await expect(widget.getByTestId('wrapup-panel')).toBeVisible();
});
