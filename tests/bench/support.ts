// What the browser benchmarks share: where figures go, percentiles, and
// waiting for the widget's `cil` bridge.
import type { Page } from '@playwright/test';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/// Writes one benchmark's figures as `key value` lines to
/// `$WRAPUP_BENCH_OUT/<name>.txt`, where `cargo xtask bench browser` reads them.
export function writeResults(name: string, values: Values) {
  const dir = process.env.WRAPUP_BENCH_OUT ?? 'target/bench/browser';
  mkdirSync(dir, { recursive: true });
  const lines = Object.entries(values).map(([key, value]) => {
    const text = typeof value === 'number' ? formatNumber(value) : String(value);
    return `${key} ${text.replace(/\s+/g, ' ')}`;
  });
  writeFileSync(join(dir, `${name}.txt`), `${lines.join('\n')}\n`);
}

type Values = Record<string, string | number | boolean>;

/// Runs one benchmark and writes its figures; when it fails, writes the
/// reason instead (`error …`, which `cargo xtask bench` reports as "not
/// measured") and fails the test.
export async function benchmark(name: string, body: () => Promise<Values>) {
  let values: Values;
  try {
    values = await body();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    writeResults(name, { error: message.split('\n')[0] });
    throw error;
  }
  writeResults(name, values);
}

function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(3);
}

/// The value at `fraction` of the values (nearest rank), as xtask computes it.
export function percentile(values: number[], fraction: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil(sorted.length * fraction);
  return sorted[Math.min(Math.max(rank, 1), sorted.length) - 1];
}

export function newAgent(prefix: string): string {
  return `${prefix}${Date.now().toString(16)}${Math.floor(Math.random() * 1e9).toString(16)}`;
}

/// Waits for the wasm end of the `cil` bridge (`wrapup:ready`, see
/// docs/cil-protocol.md); fails with what is missing otherwise.
export async function waitForBridge(page: Page) {
  const missing = await bridgeMissing(page);
  if (missing) throw new Error(missing);
}

async function bridgeMissing(page: Page): Promise<string | null> {
  try {
    await page.waitForFunction(
      () => document.documentElement.dataset.wrapupReady === 'true' && typeof (window as any).cil === 'object',
      null,
      { timeout: 20_000 },
    );
    return null;
  } catch {
    const has = await page.evaluate(() => ({
      cil: typeof (window as any).cil === 'object',
      ready: document.documentElement.dataset.wrapupReady === 'true',
    }));
    return (
      'waiting on the cil bridge: ' +
      (has.cil ? '' : 'window.cil is missing (public/cil.js not loaded by the page); ') +
      (has.ready ? '' : 'the wasm never signalled wrapup:ready (src/runtime/cil_bridge.rs)')
    );
  }
}
