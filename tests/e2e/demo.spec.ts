// The demo pages a new user opens after `cargo xtask run`: their simulator
// console (sim-console.js) starts a call, and the widget beside it shows it
// through wrap-up.
import { test, expect } from '@playwright/test';
import { newAgent, openCrmPage } from './support';

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
  await page.getByRole('button', { name: 'Hang up' }).click();
  await expect(widget.getByTestId('wrapup-panel')).toBeVisible();
  await expect(page.locator('#log')).toContainText('workitemWrapup');
  // The frame used to be shorter than the wrap-up panel, hiding its buttons
  // below the fold: the agent must see them without scrolling either.
  await expect(widget.getByTestId('submit')).toBeInViewport({ ratio: 1 });
  await expect(widget.getByTestId('extend')).toBeInViewport({ ratio: 1 });

  await widget.getByTestId('submit').click();
  await expect(widget.getByTestId('idle')).toBeVisible();
  await expect(page.locator('#log')).toContainText('workitemEnd');
});

test('the demo CRM page drives a call into wrap-up in the widget it embeds', async ({ page, baseURL }) => {
  const widget = await openCrmPage(page, baseURL);

  await page.getByTestId('crm-simulate-call').click();
  await expect(widget.getByTestId('workitem-card')).toBeVisible();
  await page.getByRole('button', { name: 'Answer' }).click();
  await expect(page.locator('#sim-status')).toHaveText(/^Call \S+: Active\.$/);
  await page.getByRole('button', { name: 'Hang up' }).click();
  await expect(widget.getByTestId('wrapup-panel')).toBeVisible();
});
