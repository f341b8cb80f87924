/**
 * Fuzz support: a seeded PRNG and structure-aware mutators for the fixture formats (torch zip,
 * legacy torch / bare pickle streams, safetensors, TFRecord event files, JSON). Everything is
 * deterministic for a given seed. Seeds are read from `fixtures/` and never loaded with Python.
 */
import { bytesSource } from '../../src/core/bytes/byteSource';
import { setU16, setU32, setU64, u16, u32, u64 } from '../../src/core/bytes/binary';
import { OP } from '../../src/core/pickle/opcodes';
import { relayoutZip } from '../../src/core/repair/zipRelayout';
import { segmentsSource } from '../../src/core/repair/segments';
import { maskedCrc32c } from '../../src/core/tensorboard/crc32c';
import { loadTorchFile } from '../../src/core/torch/loadTorchFile';
import type { TorchZipLayout } from '../../src/core/torch/torchFile';
import { crc32 } from '../../src/core/zip/crc32';
import { readZipIndex } from '../../src/core/zip/zipReader';

// ---------------------------------------------------------------------------------------------
// PRNG

/** mulberry32: a tiny, fast, well-mixed 32-bit PRNG (Tommy Ettinger). Returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Helpers over a PRNG. */
export class Rng {
  constructor(readonly next: () => number) {}
  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  /** Integer in [lo, hi]. */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  byte(): number {
    return this.int(256);
  }
  /** Log-uniform integer in [1, max]: small values often, large ones sometimes. */
  logInt(max: number): number {
    return Math.max(1, Math.min(max, Math.floor(Math.exp(this.next() * Math.log(max + 1)))));
  }
}

// ---------------------------------------------------------------------------------------------
// Seed structure

/** A fixed-width integer field of a container, for targeted length-field changes. */
export interface Field {
  readonly at: number;
  readonly size: 1 | 2 | 4 | 8;
  readonly what: 'length' | 'count' | 'offset' | 'method' | 'flags' | 'crc' | 'memo' | 'protocol';
  readonly label: string;
}

/** One opcode of a pickle stream, found by a pickletools-style scan (no execution). */
export interface PickleOp {
  readonly offset: number;
  readonly op: number;
  /** Offset just after the opcode and its argument. */
  readonly end: number;
}

export type SeedKind = 'torch' | 'pickle' | 'safetensors' | 'tfevents' | 'json' | 'archive';

/** A fixture file with what the mutators know about its structure. */
export interface Seed {
  readonly name: string;
  readonly kind: SeedKind;
  readonly bytes: Uint8Array;
  /** Integer fields worth changing (zip records, pickle length/memo arguments, header lengths). */
  readonly fields: Field[];
  /** Pickle opcodes (file offsets), for opcode-boundary insertions and opcode swaps. */
  readonly ops: PickleOp[];
  /** Zip torch files: the data.pkl layout, so data.pkl can be rewritten and the zip re-laid. */
  readonly zip?: { layout: TorchZipLayout; dataOffset: number; dataLength: number; pickleOps: PickleOp[] };
  /** TFRecord files: the record payloads in order. */
  readonly records?: Uint8Array[];
}

/** Argument shape of each opcode (pickletools `opcodes` table). */
function argShape(op: number): { fixed?: number; lenSize?: 1 | 4 | 8; lines?: number; memo?: 1 | 4 } | undefined {
  switch (op) {
    case OP.PROTO:
    case OP.BININT1:
    case OP.EXT1:
      return { fixed: 1 };
    case OP.BINGET:
    case OP.BINPUT:
      return { fixed: 1, memo: 1 };
    case OP.BININT2:
    case OP.EXT2:
      return { fixed: 2 };
    case OP.BININT:
    case OP.EXT4:
      return { fixed: 4 };
    case OP.LONG_BINGET:
    case OP.LONG_BINPUT:
      return { fixed: 4, memo: 4 };
    case OP.BINFLOAT:
    case OP.FRAME:
      return { fixed: 8 };
    case OP.LONG1:
    case OP.SHORT_BINSTRING:
    case OP.SHORT_BINUNICODE:
    case OP.SHORT_BINBYTES:
      return { lenSize: 1 };
    case OP.LONG4:
    case OP.BINSTRING:
    case OP.BINUNICODE:
    case OP.BINBYTES:
      return { lenSize: 4 };
    case OP.BINUNICODE8:
    case OP.BINBYTES8:
    case OP.BYTEARRAY8:
      return { lenSize: 8 };
    case OP.INT:
    case OP.LONG:
    case OP.FLOAT:
    case OP.STRING:
    case OP.UNICODE:
    case OP.GET:
    case OP.PUT:
    case OP.PERSID:
      return { lines: 1 };
    case OP.GLOBAL:
    case OP.INST:
      return { lines: 2 };
    default:
      return Object.values(OP).includes(op as never) ? {} : undefined;
  }
}

