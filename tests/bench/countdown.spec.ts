// Countdown accuracy: a real wrap-up of 10 minutes from the CTI simulator,
// its displayed m:ss compared with the true remaining time, the server's
// `opened_on + duration` minus the wall clock (page and server share it).
//
// The display has a resolution of one second (it rounds up), so a correct
// display differs from the true remaining time by up to 1 s. What is
// measured is the error beyond that: how long the visible display had
// already been out of date, i.e. showed a value that was no longer (or not
// yet) the rounded-up remaining time. Every change of the text is noted with
// its time by a MutationObserver installed before the page's scripts.
//
// Three phases: visible for two minutes; then hidden for 60 s and visible
// again; then a reload. Headless Chromium keeps every page visible, so
// "hidden" is emulated: `document.visibilityState` reads "hidden" (with a
// `visibilitychange`), and the page's JavaScript is paused for the 60 s
// through the DevTools protocol (Debugger.pause) — harsher than a real
// background tab, which still runs timers once a second or once a minute.
import { expect, test, type Page } from '@playwright/test';
import { benchmark, newAgent, percentile } from './support';

const DURATION_S = 600;
const VISIBLE_MS = 120_000;
const HIDDEN_MS = 60_000;
const AFTER_MS = 15_000;
const admin = { Authorization: `Basic ${Buffer.from('admin:admin').toString('base64')}` };

type Change = [at: number, text: string | null];

/** The error of one phase, in ms. */
interface PhaseError {
  /** Longest time the visible display was out of date beyond its resolution. */
  stale: number;
  /** Largest |displayed − true remaining| (includes the 1 s resolution). */
  difference: number;
  /** Median of how late each change of the display came (negative: early). */
  medianLag: number;
  changes: number;
}

function seconds(text: string): number {
  const [minutes, secs] = text.trim().split(':').map(Number);
  return minutes * 60 + secs;
}

/**
 * The error of the display over [visibleFrom, end], from its changes. A
 * value s is right while the true remaining time r satisfies
 * ceil(r) = s, i.e. for t in [deadline − s, deadline − s + 1 s).
 */
function analyse(
  changes: Change[],
  deadline: number,
  visibleFrom: number,
  end: number,
  differenceFrom = visibleFrom,
): PhaseError {
  let stale = 0;
  let difference = 0;
  let counted = 0;
  const lags: number[] = [];
  for (let index = 0; index < changes.length; index += 1) {
    const [at, text] = changes[index];
    const until = index + 1 < changes.length ? changes[index + 1][0] : end;
    const from = Math.max(at, visibleFrom);
    const to = Math.min(until, end);
    if (text === null || to <= from) continue;
    counted += 1;
    const shown = seconds(text) * 1000;
    const rightFrom = deadline - shown;
    const rightUntil = rightFrom + 1000;
    // Shown too early (ahead of the true time), worst at the start; shown
    // too long (behind), worst at the end, counted from when it was visible.
    const early = rightFrom - from;
    const late = Math.min(to - rightUntil, to - visibleFrom);
    stale = Math.max(stale, early, late);
    if (at >= visibleFrom) lags.push(at - rightFrom);
    if (to > differenceFrom) {
      const since = Math.max(from, differenceFrom);
      difference = Math.max(difference, Math.abs(shown - (deadline - since)), Math.abs(shown - (deadline - to)));
    }
  }
  return { stale: Math.max(stale, 0), difference, medianLag: percentile(lags, 0.5), changes: counted };
}

async function changes(page: Page): Promise<Change[]> {
  return page.evaluate(() => (window as any).__clockChanges as Change[]);
}

