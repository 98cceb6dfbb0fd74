// Reading and writing the parts of the wasm binary format that the release
// build's wasm steps need (wasm-imports.mjs, wasm-order.mjs).

export const SECTION_CUSTOM = 0;
export const SECTION_IMPORT = 2;
export const SECTION_CODE = 10;
export const IMPORT_FUNCTION = 0;

/** The unsigned LEB128 number at `offset`, and the offset after it. */
export function readUleb(bytes, offset) {
  let value = 0;
  let shift = 0;
  let byte;
  do {
    byte = bytes[offset++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
  } while (byte & 0x80);
  return [value, offset];
}

/** `value` as unsigned LEB128 bytes. */
export function uleb(value) {
  const out = [];
  do {
    let byte = value % 128;
    value = Math.floor(value / 128);
    if (value > 0) byte |= 0x80;
    out.push(byte);
  } while (value > 0);
  return out;
}

/** The name (length-prefixed UTF-8) at `offset`, and the offset after it. */
export function readName(bytes, offset) {
  const [length, start] = readUleb(bytes, offset);
  const end = start + length;
  return [new TextDecoder().decode(bytes.subarray(start, end)), end];
}

/** `text` as a length-prefixed UTF-8 name. */
export function name(text) {
  const encoded = new TextEncoder().encode(text);
  return [...uleb(encoded.length), ...encoded];
}

/**
 * The end of an import's description (after its kind byte), by kind:
 * function, table, memory, global, tag.
 */
export function skipImportDescription(bytes, kind, offset) {
  const limits = (at) => {
    const flags = bytes[at];
    let [, next] = readUleb(bytes, at + 1);
    if (flags & 1) [, next] = readUleb(bytes, next);
    return next;
  };
  switch (kind) {
    case 0:
      return readUleb(bytes, offset)[1];
    case 1:
      return limits(offset + 1);
    case 2:
      return limits(offset);
    case 3:
      return offset + 2;
    case 4:
      return readUleb(bytes, offset + 1)[1];
    default:
      throw new Error(`wasm: unknown import kind ${kind}`);
  }
}

/**
 * Each section of `wasm` as `{ id, offset, start, end }`: where its id byte
 * is, and where its content begins and ends. Throws on a file that is not wasm.
 */
export function* sections(wasm) {
  if (new TextDecoder().decode(wasm.subarray(1, 4)) !== 'asm') {
    throw new Error('wasm: not a wasm module');
  }
  let offset = 8;
  while (offset < wasm.length) {
    const id = wasm[offset];
    const [size, start] = readUleb(wasm, offset + 1);
    const end = start + size;
    yield { id, offset, start, end };
    offset = end;
  }
}
