// The event path: 10,000 b+s events (1,000 call lifecycles of 10 events)
// fed to the running widget as a host page feeds them (`wrapup:cti-event`),
// each timed from dispatch to the last DOM mutation or `cil` callback it
// caused (see driver.ts); then a check that every callback fired exactly
// once. Between the wrap-up event and the end, the widget does its real
// backend work against the reference server (segment lookup and creation,
// the submission through `cil.submitWrapup`): that counts in the total
// time, not in any event's.
import { expect, test } from '@playwright/test';
import { type CallbackSummary, type LifecycleResult, installDriver } from './driver';
import { benchmark, newAgent, percentile, waitForBridge } from './support';

const LIFECYCLES = 1_000;
const CHUNK = 50;
/** The events of one lifecycle, in the order driver.ts feeds them. */
const EVENTS = [
  'workitemCreate',
  'workitemConnect',
  'agentStateChange Active',
  'callVariableChanged',
  'workitemPause',
  'workitemResume',
  'workitemWrapup',
  'agentStateChange Wrapup',
  'workitemEnd',
  'agentStateChange NotReady',
];

test('event path: 10,000 events to DOM and callbacks', async ({ page }) =>
  benchmark('event-path', async () => {
    await page.addInitScript(installDriver);
    const agent = newAgent('event');
    await page.goto(`/?agent=${agent}`);
    await waitForBridge(page);
    await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'live');
    await page.evaluate(() => (window as any).__bench.subscribe());

    const latencies: number[] = [];
    const byEvent: number[][] = EVENTS.map(() => []);
    let deferred = 0;
    let elapsed = 0;
    for (let from = 0; from < LIFECYCLES; from += CHUNK) {
      const chunk = await page.evaluate(
        async ({ from, count, agent }) => {
          const started = performance.now();
          const results: LifecycleResult[] = [];
          for (let n = from; n < from + count; n += 1) {
            results.push(await (window as any).__bench.lifecycle(n, agent, true));
          }
          return { results, elapsed: performance.now() - started };
        },
        { from, count: Math.min(CHUNK, LIFECYCLES - from), agent },
      );
      elapsed += chunk.elapsed;
      for (const result of chunk.results) {
        latencies.push(...result.latencies);
        result.latencies.forEach((latency, index) => byEvent[index].push(latency));
        deferred += result.deferred;
      }
    }
    const summary: CallbackSummary = await page.evaluate(() => (window as any).__bench.summary());
    const others = Object.entries(summary.others)
      .map(([name, times]) => `${name}×${times}`)
      .join(', ');
    return {
      lifecycles: LIFECYCLES,
      events: latencies.length,
      total_s: elapsed / 1000,
      handling_total_ms: latencies.reduce((sum, value) => sum + value, 0),
      p50_ms: percentile(latencies, 0.5),
      p99_ms: percentile(latencies, 0.99),
      max_ms: Math.max(...latencies),
      deferred_dom_updates: deferred,
      callbacks_expected: summary.expected,
      callbacks_exactly_once: summary.exactlyOnce,
      callbacks_missing: summary.missing,
      callbacks_repeated: summary.repeated,
      first_problems: [...summary.firstMissing, ...summary.firstRepeated].join(', ') || 'none',
      other_callbacks: others || 'none',
      by_event: EVENTS.map(
        (name, index) => `${name} ${percentile(byEvent[index], 0.5).toFixed(2)}/${percentile(byEvent[index], 0.99).toFixed(2)}`,
      ).join('; '),
    };
  }));