/**
 * Scan pickle opcodes from `start` (pickletools.genops without decoding), up to `maxStops` STOP
 * opcodes; `base` is added to every offset. Stops quietly at an unknown opcode or the end.
 */
export function scanPickle(bytes: Uint8Array, start: number, maxStops: number, base = 0): { ops: PickleOp[]; fields: Field[] } {
  const ops: PickleOp[] = [];
  const fields: Field[] = [];
  let p = start;
  let stops = 0;
  while (p < bytes.length && stops < maxStops) {
    const op = bytes[p];
    const shape = argShape(op);
    if (!shape) break;
    let q = p + 1;
    if (shape.fixed) {
      if (op === OP.FRAME) fields.push({ at: base + q, size: 8, what: 'length', label: 'FRAME length' });
      if (op === OP.PROTO) fields.push({ at: base + q, size: 1, what: 'protocol', label: 'PROTO' });
      if (shape.memo) fields.push({ at: base + q, size: shape.memo, what: 'memo', label: `memo index of 0x${op.toString(16)}` });
      q += shape.fixed;
    } else if (shape.lenSize) {
      if (q + shape.lenSize > bytes.length) break;
      const n = shape.lenSize === 1 ? bytes[q] : shape.lenSize === 4 ? u32(bytes, q) : u64(bytes, q);
      fields.push({ at: base + q, size: shape.lenSize, what: 'length', label: `length of opcode 0x${op.toString(16)}` });
      q += shape.lenSize + n;
    } else if (shape.lines) {
      for (let i = 0; i < shape.lines; i++) {
        const nl = bytes.indexOf(0x0a, q);
        if (nl < 0) return { ops, fields };
        q = nl + 1;
      }
    }
    if (q > bytes.length) break;
    ops.push({ offset: base + p, op, end: base + q });
    if (op === OP.STOP) stops++;
    p = q;
  }
  return { ops, fields };
}

function zipFields(bytes: Uint8Array, eocd: number, central: number[], locals: number[]): Field[] {
  const f: Field[] = [
    { at: eocd + 8, size: 2, what: 'count', label: 'EOCD entries on disk' },
    { at: eocd + 10, size: 2, what: 'count', label: 'EOCD total entries' },
    { at: eocd + 12, size: 4, what: 'length', label: 'EOCD central directory size' },
    { at: eocd + 16, size: 4, what: 'offset', label: 'EOCD central directory offset' },
    { at: eocd + 20, size: 2, what: 'length', label: 'EOCD comment length' },
  ];
  for (const c of central) {
    f.push(
      { at: c + 8, size: 2, what: 'flags', label: 'CD flags' },
      { at: c + 10, size: 2, what: 'method', label: 'CD method' },
      { at: c + 16, size: 4, what: 'crc', label: 'CD crc' },
      { at: c + 20, size: 4, what: 'length', label: 'CD compressed size' },
      { at: c + 24, size: 4, what: 'length', label: 'CD uncompressed size' },
      { at: c + 28, size: 2, what: 'length', label: 'CD name length' },
      { at: c + 30, size: 2, what: 'length', label: 'CD extra length' },
      { at: c + 32, size: 2, what: 'length', label: 'CD comment length' },
      { at: c + 42, size: 4, what: 'offset', label: 'CD local header offset' },
    );
  }
  for (const l of locals) {
    f.push(
      { at: l + 6, size: 2, what: 'flags', label: 'LH flags' },
      { at: l + 8, size: 2, what: 'method', label: 'LH method' },
      { at: l + 14, size: 4, what: 'crc', label: 'LH crc' },
      { at: l + 18, size: 4, what: 'length', label: 'LH compressed size' },
      { at: l + 22, size: 4, what: 'length', label: 'LH uncompressed size' },
      { at: l + 26, size: 2, what: 'length', label: 'LH name length' },
      { at: l + 28, size: 2, what: 'length', label: 'LH extra length' },
    );
  }
  return f.filter((x) => x.at + x.size <= bytes.length);
}

