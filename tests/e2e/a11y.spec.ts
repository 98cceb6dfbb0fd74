// WCAG 2.2 AA in the real browser: axe-core finds no violation in the idle,
// ringing, active-call and wrap-up states, in the light and the dark theme.
import { test, expect } from '@playwright/test';
import { act, callUntilWrapup, newAgent, openWidget, startCall, wcagViolations as violations } from './support';

for (const colorScheme of ['light', 'dark'] as const) {
  test.describe(`${colorScheme} theme`, () => {
    test.use({ colorScheme });

    test('idle, ringing, active and wrap-up have no WCAG violations', async ({ page, request }) => {
      const agent = newAgent();
      await openWidget(page, agent);
      await expect(page.getByTestId('idle')).toBeVisible();
      expect(await violations(page), 'idle').toEqual([]);

      const id = await startCall(request, agent, 120);
      await expect(page.getByTestId('workitem-card')).toBeVisible();
      expect(await violations(page), 'ringing').toEqual([]);

      await act(request, id, 'connect');
      await expect(page.getByTestId('workitem-talk-time')).toBeVisible();
      expect(await violations(page), 'active call').toEqual([]);

      await act(request, id, 'hold');
      await expect(page.getByTestId('workitem-hold-time')).toBeVisible();
      await act(request, id, 'resume');
      await act(request, id, 'hangup');
      await expect(page.getByTestId('wrapup-panel')).toBeVisible();
      await expect(page.getByTestId('code-option').first()).toBeVisible();
      expect(await violations(page), 'wrap-up').toEqual([]);
    });
  });
}

test('the wrap-up panel with notes typed has no WCAG violations', async ({ page, request }) => {
  const agent = newAgent();
  await openWidget(page, agent);
  await callUntilWrapup(page, request, agent, 120);
  await page.getByTestId('notes-input').fill('x'.repeat(50));
  expect(await violations(page)).toEqual([]);
});

test('a theme chosen in the URL colours the whole page, against the system’s, and keeps AA contrast', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto(`/?agent=${newAgent()}&theme=dark`);
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'live');
  const background = (selector: string) =>
    page.evaluate((chosen) => getComputedStyle(document.querySelector(chosen)!).backgroundColor, selector);
  // The dark theme's background, below the widget as behind it.
  expect(await background('body')).toBe('rgb(13, 17, 23)');
  expect(await background('[data-testid="widget"]')).toBe('rgb(13, 17, 23)');
  expect(await violations(page)).toEqual([]);
});
