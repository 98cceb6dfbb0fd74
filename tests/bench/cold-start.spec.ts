// Cold start: from navigation to the first render of the idle state, in a
// fresh browser context each run (empty HTTP cache, no compiled wasm kept).
// The widget sets no Performance mark of its own, so a MutationObserver
// installed before any page script notes when `[data-testid=idle]` first
// appears; `performance.now()` there counts from the navigation's start.
import { test } from '@playwright/test';
import { benchmark, newAgent, percentile } from './support';

const RUNS = 20;

test('cold start to the idle state', async ({ browser }) =>
  benchmark('cold-start', async () => {
    const idle: number[] = [];
    const wasmStarted: number[] = [];
    const responseEnd: number[] = [];
    for (let run = 0; run < RUNS; run += 1) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.addInitScript(() => {
        const w = window as any;
        window.addEventListener('TrunkApplicationStarted', () => {
          w.__wasmStartedAt = performance.now();
        });
        const observer = new MutationObserver(() => {
          if (document.querySelector('[data-testid=idle]')) {
            w.__idleAt = performance.now();
            observer.disconnect();
          }
        });
        observer.observe(document, { subtree: true, childList: true });
      });
      await page.goto(`/?agent=${newAgent('cold')}`);
      await page.waitForFunction(() => (window as any).__idleAt !== undefined, null, { timeout: 30_000 });
      const times = await page.evaluate(() => {
        const w = window as any;
        const navigation = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
        return { idle: w.__idleAt, wasm: w.__wasmStartedAt ?? NaN, responseEnd: navigation.responseEnd };
      });
      idle.push(times.idle);
      wasmStarted.push(times.wasm);
      responseEnd.push(times.responseEnd);
      await context.close();
    }
    return {
      runs: RUNS,
      method: 'MutationObserver on [data-testid=idle], from navigation start',
      idle_median_ms: percentile(idle, 0.5),
      idle_p90_ms: percentile(idle, 0.9),
      idle_min_ms: Math.min(...idle),
      idle_max_ms: Math.max(...idle),
      wasm_started_median_ms: percentile(wasmStarted, 0.5),
      html_received_median_ms: percentile(responseEnd, 0.5),
    };
  }));