/** Analyse a fixture file into a {@link Seed}. */
export async function makeSeed(name: string, kind: SeedKind, bytes: Uint8Array): Promise<Seed> {
  if (kind === 'torch' && u32(bytes, 0) === 0x04034b50) {
    const src = bytesSource(bytes, name);
    const tf = await loadTorchFile(src);
    const layout = tf.zip!;
    const idx = await readZipIndex(src);
    const locals = idx.entries.map((e) => e.localHeaderOffset);
    const fields = zipFields(bytes, idx.eocdOffset, idx.entries.map((e) => e.centralHeaderOffset), locals);
    const pickle = scanPickle(tf.mainBytes, 0, 2, layout.dataPklOffset);
    const local = scanPickle(tf.mainBytes, 0, 2, 0);
    return {
      name,
      kind,
      bytes,
      fields: [...fields, ...pickle.fields],
      ops: pickle.ops,
      zip: { layout, dataOffset: layout.dataPklOffset, dataLength: layout.dataPkl.compressedSize, pickleOps: local.ops },
    };
  }
  if (kind === 'archive') {
    const idx = await readZipIndex(bytesSource(bytes, name));
    const fields = zipFields(bytes, idx.eocdOffset, idx.entries.map((e) => e.centralHeaderOffset), idx.entries.map((e) => e.localHeaderOffset));
    return { name, kind, bytes, fields, ops: [] };
  }
  if (kind === 'torch' || kind === 'pickle') {
    const { ops, fields } = scanPickle(bytes, 0, 5);
    return { name, kind, bytes, fields, ops };
  }
  if (kind === 'safetensors') {
    return { name, kind, bytes, fields: [{ at: 0, size: 8, what: 'length', label: 'safetensors header length' }], ops: [] };
  }
  if (kind === 'tfevents') {
    const records: Uint8Array[] = [];
    const fields: Field[] = [];
    let o = 0;
    while (o + 12 <= bytes.length) {
      const n = u64(bytes, o);
      fields.push({ at: o, size: 8, what: 'length', label: 'TFRecord length' });
      records.push(bytes.slice(o + 12, o + 12 + n));
      o += 16 + n;
    }
    return { name, kind, bytes, fields, ops: [], records };
  }
  return { name, kind, bytes, fields: [], ops: [] };
}

/**
 * A variant of a zip torch seed whose data.pkl is stored with DEFLATE (method 8), as a zip tool
 * that recompresses archives writes it: exercises the inflate path and its errors.
 */
export async function deflatedVariant(seed: Seed): Promise<Seed> {
  const z = seed.zip!;
  const plain = seed.bytes.subarray(z.dataOffset, z.dataOffset + z.dataLength);
  const deflated = await deflateRaw(plain);
  const bytes = await rezip(seed, deflated);
  const src = bytesSource(bytes, seed.name);
  const idx = await readZipIndex(src);
  const entry = idx.entries.find((e) => e.name === z.layout.dataPkl.name)!;
  const local = entry.localHeaderOffset;
  setU16(bytes, local + 8, 8);
  setU32(bytes, local + 14, crc32(plain));
  setU32(bytes, local + 22, plain.length);
  setU16(bytes, entry.centralHeaderOffset + 10, 8);
  setU32(bytes, entry.centralHeaderOffset + 16, crc32(plain));
  setU32(bytes, entry.centralHeaderOffset + 24, plain.length);
  const fields = zipFields(bytes, idx.eocdOffset, idx.entries.map((e) => e.centralHeaderOffset), idx.entries.map((e) => e.localHeaderOffset));
  return { name: `${seed.name} (deflated)`, kind: 'torch', bytes, fields, ops: [] };
}

