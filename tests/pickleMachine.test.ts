/**
 * The pickle machine against CPython's pickler: the same value tree pickled with protocols 0-5
 * (scripts/make_pickle_corpus.py) must come back as what pickle.loads returned.
 */
import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runPickle } from '../src/core/pickle/machine';
import { pythonHooks } from '../src/core/pickle/knownCallables';
import type { PyValue } from '../src/core/pickle/values';
import { CheckpointFormatError } from '../src/core/errors';
import { OP } from '../src/core/pickle/opcodes';

const DIR = join(__dirname, '..', 'fixtures', 'pickles');
const expected = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8')) as Record<string, { protocol: number; value: unknown; size: number }>;

function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (Number.isInteger(x) && Math.abs(x) < 1e16) return `${x}.0`;
  // Python repr and JS shortest round-trip agree on digits; exponent style differs.
  return String(x).replace(/e([+-])(\d)$/, 'e$10$2').replace('e+', 'e+');
}

/** The tagged canonical form of scripts/make_pickle_corpus.py `canon`. */
function canon(v: PyValue): unknown {
  switch (v.kind) {
    case 'none': return { none: null };
    case 'bool': return { bool: v.value };
    case 'int': return { int: String(v.value) };
    case 'float': return { float: pyFloatRepr(v.value) };
    case 'complex': return { complex: [v.real, v.imag] };
    case 'str': return { str: v.value };
    case 'bytes': return { bytes: Buffer.from(v.value).toString('hex') };
    case 'tuple': return { tuple: v.items.map(canon) };
    case 'list': return { list: v.items.map(canon) };
    case 'dict': return { [v.ordered ? 'ordered' : 'dict']: v.entries.map(([k, x]) => [canon(k), canon(x)]) };
    case 'set': return { [v.frozen ? 'frozenset' : 'set']: v.items.map(canon) };
    case 'numpy-scalar': {
      const x = v.value;
      const inner: PyValue = typeof x === 'boolean' ? { kind: 'bool', value: x } : typeof x === 'bigint' || (v.dtype.startsWith('int') || v.dtype.startsWith('uint')) ? { kind: 'int', value: x as number } : { kind: 'float', value: x as number };
      return { numpy: v.dtype, value: canon(inner) };
    }
    case 'object':
      return {
        object: v.callee ? `${v.callee.module}.${v.callee.name}` : '?',
        dictItems: (v.dictItems ?? []).map(([k, x]) => [canon(k), canon(x)]),
        state: v.state ? canon(v.state) : undefined,
      };
    default: return { unexpected: v.kind };
  }
}

describe('pickle machine vs CPython pickle, protocols 0-5', () => {
  for (const [name, exp] of Object.entries(expected)) {
    test(name, () => {
      const bytes = new Uint8Array(readFileSync(join(DIR, name)));
      expect(bytes.length).toBe(exp.size);
      const r = runPickle(bytes, { file: name, hooks: pythonHooks });
      // protocols 0 and 1 have no PROTO opcode: inferred from the opcodes used
      expect(r.protocol).toBe(exp.protocol);
      expect(r.end).toBe(bytes.length);
      expect(canon(r.value)).toEqual(exp.value);
    });
  }

  test('every int keeps the span of the opcode that produced it', () => {
    const bytes = new Uint8Array(readFileSync(join(DIR, 'protocol2.pkl')));
    const r = runPickle(bytes, { file: 'p2', hooks: pythonHooks });
    const ints = (r.value.kind === 'dict' ? r.value.entries.find(([k]) => k.kind === 'str' && k.value === 'ints')![1] : undefined) as PyValue & { kind: 'list' };
    const v255 = ints.items[2];
    expect(v255.span?.length).toBe(2);
    expect(bytes[v255.span!.offset]).toBe(OP.BININT1);
    expect(bytes[v255.span!.offset + 1]).toBe(255);
    const v65536 = ints.items[5];
    expect(bytes[v65536.span!.offset]).toBe(OP.BININT);
    expect(v65536.span?.length).toBe(5);
  });
});

describe('pickle machine errors are typed', () => {
  const cases: [string, number[], string][] = [
    ['empty stack at STOP', [0x80, 2, OP.STOP], 'bad-pickle'],
    ['unknown opcode', [0x80, 2, 0xff], 'unknown-opcode'],
    ['protocol 6', [0x80, 6, OP.NONE, OP.STOP], 'unsupported-protocol'],
    ['truncated BININT', [0x80, 2, OP.BININT, 1, 2], 'truncated'],
    ['missing memo key', [0x80, 2, OP.BINGET, 9, OP.STOP], 'bad-pickle'],
    ['BINUNICODE length past the end', [0x80, 2, OP.BINUNICODE, 0xff, 0xff, 0xff, 0x7f, 0x41, OP.STOP], 'truncated'],
    ['APPEND to an int', [0x80, 2, OP.BININT1, 1, OP.BININT1, 2, OP.APPEND, OP.STOP], 'bad-pickle'],
  ];
  for (const [label, bytes, code] of cases) {
    test(label, () => {
      let err: unknown;
      try {
        runPickle(Uint8Array.from(bytes), { file: 'x.pkl' });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(CheckpointFormatError);
      expect((err as CheckpointFormatError).code).toBe(code);
      expect((err as CheckpointFormatError).file).toBe('x.pkl');
    });
  }

  test('the time limit ends a slow pickle with a typed error', () => {
    const n = 400_000;
    const body = new Uint8Array(2 + 2 * n + 2);
    body.set([0x80, 2]);
    for (let i = 0; i < n; i++) body.set([OP.NONE, OP.POP], 2 + 2 * i);
    body.set([OP.NONE, OP.STOP], 2 + 2 * n);
    let err: unknown;
    try {
      runPickle(body, { file: 'slow.pkl', limits: { maxMillis: 0 } });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CheckpointFormatError);
    expect((err as CheckpointFormatError).code).toBe('limit-exceeded');
    expect((err as CheckpointFormatError).message).toMatch(/took longer than 0 s/);
    // the same pickle within the default limit parses
    expect(runPickle(body, { file: 'slow.pkl' }).value.kind).toBe('none');
  });

  test('opcode limit ends a runaway pickle', () => {
    const body = new Array(1000).fill(OP.NONE);
    expect(() => runPickle(Uint8Array.from([0x80, 2, ...body, OP.STOP]), { file: 'x', limits: { maxOpcodes: 100 } })).toThrow(/more than 100 opcodes/);
  });
});
