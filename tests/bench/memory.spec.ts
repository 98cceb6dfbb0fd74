// Memory: the JS heap (after a forced garbage collection, CDP
// Runtime.getHeapUsage) and the wasm linear memory (the module's
// `WebAssembly.Memory`, which never shrinks: its size is the high-water
// mark) after 100 and after 10,000 call lifecycles fed as in the event path,
// each through its wrap-up and submission against the reference server.
import { expect, test } from '@playwright/test';
import { installDriver } from './driver';
import { benchmark, newAgent, waitForBridge } from './support';

const FIRST = 100;
const LAST = 10_000;
const CHUNK = 100;

test('memory after 100 and 10,000 call lifecycles', async ({ page }) =>
  benchmark('memory', async () => {
    await page.addInitScript(installDriver);
    const agent = newAgent('memory');
    await page.goto(`/?agent=${agent}`);
    await waitForBridge(page);
    await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'live');
    // Callbacks registered as an integrator would, without the event path's
    // per-event bookkeeping.
    await page.evaluate(() => (window as any).__bench.subscribe(false));
    const cdp = await page.context().newCDPSession(page);

    async function measure() {
      for (let round = 0; round < 3; round += 1) await cdp.send('HeapProfiler.collectGarbage');
      const heap = await cdp.send('Runtime.getHeapUsage');
      const page_ = await page.evaluate(() => ({
        wasm: (window as any).__bench.wasmMemoryBytes() as number | null,
        nodes: document.getElementsByTagName('*').length,
        storage: Object.keys(localStorage).reduce((sum, key) => sum + key.length + (localStorage.getItem(key) ?? '').length, 0),
      }));
      return { js: heap.usedSize, ...page_ };
    }

    // ms per lifecycle of each chunk: a figure that grows with the count
    // means work that grows with what is kept.
    const perLifecycle: number[] = [];
    async function runLifecycles(from: number, to: number) {
      for (let start = from; start < to; start += CHUNK) {
        const started = Date.now();
        await page.evaluate(
          async ({ start, count, agent }) => {
            for (let n = start; n < start + count; n += 1) await (window as any).__bench.lifecycle(n, agent, false);
          },
          { start, count: Math.min(CHUNK, to - start), agent },
        );
        perLifecycle.push((Date.now() - started) / Math.min(CHUNK, to - start));
      }
    }

    const started = Date.now();
    await runLifecycles(0, FIRST);
    const first = await measure();
    await runLifecycles(FIRST, LAST);
    const last = await measure();
    const mb = (bytes: number) => bytes / 1024 / 1024;
    if (first.wasm === null || last.wasm === null) {
      throw new Error('the wasm memory was not reachable (no TrunkApplicationStarted event with the module)');
    }
    return {
      js_heap_100_mb: mb(first.js),
      js_heap_10000_mb: mb(last.js),
      wasm_100_mb: mb(first.wasm),
      wasm_10000_mb: mb(last.wasm),
      growth_mb: mb(last.js + last.wasm - first.js - first.wasm),
      dom_elements_100: first.nodes,
      dom_elements_10000: last.nodes,
      local_storage_chars_100: first.storage,
      local_storage_chars_10000: last.storage,
      duration_s: (Date.now() - started) / 1000,
      lifecycle_first_100_ms: perLifecycle[0],
      lifecycle_last_100_ms: perLifecycle[perLifecycle.length - 1],
    };
  }));