/** Raw DEFLATE with the platform's CompressionStream. */
export async function deflateRaw(data: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([data as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** The seed's archive with data.pkl replaced by `data` (sizes, CRC, offsets and alignment redone by the core's re-layout). */
export async function rezip(seed: Seed, data: Uint8Array): Promise<Uint8Array> {
  const src = bytesSource(seed.bytes, seed.name);
  const { segments } = await relayoutZip(src, seed.zip!.layout, data);
  const out = segmentsSource(src, segments);
  return new Uint8Array(await out.read(0, out.size));
}

// ---------------------------------------------------------------------------------------------
// Mutators

/** Interesting values for a field of `size` bytes whose current value is `v`. */
function fieldValue(rng: Rng, f: Field, v: number, fileSize: number): number | 'all-ff' {
  const max = f.size === 8 ? Number.MAX_SAFE_INTEGER : 2 ** (8 * f.size) - 1;
  const choices: (() => number | 'all-ff')[] = [
    () => 0,
    () => 1,
    () => Math.max(0, v - 1),
    () => Math.min(max, v + 1),
    () => Math.max(0, v - rng.range(2, 64)),
    () => Math.min(max, v + rng.range(2, 64)),
    () => Math.min(max, v * 2),
    () => Math.floor(v / 2),
    () => max,
    () => 'all-ff',
    () => Math.min(max, 2 ** (8 * Math.min(f.size, 4) - 1)),
    () => Math.min(max, 2 ** (8 * Math.min(f.size, 4) - 1) - 1),
    () => Math.min(max, fileSize),
    () => Math.min(max, fileSize + rng.range(1, 100)),
    () => Math.min(max, Math.max(0, fileSize - f.at)),
    () => rng.int(Math.min(max, 2 ** 31) + 1),
    () => rng.logInt(Math.min(max, 2 ** 40)),
  ];
  if (f.size === 8) choices.push(() => 2 ** 40, () => 2 ** 53 - 1, () => 2 ** 52);
  if (f.what === 'method') choices.push(() => 8, () => 8, () => 12, () => 14, () => 93, () => rng.int(20));
  if (f.what === 'flags') choices.push(() => v ^ (1 << rng.int(16)), () => v | 0x8, () => v | 0x1, () => v ^ 0x800);
  if (f.what === 'protocol') choices.push(() => rng.int(8), () => 5, () => 6, () => 0);
  if (f.what === 'memo') choices.push(() => rng.int(64), () => v + 1, () => v - 1);
  return rng.pick(choices)();
}

function writeField(b: Uint8Array, f: Field, v: number | 'all-ff'): void {
  if (v === 'all-ff') {
    b.fill(0xff, f.at, f.at + f.size);
    return;
  }
  if (f.size === 1) b[f.at] = v & 0xff;
  else if (f.size === 2) setU16(b, f.at, v & 0xffff);
  else if (f.size === 4) setU32(b, f.at, v >>> 0);
  else setU64(b, f.at, v);
}

function readField(b: Uint8Array, f: Field): number {
  return f.size === 1 ? b[f.at] : f.size === 2 ? u16(b, f.at) : f.size === 4 ? u32(b, f.at) : u64(b, f.at);
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) out.set(p, o), (o += p.length);
  return out;
}

/** A byte array of `n` copies of the byte string `unit`. */
function repeat(unit: number[], n: number): Uint8Array {
  const out = new Uint8Array(unit.length * n);
  for (let i = 0; i < n; i++) out.set(unit, i * unit.length);
  return out;
}

/** Short pickle snippets that stress the machine's limits when inserted at an opcode boundary. */
function pickleSnippet(rng: Rng): { bytes: Uint8Array; label: string } {
  const n = rng.logInt(rng.chance(0.2) ? 120_000 : 2_000);
  const ascii = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));
  const big = rng.logInt(300_000);
  switch (rng.int(14)) {
    case 12: // one ADDITEMS / APPENDS with a very large batch (CPython writes batches of 1,000)
      return rng.chance(0.5)
        ? { bytes: concat(Uint8Array.of(OP.EMPTY_SET, OP.MARK), repeat([OP.NONE], big), Uint8Array.of(OP.ADDITEMS)), label: `ADDITEMS of ${big}` }
        : { bytes: concat(Uint8Array.from(ascii('cfoo\nBar\n')), Uint8Array.of(OP.EMPTY_TUPLE, OP.NEWOBJ, OP.MARK), repeat([OP.NONE], big), Uint8Array.of(OP.APPENDS)), label: `object APPENDS of ${big}` };
    case 13: // many imports (one safety finding each)
      return { bytes: repeat([...ascii('cbuiltins\nlen\n'), OP.POP], rng.logInt(200_000)), label: 'many GLOBALs' };
    case 0: // deeply nested list: ]]]...] aaa...a
      return { bytes: concat(repeat([OP.EMPTY_LIST], n), repeat([OP.APPEND], n - 1)), label: `nested list depth ${n}` };
    case 1: // deeply nested dicts: {7: {7: {...}}}
      return { bytes: concat(Uint8Array.of(OP.EMPTY_DICT), repeat([OP.BININT1, 7, OP.EMPTY_DICT], n), repeat([OP.SETITEM], n)), label: `nested dict depth ${n}` };
    case 2: // MARK nesting
      return { bytes: concat(repeat([OP.MARK], n), repeat([OP.TUPLE], n)), label: `MARK/TUPLE nesting ${n}` };
    case 3: // memo growth
      return { bytes: concat(Uint8Array.of(OP.NONE), repeat([OP.MEMOIZE], n)), label: `MEMOIZE x${n}` };
    case 4: // shared sub-tree fan-out (billion laughs): d0 = [], d_{i+1} = [d_i]*k via memo
      return { bytes: laughs(rng.range(2, 30), rng.range(2, 14)), label: 'memo fan-out' };
    case 5: // a stack of values then a giant tuple
      return { bytes: concat(Uint8Array.of(OP.MARK), repeat([OP.NONE], n), Uint8Array.of(OP.TUPLE)), label: `tuple of ${n}` };
    case 6: // big LONG4
      return { bytes: concat(Uint8Array.of(OP.LONG4), u32le(n), repeat([0x7f], n)), label: `LONG4 of ${n} bytes` };
    case 7: // a dangerous global called
      return { bytes: Uint8Array.from([...ascii('cposix\nsystem\n'), OP.SHORT_BINUNICODE, 2, 0x69, 0x64, OP.TUPLE1, OP.REDUCE]), label: 'posix.system call' };
    case 8: // nested pickle.loads of a small pickle
      return {
        bytes: Uint8Array.from([...ascii('c_pickle\nloads\n'), OP.SHORT_BINBYTES, 5, OP.PROTO, 2, OP.EMPTY_LIST, OP.STOP, 0x2e, OP.TUPLE1, OP.REDUCE]),
        label: 'pickle.loads',
      };
    case 9: // DUP spam
      return { bytes: concat(Uint8Array.of(OP.EMPTY_DICT), repeat([OP.DUP], n)), label: `DUP x${n}` };
    case 10: // text INT with many digits
      return { bytes: Uint8Array.from([OP.INT, ...repeat([0x39], n), 0x0a]), label: `INT of ${n} digits` };
    default: // random opcodes with random small args
      return { bytes: Uint8Array.from({ length: rng.range(1, 24) }, () => rng.pick(Object.values(OP) as number[])), label: 'random opcodes' };
  }
}

