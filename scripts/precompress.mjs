// Writes `NAME.br` (brotli quality 11) and `NAME.gz` (gzip level 9) beside
// every text or wasm file of the directory given, when that makes it
// smaller. The reference server sends them to browsers that accept them
// instead of compressing each response on the fly at a lower level.
// Run by `cargo xtask` after each release build of the widget.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, extname } from 'node:path';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';

const COMPRESSIBLE = new Set(['.wasm', '.js', '.css', '.html', '.svg', '.json', '.ts']);
const dir = process.argv[2];
if (!dir) {
  console.error('usage: node scripts/precompress.mjs DIR');
  process.exit(2);
}

for (const entry of readdirSync(dir, { withFileTypes: true })) {
  if (!entry.isFile() || !COMPRESSIBLE.has(extname(entry.name))) continue;
  const path = join(dir, entry.name);
  const bytes = readFileSync(path);
  const variants = [
    ['.br', brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } })],
    ['.gz', gzipSync(bytes, { level: 9 })],
  ];
  for (const [suffix, compressed] of variants) {
    if (compressed.length < bytes.length) writeFileSync(path + suffix, compressed);
  }
}