test('countdown accuracy: visible, after 60 s hidden, after a reload', async ({ page, request }) =>
  benchmark('countdown', async () => {
    await page.addInitScript(() => {
      const w = window as any;
      w.__clockChanges = [];
      let last: string | null = null;
      new MutationObserver(() => {
        const clock = document.querySelector('[data-testid=countdown-clock]');
        const text = clock ? (clock.textContent ?? '').trim() : null;
        if (text !== last) {
          last = text;
          w.__clockChanges.push([Date.now(), text]);
        }
      }).observe(document, { subtree: true, childList: true, characterData: true });
    });
    const agent = newAgent('countdown');
    await page.goto(`/?agent=${agent}`);
    await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'live');

    // A real call into wrap-up through the simulator.
    const created = await request.post('/sim/v1/calls', {
      headers: admin,
      data: {
        agent_id: agent,
        ani: '+4930123456',
        direction: 'Incoming',
        wrapup: { duration: DURATION_S, allowed_codes: ['Billing Issue'], default_code: 'Billing Issue', enable_codes: true },
      },
    });
    expect(created.status()).toBe(201);
    const { id } = await created.json();
    await expect(page.getByTestId('workitem-card')).toBeVisible();
    let workitem: any = null;
    for (const action of ['connect', 'hangup']) {
      const moved = await request.post(`/sim/v1/calls/${id}/${action}`, { headers: admin });
      expect(moved.ok()).toBeTruthy();
      workitem = await moved.json();
    }
    await expect(page.getByTestId('countdown-clock')).toBeVisible();
    const sysId: string = workitem.ctiData['user.wrapupSegmentSysId'];
    const answer = await request.get(`/api/now/wrapup/segment/${sysId}`, { headers: admin });
    expect(answer.ok()).toBeTruthy();
    const segment = (await answer.json()).segment;
    const openedOn = Date.parse(`${segment.opened_on.replace(' ', 'T')}Z`);
    const duration = Number(segment.wrap_up_configuration?.duration ?? DURATION_S);
    const deadline = openedOn + duration * 1000;

    // 1. Visible.
    const visibleFrom = Date.now();
    await page.waitForTimeout(VISIBLE_MS);
    const visible = analyse(await changes(page), deadline, visibleFrom, Date.now());

    // 2. Hidden for 60 s, then visible again.
    const cdp = await page.context().newCDPSession(page);
    await page.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    const hiddenAt = Date.now();
    await cdp.send('Debugger.enable');
    const paused = new Promise((resolve) => cdp.once('Debugger.paused', resolve));
    await cdp.send('Debugger.pause');
    await paused;
    await new Promise((resolve) => setTimeout(resolve, HIDDEN_MS - (Date.now() - hiddenAt)));
    const shownAgain = Date.now();
    await cdp.send('Debugger.resume');
    await cdp.send('Debugger.disable');
    await page.evaluate(() => {
      delete (document as any).visibilityState;
      delete (document as any).hidden;
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await page.waitForTimeout(AFTER_MS);
    const corrected = (await changes(page)).find(([at]) => at >= shownAgain);
    // The difference counts from the first correction: until then the display
    // shows what it showed before hiding, for `after_hidden_corrected_ms`.
    const afterHidden = analyse(await changes(page), deadline, shownAgain, Date.now(), corrected?.[0] ?? shownAgain);

    // 3. A reload: the countdown comes back from the server's data.
    const reloadedAt = Date.now();
    await page.reload();
    await expect(page.getByTestId('countdown-clock')).toBeVisible();
    const firstShown = (await changes(page)).find(([, text]) => text !== null);
    await page.waitForTimeout(AFTER_MS);
    const afterReload = analyse(await changes(page), deadline, firstShown?.[0] ?? reloadedAt, Date.now());

    const worst = Math.max(visible.stale, afterHidden.stale, afterReload.stale);
    return {
      method: 'display changes (MutationObserver) against opened_on + duration; hidden = visibilityState override + Debugger.pause',
      visible_s: VISIBLE_MS / 1000,
      visible_stale_ms: visible.stale,
      visible_difference_ms: visible.difference,
      visible_median_lag_ms: visible.medianLag,
      visible_changes: visible.changes,
      hidden_s: HIDDEN_MS / 1000,
      after_hidden_corrected_ms: corrected ? corrected[0] - shownAgain : NaN,
      after_hidden_stale_ms: afterHidden.stale,
      after_hidden_difference_ms: afterHidden.difference,
      after_reload_shown_ms: firstShown ? firstShown[0] - reloadedAt : NaN,
      after_reload_stale_ms: afterReload.stale,
      after_reload_difference_ms: afterReload.difference,
      worst_stale_ms: worst,
    };
  }));