function u32le(n: number): Uint8Array {
  const b = new Uint8Array(4);
  setU32(b, 0, n);
  return b;
}

/** `levels` lists, each holding `fan` references (BINGET) to the previous one. */
function laughs(fan: number, levels: number): Uint8Array {
  const out: number[] = [OP.EMPTY_LIST, OP.BINPUT, 0];
  for (let l = 1; l <= levels; l++) {
    out.push(OP.POP, OP.MARK);
    for (let i = 0; i < fan; i++) out.push(OP.BINGET, l - 1);
    out.push(OP.LIST, OP.BINPUT, l);
  }
  return Uint8Array.from(out);
}

/** A mutation result with a description of what was done (for failure reports). */
export interface Mutant {
  readonly bytes: Uint8Array;
  readonly steps: string[];
}

/** Generic byte-level mutation of `b` (may return a new array of another length). */
export function byteMutation(rng: Rng, b: Uint8Array, donors: readonly Seed[], lo = 0, hi = b.length): { bytes: Uint8Array; step: string } {
  if (hi <= lo) return { bytes: b, step: 'no-op (empty range)' };
  const at = rng.range(lo, hi - 1);
  switch (rng.int(11)) {
    case 0: {
      const out = b.slice();
      const bit = rng.int(8);
      out[at] ^= 1 << bit;
      return { bytes: out, step: `flip bit ${bit} at ${at}` };
    }
    case 1: {
      const out = b.slice();
      const k = rng.range(2, 16);
      for (let i = 0; i < k; i++) out[rng.range(lo, hi - 1)] ^= 1 << rng.int(8);
      return { bytes: out, step: `flip ${k} bits in [${lo}, ${hi})` };
    }
    case 2: {
      const out = b.slice();
      const v = rng.pick([0x00, 0xff, rng.byte()]);
      const n = rng.chance(0.7) ? 1 : rng.range(2, 32);
      out.fill(v, at, Math.min(hi, at + n));
      return { bytes: out, step: `set ${n} bytes at ${at} to 0x${v.toString(16)}` };
    }
    case 3:
    case 4: {
      const cut = rng.chance(0.5) ? at : rng.int(b.length + 1);
      return { bytes: b.slice(0, cut), step: `truncate at ${cut}` };
    }
    case 5: {
      const donor = rng.pick(donors).bytes;
      const from = rng.int(Math.max(1, donor.length));
      const n = rng.logInt(Math.max(1, Math.min(4096, donor.length - from)));
      const chunk = donor.subarray(from, from + n);
      const replace = rng.chance(0.5);
      const out = replace ? concat(b.subarray(0, at), chunk, b.subarray(Math.min(b.length, at + chunk.length))) : concat(b.subarray(0, at), chunk, b.subarray(at));
      return { bytes: out, step: `${replace ? 'overwrite' : 'insert'} ${chunk.length} donor bytes at ${at}` };
    }
    case 6: {
      const n = rng.logInt(Math.max(1, Math.min(2048, hi - at)));
      const times = rng.chance(0.9) ? 1 : rng.logInt(64);
      const chunk = b.subarray(at, at + n);
      return { bytes: concat(b.subarray(0, at + n), repeat([...chunk], times), b.subarray(at + n)), step: `duplicate ${n} bytes at ${at} x${times}` };
    }
    case 7: {
      const n = rng.logInt(Math.max(1, Math.min(2048, hi - at)));
      return { bytes: concat(b.subarray(0, at), b.subarray(at + n)), step: `remove ${n} bytes at ${at}` };
    }
    case 8: {
      const n = rng.logInt(64);
      const junk = Uint8Array.from({ length: n }, () => rng.byte());
      return { bytes: concat(b.subarray(0, at), junk, b.subarray(at)), step: `insert ${n} random bytes at ${at}` };
    }
    case 9: {
      const out = b.slice();
      const to = rng.range(lo, hi - 1);
      const n = rng.logInt(Math.max(1, Math.min(256, hi - Math.max(at, to))));
      out.copyWithin(to, at, at + n);
      return { bytes: out, step: `move ${n} bytes from ${at} to ${to}` };
    }
    default: {
      const out = b.slice();
      out[at] = rng.pick([0x00, 0xff, 0x7f, 0x80, rng.byte()]);
      return { bytes: out, step: `set byte ${at} to 0x${out[at].toString(16)}` };
    }
  }
}

