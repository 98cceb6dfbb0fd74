// Minifies the JavaScript the widget ships, in the release build in the
// directory given: wasm-bindgen's glue (an ES module, which Trunk's own
// minifier cannot read) and the `cil` scripts (classic scripts: their
// top-level names, which the pages use, are kept). The glue's Subresource
// Integrity hash in index.html is replaced by the minified file's.
// The wasm's preload link loses its `integrity`: Chromium ignores SRI on
// `as=fetch` preloads and warns on every load (crbug.com/981419), and the
// glue's own fetch of the wasm carries none, which a browser that did check
// it would need to match for the preload to be used.
// The glue's imports get short names in it and in the wasm (wasm-imports.mjs),
// and the wasm's functions are ordered for compression (wasm-order.mjs).
// The `cil` scripts the page loads are then written into it, each as its own
// inline `<script>` in the same place (INLINED): three requests fewer before
// the wasm boots, and gzip shares one dictionary between them and the page
// (−0.6 KB). The reference server allows inline scripts by their hash, which
// it computes from index.html. The files only this page loads are then left
// out of the directory; `cil-core.js` stays, for the CRM pages' `cil-host.js`.
// Run by `cargo xtask` after each release build, before precompress.mjs.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { minify } from 'terser';
import { shortenImports } from './wasm-imports.mjs';
import { orderFunctions } from './wasm-order.mjs';

const dir = process.argv[2];
if (!dir) {
  console.error('usage: node scripts/minify.mjs DIR');
  process.exit(2);
}

const GLUE = /^wrapup-gadget-[0-9a-f]+\.js$/;
const CLASSIC = new Set(['cil-core.js', 'cil-storage.js', 'cil.js', 'cil-host.js']);
/** The scripts index.html loads that are inlined, and whether other pages load them too. */
const INLINED = new Map([
  ['cil-core.js', { otherPages: true }],
  ['cil-storage.js', { otherPages: false }],
  ['cil.js', { otherPages: false }],
]);
const integrity = (bytes) => `sha384-${createHash('sha384').update(bytes).digest('base64')}`;

const indexPath = join(dir, 'index.html');
let index = readFileSync(indexPath, 'utf8');
const shipped = new Map();
for (const name of readdirSync(dir)) {
  const module = GLUE.test(name);
  if (!module && !CLASSIC.has(name)) continue;
  const path = join(dir, name);
  const source = readFileSync(path, 'utf8');
  let input = source;
  if (module) {
    const wasmPath = path.replace(/\.js$/, '_bg.wasm');
    const shortened = shortenImports(readFileSync(wasmPath), source);
    writeFileSync(wasmPath, orderFunctions(shortened.wasm));
    input = shortened.glue;
  }
  const { code: minified } = await minify(input, { module, compress: true, mangle: true });
  const code = minified !== undefined && minified.length < input.length ? minified : input;
  shipped.set(name, code);
  if (code === source) continue;
  writeFileSync(path, code);
  if (module) {
    // Trunk's build printed "WARN Failed to minify JS" for this file just before.
    console.log(`minify: ${name} minified by terser (Trunk's minifier cannot read wasm-bindgen's glue)`);
  }
  const before = integrity(source);
  if (index.includes(before)) {
    index = index.replaceAll(before, integrity(code));
  } else if (module) {
    console.error(`minify: index.html does not name ${name} by its integrity hash`);
    process.exit(1);
  }
}
const wasmPreload = /<link\b[^>]*\bas="?fetch\b[^>]*>/;
const preload = index.match(wasmPreload);
if (!preload) {
  console.error('minify: index.html has no preload link for the wasm');
  process.exit(1);
}
index = index.replace(preload[0], preload[0].replace(/\s+integrity=("[^"]*"|[^\s>]+)/, ''));
for (const [name, { otherPages }] of INLINED) {
  const tag = new RegExp(`<script\\s+src=(["']?)/${name.replace('.', '\\.')}\\1\\s*>\\s*</script>`);
  const code = shipped.get(name);
  if (!tag.test(index) || code === undefined) {
    console.error(`minify: index.html does not load /${name} with a script element of its own, or dist has no ${name}`);
    process.exit(1);
  }
  // The HTML parser would end the element at `</script` and read `<!--`
  // as the start of an escaped text, and the server finds the inline scripts
  // it hashes by their tags: none of these may appear in the script.
  if (/<\/?script|<!--/i.test(code)) {
    console.error(`minify: ${name} contains "<script", "</script" or "<!--" and cannot be written inline`);
    process.exit(1);
  }
  index = index.replace(tag, () => `<script>${code}</script>`);
  if (!otherPages) unlinkSync(join(dir, name));
}
writeFileSync(indexPath, index);
