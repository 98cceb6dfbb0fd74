// An agent PC whose clock is wrong: the wrap-up's deadline is the CTI
// system's, so the widget runs its countdown in the CTI system's time, told
// by the times of the events it hears as they happen. Playwright's clock
// moves the browser's time (Date, timers) minutes away from the server's.
import { test, expect, type Page } from '@playwright/test';
import { callUntilWrapup, newAgent, openWidget, segment } from './support';

/// The countdown's `m:ss`, in seconds.
async function countdownSeconds(page: Page): Promise<number> {
  const text = (await page.getByTestId('countdown-clock').textContent()) ?? '';
  const [minutes, seconds] = text.trim().split(':').map(Number);
  return minutes * 60 + seconds;
}

for (const [name, skewMs] of [
  ['five minutes ahead', 5 * 60_000],
  ['five minutes behind', -5 * 60_000],
] as const) {
  test(`with the PC's clock ${name}, the countdown keeps the CTI system's time, across a reload`, async ({
    page,
    request,
  }) => {
    await page.clock.install({ time: Date.now() + skewMs });
    const agent = newAgent();
    await openWidget(page, agent);
    const { sysId } = await callUntilWrapup(page, request, agent, 120);

    // Two minutes, as the CTI system counts them: not expired on arrival
    // (ahead), nor seven minutes (behind).
    await expect.poll(() => countdownSeconds(page)).toBeGreaterThan(110);
    expect(await countdownSeconds(page)).toBeLessThanOrEqual(120);
    await expect(page.getByTestId('countdown')).toHaveAttribute('data-band', 'green');

    // A reload replays the call's events, which tell nothing of the clock:
    // the difference was kept.
    await page.getByTestId('notes-input').fill('Written on a clock that is wrong');
    await page.reload();
    await expect(page.getByTestId('wrapup-panel')).toBeVisible();
    await expect(page.getByTestId('notes-input')).toHaveValue('Written on a clock that is wrong');
    const afterReload = await countdownSeconds(page);
    expect(afterReload).toBeGreaterThan(100);
    expect(afterReload).toBeLessThanOrEqual(120);
    expect((await segment(request, sysId)).state).toBe('open');

    // The agent submits; the confirmation is in the CTI system's time too.
    await page.getByTestId('code-listbox').focus();
    await page.keyboard.press('2');
    await page.keyboard.press('Control+Enter');
    await expect.poll(async () => (await segment(request, sysId)).state).toBe('closed');
    const closed = await segment(request, sysId);
    expect(closed.code.code).toBe('Store Issue');
    expect(closed.notes).toBe('Written on a clock that is wrong');
    // ServiceNow's `YYYY-MM-DD HH:MM:SS`, UTC: the server's time, not the PC's.
    const confirmedOn = Date.parse(`${closed.confirmed_on.replace(' ', 'T')}Z`);
    expect(Math.abs(confirmedOn - Date.now())).toBeLessThan(30_000);
  });
}

test("when the PC's clock is set right, the next call's countdown follows it at once", async ({ page, request }) => {
  // Five minutes behind: the widget learns it from a first call.
  await page.clock.install({ time: Date.now() - 5 * 60_000 });
  const agent = newAgent();
  await openWidget(page, agent);
  const first = await callUntilWrapup(page, request, agent, 120);
  await expect.poll(() => countdownSeconds(page)).toBeGreaterThan(110);
  await page.getByTestId('notes-input').focus();
  await page.keyboard.press('Control+Enter');
  await expect.poll(async () => (await segment(request, first.sysId)).state).toBe('closed');
  await expect(page.getByTestId('idle')).toBeVisible();

  // The clock is set right. The next call's wrap-up has its two minutes,
  // neither expired on arrival nor submitted with the default code.
  await page.clock.setSystemTime(Date.now());
  const second = await callUntilWrapup(page, request, agent, 120);
  await expect.poll(() => countdownSeconds(page)).toBeGreaterThan(110);
  expect(await countdownSeconds(page)).toBeLessThanOrEqual(120);
  expect((await segment(request, second.sysId)).state).toBe('open');
});