/** Set one structural field of the seed (zip record, pickle length/memo argument, header length). */
export function fieldMutation(rng: Rng, seed: Seed, b: Uint8Array): { bytes: Uint8Array; step: string } {
  const fields = seed.fields.filter((f) => f.at + f.size <= b.length);
  if (!fields.length) return { bytes: b, step: 'no field' };
  const f = rng.pick(fields);
  const out = b.slice();
  const before = readField(out, f);
  const v = fieldValue(rng, f, before, b.length);
  writeField(out, f, v);
  return { bytes: out, step: `${f.label} at ${f.at}: ${before} -> ${v}` };
}

/** Change one opcode byte of a pickle region into another opcode. */
function opcodeSwap(rng: Rng, ops: readonly PickleOp[], b: Uint8Array): { bytes: Uint8Array; step: string } {
  if (!ops.length) return { bytes: b, step: 'no ops' };
  const o = rng.pick(ops);
  const out = b.slice();
  const to = rng.pick(Object.values(OP) as number[]);
  out[o.offset] = to;
  return { bytes: out, step: `opcode at ${o.offset}: 0x${o.op.toString(16)} -> 0x${to.toString(16)}` };
}

/** Insert a stress snippet, remove or duplicate whole opcodes, at opcode boundaries. */
function opcodeEdit(rng: Rng, ops: readonly PickleOp[], b: Uint8Array): { bytes: Uint8Array; step: string } {
  if (!ops.length) return { bytes: b, step: 'no ops' };
  const o = rng.pick(ops);
  switch (rng.int(3)) {
    case 0: {
      const s = pickleSnippet(rng);
      return { bytes: concat(b.subarray(0, o.offset), s.bytes, b.subarray(o.offset)), step: `insert ${s.label} at ${o.offset}` };
    }
    case 1:
      return { bytes: concat(b.subarray(0, o.offset), b.subarray(o.end)), step: `remove opcode 0x${o.op.toString(16)} at ${o.offset}` };
    default: {
      const other = rng.pick(ops);
      return { bytes: concat(b.subarray(0, o.offset), b.subarray(other.offset, other.end), b.subarray(o.offset)), step: `copy opcode at ${other.offset} to ${o.offset}` };
    }
  }
}

/** Rewrite the bytes of a pickle region `[lo, hi)` of `b` with one pickle-aware or byte mutation. */
function pickleRegionMutation(rng: Rng, seed: Seed, ops: readonly PickleOp[], b: Uint8Array, donors: readonly Seed[]): { bytes: Uint8Array; step: string } {
  const r = rng.int(10);
  if (r < 3) return opcodeEdit(rng, ops, b);
  if (r < 5) return opcodeSwap(rng, ops, b);
  if (r < 8) {
    const { fields } = scanPickle(b, ops.length ? ops[0].offset : 0, 5);
    return fieldMutation(rng, { ...seed, fields }, b);
  }
  return byteMutation(rng, b, donors);
}

