/**
 * JSON with the byte span of every value, for edits that keep every other byte of the file: key
 * order, indentation, number spellings and Python's bare `NaN` / `Infinity` / `-Infinity` (which
 * `json.dump` writes with its default `allow_nan=True`, CPython `Lib/json/encoder.py`) stay as they
 * were, because only the span of a changed value is replaced. Grammar: RFC 8259 plus those three
 * tokens. Offsets are UTF-16 indices into the decoded text; `jsonEditBytes` converts to bytes.
 */

/** A parsed JSON value with its span `[start, end)` in the text. */
export type JsonNode =
  | { readonly kind: 'object'; readonly start: number; readonly end: number; readonly entries: readonly (readonly [string, JsonNode])[] }
  | { readonly kind: 'array'; readonly start: number; readonly end: number; readonly items: readonly JsonNode[] }
  | { readonly kind: 'scalar'; readonly start: number; readonly end: number; readonly value: string | number | boolean | null };

/** Deepest nesting accepted (trainer_state.json nests 4 levels; a hostile file may nest 100,000). */
const MAX_DEPTH = 512;

/** A JSON text that cannot be read, with the character offset. */
export class JsonSpanError extends Error {
  constructor(message: string, readonly offset: number) {
    super(`${message} at character ${offset}`);
    this.name = 'JsonSpanError';
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;

/**
 * Parse `text` into nodes with spans.
 * @throws JsonSpanError on a syntax error or nesting deeper than 512
 */
export function parseJsonSpans(text: string): JsonNode {
  let i = 0;
  const ws = (): void => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t')) i++;
  };
  const str = (): string => {
    STRING.lastIndex = i;
    const m = STRING.exec(text);
    if (!m) throw new JsonSpanError('bad string', i);
    i += m[0].length;
    return JSON.parse(m[0]) as string;
  };
  const value = (depth: number): JsonNode => {
    if (depth > MAX_DEPTH) throw new JsonSpanError('nesting too deep', i);
    ws();
    const start = i;
    const c = text[i];
    if (c === '{') {
      i++;
      const entries: [string, JsonNode][] = [];
      ws();
      if (text[i] === '}') return { kind: 'object', start, end: ++i, entries };
      for (;;) {
        ws();
        const k = str();
        ws();
        if (text[i++] !== ':') throw new JsonSpanError('expected ":"', i - 1);
        entries.push([k, value(depth + 1)]);
        ws();
        const d = text[i++];
        if (d === '}') return { kind: 'object', start, end: i, entries };
        if (d !== ',') throw new JsonSpanError('expected "," or "}"', i - 1);
      }
    }
    if (c === '[') {
      i++;
      const items: JsonNode[] = [];
      ws();
      if (text[i] === ']') return { kind: 'array', start, end: ++i, items };
      for (;;) {
        items.push(value(depth + 1));
        ws();
        const d = text[i++];
        if (d === ']') return { kind: 'array', start, end: i, items };
        if (d !== ',') throw new JsonSpanError('expected "," or "]"', i - 1);
      }
    }
    if (c === '"') return { kind: 'scalar', start, value: str(), end: i };
    for (const [word, v] of [['true', true], ['false', false], ['null', null], ['NaN', NaN], ['Infinity', Infinity], ['-Infinity', -Infinity]] as const) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return { kind: 'scalar', start, end: i, value: v };
      }
    }
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text);
    if (!m) throw new JsonSpanError('unexpected character', i);
    i += m[0].length;
    return { kind: 'scalar', start, end: i, value: Number(m[0]) };
  };
  const root = value(0);
  ws();
  if (i !== text.length) throw new JsonSpanError('unexpected text after the value', i);
  return root;
}

/** The node at `path` (object keys, array indices), or undefined. With duplicate keys, the last wins (as Python's json). */
export function jsonAt(root: JsonNode, path: readonly (string | number)[]): JsonNode | undefined {
  let n: JsonNode | undefined = root;
  for (const p of path) {
    if (!n) return undefined;
    if (n.kind === 'object' && typeof p === 'string') n = [...n.entries].reverse().find(([k]) => k === p)?.[1];
    else if (n.kind === 'array' && typeof p === 'number') n = n.items[p];
    else return undefined;
  }
  return n;
}

/** The value of a scalar node at `path`, or undefined when absent or not a scalar. */
export function jsonScalarAt(root: JsonNode, path: readonly (string | number)[]): string | number | boolean | null | undefined {
  const n = jsonAt(root, path);
  return n?.kind === 'scalar' ? n.value : undefined;
}

/** Python's `json.dumps` spelling of a float (`3.0`, not `3`): `repr(float)` for whole numbers below 1e16. */
export function pythonFloatText(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
  return Number.isInteger(x) && Math.abs(x) < 1e16 ? `${x}.0` : String(x);
}

/** Python's `json.dumps` of a string (ensure_ascii=True, the default: non-ASCII as \\uXXXX). */
export function pythonStringText(s: string): string {
  return JSON.stringify(s).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Byte offsets (UTF-8) of a UTF-16 index in `text`. */
function utf8Offset(text: string, index: number): number {
  return new TextEncoder().encode(text.slice(0, index)).length;
}

/**
 * The byte edits that set each target: `[offset, offset + length)` of the original bytes replaced by
 * the UTF-8 of the new text. Everything outside the spans of the changed values is kept.
 * @throws JsonSpanError when a path is missing or names an object/array (only scalars are replaced)
 */
export function jsonEditBytes(text: string, targets: readonly { readonly path: readonly (string | number)[]; readonly text: string }[]): { offset: number; length: number; data: Uint8Array }[] {
  const root = parseJsonSpans(text);
  const enc = new TextEncoder();
  return targets.map((t) => {
    const n = jsonAt(root, t.path);
    if (!n) throw new JsonSpanError(`no value at ${t.path.join('.')}`, 0);
    if (n.kind !== 'scalar') throw new JsonSpanError(`${t.path.join('.')} is not a single value`, n.start);
    const offset = utf8Offset(text, n.start);
    return { offset, length: utf8Offset(text, n.end) - offset, data: enc.encode(t.text) };
  });
}
