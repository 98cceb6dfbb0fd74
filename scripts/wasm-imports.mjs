// Short names for the functions a wasm-bindgen module imports from its glue.
//
// wasm-bindgen names each import after the function it binds plus a 16-digit
// hash (`__wbg_setAttribute_2a7f…`), and the names are written twice: in the
// wasm's import section and as the keys of the glue's import object. The
// hashes do not compress, and gzip cannot share them across two files: about
// 3 KB of the transfer. `shortenImports` renames every such function import
// to a short name (`a`, `b`, …, `a0`, …) in both; a name the two disagree on
// would make instantiation fail with a LinkError, on the first load. Names
// already short are left alone, so a second run changes nothing.

import { IMPORT_FUNCTION, SECTION_IMPORT, name, readName, readUleb, sections, skipImportDescription, uleb } from './wasm-binary.mjs';

// `a` … `z`, then `a0` … `z9`, `aa` …: valid JS property names, never `__proto__`.
function shortName(index) {
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  const digits = '0123456789abcdefghijklmnopqrstuvwxyz';
  let text = letters[index % 26];
  for (let rest = Math.floor(index / 26); rest > 0; rest = Math.floor((rest - 1) / 36)) {
    text += digits[(rest - 1) % 36];
  }
  return text;
}

/**
 * Renames the function imports of `wasm` (bytes) and their keys in `glue`
 * (the JS source). Returns the new `{ wasm, glue, renamed }`; throws if a
 * name is not in the glue exactly once as a key of the import object.
 */
export function shortenImports(wasm, glue) {
  for (const { id, offset, start, end } of sections(wasm)) {
    if (id !== SECTION_IMPORT) continue;
    let [count, at] = readUleb(wasm, start);
    const entries = [];
    const renames = new Map();
    for (let i = 0; i < count; i++) {
      let module;
      let field;
      [module, at] = readName(wasm, at);
      [field, at] = readName(wasm, at);
      const kind = wasm[at];
      const descriptionEnd = skipImportDescription(wasm, kind, at + 1);
      const description = wasm.subarray(at, descriptionEnd);
      at = descriptionEnd;
      const bound = kind === IMPORT_FUNCTION && /^__wbg|^__wbindgen/.test(field);
      if (bound && !renames.has(field)) renames.set(field, shortName(renames.size));
      entries.push([module, renames.get(field) ?? field, description]);
    }
    let renamedGlue = glue;
    for (const [from, to] of renames) {
      // The name must be in the glue once, as a key of the import object
      // (`name: function` or a method `name(`), and nowhere else.
      const anywhere = new RegExp(`(?<![\\w$])${from}(?![\\w$])`, 'g');
      const key = new RegExp(`(?<![\\w$])${from}(?=\\s*[:(])`, 'g');
      const found = renamedGlue.match(anywhere)?.length ?? 0;
      const keys = renamedGlue.match(key)?.length ?? 0;
      if (found !== 1 || keys !== 1) {
        throw new Error(`wasm-imports: the glue names ${from} ${found} times, ${keys} as a key; expected once, as a key`);
      }
      renamedGlue = renamedGlue.replace(key, to);
    }
    const body = [...uleb(entries.length)];
    for (const [module, field, description] of entries) {
      body.push(...name(module), ...name(field), ...description);
    }
    const section = [SECTION_IMPORT, ...uleb(body.length), ...body];
    const out = new Uint8Array(offset + section.length + (wasm.length - end));
    out.set(wasm.subarray(0, offset), 0);
    out.set(section, offset);
    out.set(wasm.subarray(end), offset + section.length);
    return { wasm: out, glue: renamedGlue, renamed: renames.size };
  }
  return { wasm, glue, renamed: 0 };
}