/** Replace one JSON number or literal by another value, keeping the text parseable (JSON5). */
function jsonValueSwap(rng: Rng, b: Uint8Array): { bytes: Uint8Array; step: string } {
  const text = new TextDecoder().decode(b);
  const tokens = [...text.matchAll(/-?\d+(\.\d+)?([eE][+-]?\d+)?|NaN|-?Infinity|true|false|null/g)];
  if (!tokens.length) return jsonMutation(rng, b);
  const t = rng.pick(tokens);
  const n = rng.logInt(rng.chance(0.05) ? 100_000 : 8);
  const by = rng.pick(['NaN', 'Infinity', '-Infinity', '0', '-1', '1e308', '1e400', '5e-324', '9007199254740993', 'null', 'true', '"x"', '[]', '{}', '[1, 2]', '{"a": {}}', '-0', '0.5', '['.repeat(n) + ']'.repeat(n)]);
  const at = t.index ?? 0;
  return { bytes: new TextEncoder().encode(text.slice(0, at) + by + text.slice(at + t[0].length)), step: `json: value ${t[0]} at ${at} -> ${by.slice(0, 24)}${by.length > 24 ? `… (${by.length})` : ''}` };
}

/** JSON text mutations: tokens Python and hostile writers produce. */
function jsonMutation(rng: Rng, b: Uint8Array): { bytes: Uint8Array; step: string } {
  const text = new TextDecoder().decode(b);
  const at = rng.int(text.length + 1);
  const n = rng.logInt(rng.chance(0.1) ? 200_000 : 64);
  const token = rng.pick([
    'NaN', 'Infinity', '-Infinity', 'null', '[', ']', '{', '}', '"', ',', ':', '1e309', '-0', '0x10', '// c\n', '\u00e9', '\ud800',
    '[' .repeat(n) + ']'.repeat(n), '{"a":'.repeat(n) + '1' + '}'.repeat(n), '"global_step": 1e400,', '"global_step": -5,',
    '"log_history": 7,', '"max_steps": 0, "num_train_epochs": 0,', '"epoch": NaN,', `"x": "${'a'.repeat(n)}",`,
  ]);
  const replace = rng.chance(0.4) ? rng.logInt(16) : 0;
  const out = text.slice(0, at) + token + text.slice(at + replace);
  return { bytes: new TextEncoder().encode(out), step: `json: ${replace ? `replace ${replace} chars` : 'insert'} ${JSON.stringify(token.slice(0, 24))}${token.length > 24 ? `… (${token.length})` : ''} at ${at}` };
}

/** Model-based safetensors mutation: change the header JSON, then write a consistent length. */
function safetensorsHeaderMutation(rng: Rng, b: Uint8Array): { bytes: Uint8Array; step: string } {
  const n = u64(b, 0);
  const header = JSON.parse(new TextDecoder().decode(b.subarray(8, 8 + n))) as Record<string, unknown>;
  const names = Object.keys(header);
  const name = rng.pick(names);
  const weird = (): unknown =>
    rng.pick<unknown>([null, 0, -1, 1.5, 'F32', [], {}, [1, 2, 3], [-1], [2 ** 60], [1e308, 1e308], ['a', 'b'], true, [0, 2 ** 53], 'x'.repeat(rng.logInt(1000)), { toString: 1 }, { valueOf: 'x', toString: [] }, [[[]]]]);
  let step: string;
  if (rng.chance(0.3)) {
    header[name] = weird();
    step = `safetensors: ${name} = ${JSON.stringify(header[name])?.slice(0, 40)}`;
  } else if (header[name] && typeof header[name] === 'object') {
    const entry = header[name] as Record<string, unknown>;
    const key = rng.pick(['dtype', 'shape', 'data_offsets', 'extra']);
    if (rng.chance(0.2)) delete entry[key];
    else entry[key] = weird();
    step = `safetensors: ${name}.${key} = ${JSON.stringify(entry[key])?.slice(0, 40)}`;
  } else {
    header[`t${rng.int(100)}`] = { dtype: 'F32', shape: [rng.logInt(1e9)], data_offsets: [0, rng.logInt(1e9)] };
    step = 'safetensors: extra tensor';
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const len = new Uint8Array(8);
  setU64(len, 0, json.length);
  return { bytes: concat(len, json, b.subarray(8 + n)), step };
}

/** Re-serialise TFRecord records with valid CRCs (optionally keeping a wrong one). */
function tfrecords(records: readonly Uint8Array[], lengthOverride?: { index: number; length: number }): Uint8Array {
  const parts: Uint8Array[] = [];
  records.forEach((data, i) => {
    const head = new Uint8Array(12);
    setU64(head, 0, lengthOverride?.index === i ? lengthOverride.length : data.length);
    setU32(head, 8, maskedCrc32c(head.subarray(0, 8)));
    const foot = new Uint8Array(4);
    setU32(foot, 0, maskedCrc32c(data));
    parts.push(head, data, foot);
  });
  return concat(...parts);
}

/** Mutate a TFRecord payload (protobuf Event) and re-frame with valid checksums. */
function tfeventsMutation(rng: Rng, seed: Seed, donors: readonly Seed[]): { bytes: Uint8Array; step: string } {
  const records = seed.records!.map((r) => r);
  const i = rng.int(records.length);
  if (rng.chance(0.25)) {
    const length = fieldValue(rng, { at: 0, size: 8, what: 'length', label: '' }, records[i].length, seed.bytes.length);
    const l = length === 'all-ff' ? 2 ** 53 - 1 : length;
    return { bytes: tfrecords(records, { index: i, length: l }), step: `tfrecord ${i}: length ${records[i].length} -> ${l} (header CRC valid)` };
  }
  const k = rng.range(1, 3);
  const steps: string[] = [];
  let data = records[i];
  for (let j = 0; j < k; j++) {
    const m = byteMutation(rng, data.length ? data : Uint8Array.of(0), donors);
    data = m.bytes;
    steps.push(m.step);
  }
  records[i] = data;
  return { bytes: tfrecords(records), step: `tfrecord ${i} payload (CRCs valid): ${steps.join('; ')}` };
}

/** One mutation suitable for the seed's kind. */
export function mutateOnce(rng: Rng, seed: Seed, b: Uint8Array, donors: readonly Seed[]): { bytes: Uint8Array; step: string } {
  const r = rng.int(10);
  switch (seed.kind) {
    case 'torch':
    case 'pickle':
      if (seed.ops.length && r < 4) return pickleRegionMutation(rng, seed, seed.ops, b, donors);
      if (r < 7) return fieldMutation(rng, seed, b);
      return byteMutation(rng, b, donors);
    case 'safetensors':
      if (r < 3 && b === seed.bytes) return safetensorsHeaderMutation(rng, b);
      if (r < 5) return fieldMutation(rng, seed, b);
      return byteMutation(rng, b, donors, 0, Math.min(b.length, 8 + Math.min(u64(seed.bytes, 0), 4096)));
    case 'archive':
      return r < 6 ? fieldMutation(rng, seed, b) : byteMutation(rng, b, donors);
    case 'tfevents':
      if (r < 5 && b === seed.bytes) return tfeventsMutation(rng, seed, donors);
      if (r < 7) return fieldMutation(rng, seed, b);
      return byteMutation(rng, b, donors);
    default:
      return r < 5 ? jsonValueSwap(rng, b) : r < 7 ? jsonMutation(rng, b) : byteMutation(rng, b, donors);
  }
}

/**
 * A mutant of `seed`: 1-3 stacked mutations. For zip torch seeds, some mutants change data.pkl
 * (any mutation, insertions included) and re-lay the archive so CRC, sizes and offsets are valid:
 * those reach the pickle machine, the convention readers and the repair.
 */
export async function mutate(rng: Rng, seed: Seed, donors: readonly Seed[]): Promise<Mutant> {
  const steps: string[] = [];
  if (seed.zip && rng.chance(0.4)) {
    const z = seed.zip;
    let data: Uint8Array = seed.bytes.slice(z.dataOffset, z.dataOffset + z.dataLength);
    const k = rng.chance(0.8) ? 1 : 2;
    for (let i = 0; i < k; i++) {
      const ops = scanPickle(data, 0, 2).ops;
      const m = pickleRegionMutation(rng, seed, ops, data, donors);
      data = m.bytes;
      steps.push(`data.pkl: ${m.step}`);
    }
    let bytes = await rezip(seed, data);
    steps.push('re-laid archive (valid CRC)');
    if (rng.chance(0.15)) {
      const m = byteMutation(rng, bytes, donors);
      bytes = m.bytes;
      steps.push(m.step);
    }
    return { bytes, steps };
  }
  let bytes = seed.bytes;
  const k = rng.chance(0.7) ? 1 : rng.range(2, 3);
  for (let i = 0; i < k; i++) {
    const m = mutateOnce(rng, seed, bytes, donors);
    bytes = m.bytes;
    steps.push(m.step);
  }
  return { bytes, steps };
}
