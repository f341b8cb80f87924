/**
 * Deterministic fuzz test of the format core (issue 6): more than 10,000 inputs made from the
 * project's own fixtures by a seeded PRNG (bit flips, byte sets, truncation, splices from other
 * fixtures, duplicated and removed ranges, targeted length-field changes in zip records, pickle
 * arguments, safetensors and TFRecord headers, data.pkl rewrites re-laid into valid archives).
 * Every input must end in a result or a typed CheckpointFormatError (the TensorBoard reader: in
 * problems of its result; whole-folder analysis: in per-file problems, never an `internal` one),
 * within a per-input time bound that catches hangs. A repair that verifies must change only
 * epoch and step. Regression tests for the bugs this fuzzing found follow, each built from a real
 * fixture mutation.
 */
import { describe, expect, test } from 'vitest';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import JSZip from 'jszip';
import { analyzeCheckpoint, torchFileFindings } from '../src/core/analyze/analyzeCheckpoint';
import { isTorchArchive, listArchive, MAX_INFLATED_ENTRY } from '../src/core/archive/zipArchive';
import { bytesSource, countingSource, type ByteSource } from '../src/core/bytes/byteSource';
import { hasEpochAndStep, readEnstackState } from '../src/core/conventions/enstack/state';
import { parseTrainerState, summarizeRngState, summarizeTrainingArgs } from '../src/core/conventions/hfTrainer/readHfTrainer';
import { isLightningCheckpoint, readLightning } from '../src/core/conventions/lightning/readLightning';
import { summarizeSafetensors, summarizeStateDict } from '../src/core/conventions/modelWeights';
import { displayFields, displayText, plainValue } from '../src/core/conventions/plainValues';
import { summarizeOptimizerState, summarizeSchedulerState } from '../src/core/conventions/stateDicts';
import { CheckpointFormatError } from '../src/core/errors';
import { planDrop } from '../src/core/folder/plan';
import { pythonHooks } from '../src/core/pickle/knownCallables';
import { runPickle } from '../src/core/pickle/machine';
import { dictGet, type PyValue } from '../src/core/pickle/values';
import { diffValues } from '../src/core/repair/compareValues';
import { planMarkEpochComplete } from '../src/core/repair/markEpochComplete';
import { segmentsSource } from '../src/core/repair/segments';
import { verifyRepair } from '../src/core/repair/verifyRepair';
import { readSafetensorsHeader } from '../src/core/safetensors/header';
import { scanGlobals } from '../src/core/safety/scan';
import { readEventFile } from '../src/core/tensorboard/eventFile';
import { loadTorchFile } from '../src/core/torch/loadTorchFile';
import type { TorchFile } from '../src/core/torch/torchFile';
import { searchTree } from '../src/core/tree/valueTree';
import { readZipIndex } from '../src/core/zip/zipReader';
import { deflatedVariant, deflateRaw, makeSeed, mulberry32, mutate, rezip, Rng, scanPickle, type Seed, type SeedKind } from './support/mutate';
import { OWN, walk } from './support/fixtures';

/*
 * Knobs for exploring (CI uses none): FUZZ_SEED=n another fixed seed; FUZZ_SCALE=x multiply the
 * input counts; FUZZ_ONLY=i,j run only those case indices of each family and print them;
 * FUZZ_SLOW=ms log inputs slower than that; FUZZ_DUMP=dir write every mutant there.
 */

/** The fixed seed of the whole run. */
const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 0x6b7074); // "kpt"
/** A single input taking longer than this is a hang, not slowness (ms). */
const HANG_MS = 2_000;
type Family = 'torch' | 'pickle' | 'safetensors' | 'tfevents' | 'json' | 'archive' | 'folder';
/** Inputs per family; their sum must stay >= 10,000. */
const BASE_COUNTS: Record<Family, number> = { torch: 5_200, pickle: 1_600, safetensors: 700, tfevents: 1_000, json: 800, archive: 600, folder: 1_200 };
const SCALE = Number(process.env.FUZZ_SCALE ?? 1);
const COUNTS = Object.fromEntries(Object.entries(BASE_COUNTS).map(([k, v]) => [k, Math.round(v * SCALE)])) as Record<Family, number>;
const ONLY = process.env.FUZZ_ONLY;
/** Least share of a family's inputs that must parse (the rest end in typed errors): the mutants must reach past the first check. */
const MIN_RESULTS: Record<Family, number> = { torch: 0.2, pickle: 0.1, safetensors: 0.03, tfevents: 0.5, json: 0.2, archive: 0.2, folder: 0.1 };

// ---------------------------------------------------------------------------------------------
// Seeds

function kindOf(path: string): SeedKind | undefined {
  if (/expected\.json$/.test(path)) return undefined;
  if (/\.(pth|pt|bin|ckpt)$/.test(path)) return 'torch';
  if (/\.pkl$/.test(path)) return 'pickle';
  if (/\.safetensors$/.test(path)) return 'safetensors';
  if (/tfevents/.test(path)) return 'tfevents';
  if (/\.json$/.test(path)) return 'json';
  return undefined;
}

async function seedOf(path: string, kind: SeedKind): Promise<Seed> {
  const bytes = new Uint8Array(readFileSync(path));
  const name = relative(OWN, path);
  try {
    return await makeSeed(name, kind, bytes);
  } catch {
    return { name, kind, bytes, fields: [], ops: [] }; // a broken fixture (bad/): bytes only
  }
}

const allFiles = walk(OWN).filter((p) => kindOf(p) !== undefined && statSync(p).size > 0);
let seedsPromise: Promise<Map<Family, Seed[]>> | undefined;

/** Seeds by family (built once). */
function seeds(): Promise<Map<Family, Seed[]>> {
  seedsPromise ??= (async () => {
    const torch: Seed[] = [];
    const pickle: Seed[] = [];
    const safetensors: Seed[] = [];
    const tfevents: Seed[] = [];
    const json: Seed[] = [];
    const seen = new Set<string>();
    for (const p of allFiles) {
      const kind = kindOf(p)!;
      const bytes = readFileSync(p).toString('base64');
      if (seen.has(bytes)) continue; // identical copies (the run folder repeats checkpoints)
      seen.add(bytes);
      const s = await seedOf(p, kind);
      ({ torch, pickle, safetensors, tfevents, json, archive: [] as Seed[] })[kind].push(s);
      if (kind === 'torch' && s.zip && torch.filter((t) => t.name.endsWith('(deflated)')).length < 4) torch.push(await deflatedVariant(s));
    }
    return new Map<Family, Seed[]>([
      ['torch', torch],
      ['pickle', pickle],
      ['safetensors', safetensors],
      ['tfevents', tfevents],
      ['json', json.filter((s) => s.name.endsWith('trainer_state.json'))],
      ['archive', await archives()],
      ['folder', []],
    ]);
  })();
  return seedsPromise;
}

/**
 * Zipped folders as a browser download of a Drive folder gives them (dropped .zip archives): built
 * here from fixture folders with JSZip, deflated and stored, with a fixed date so the bytes are
 * the same on every run.
 */
async function archives(): Promise<Seed[]> {
  const out: Seed[] = [];
  for (const [dir, compression] of [['enstack/last_checkpoint', 'DEFLATE'], ['hf_trainer/checkpoint-700', 'DEFLATE'], ['torch_legacy_format/last_checkpoint', 'STORE']] as const) {
    const zip = new JSZip();
    for (const p of walk(join(OWN, dir))) zip.file(relative(join(OWN, dir, '..'), p), readFileSync(p), { date: new Date(Date.UTC(2025, 0, 1)), compression });
    out.push(await makeSeed(`${dir}.zip`, 'archive', await zip.generateAsync({ type: 'uint8array' })));
  }
  return out;
}

async function driveArchive(bytes: Uint8Array, name: string): Promise<Outcome> {
  const src = bytesSource(bytes, name);
  const index = await typed(() => readZipIndex(src));
  if (!index.ok) return 'typed-error';
  isTorchArchive(index.value);
  const files = await typed(() => listArchive(src, 'dropped'));
  if (!files.ok) return 'typed-error';
  for (const f of files.value) {
    if (f.kind === 'window' && (f.offset < 0 || f.offset + f.size > bytes.length)) throw new Error(`${f.path}: window [${f.offset}, +${f.size}) outside the archive`);
    if (f.kind === 'bytes' && f.bytes.length > MAX_INFLATED_ENTRY) throw new Error(`${f.path}: inflated past the cap`);
  }
  return 'result';
}

/** Folders analysed whole, with one file mutated. */
const FOLDERS = [
  'enstack/last_checkpoint',
  'enstack/best_model',
  'enstack_legacy_fields/last_checkpoint',
  'torch_legacy_format/last_checkpoint',
  'pickle_protocol0/last_checkpoint',
  'pickle_protocol4/last_checkpoint',
  'wide_epoch/last_checkpoint',
  'custom_top_folder',
  'hf_trainer/checkpoint-700',
  'lightning',
  'enstack_run',
];

interface FolderSeed {
  readonly dir: string;
  readonly files: { path: string; seed: Seed }[];
}

let foldersPromise: Promise<FolderSeed[]> | undefined;
function folders(): Promise<FolderSeed[]> {
  foldersPromise ??= Promise.all(
    FOLDERS.map(async (dir) => {
      const abs = join(OWN, dir);
      const parent = join(abs, '..');
      const files = await Promise.all(
        walk(abs)
          .filter((p) => !p.endsWith('expected.json'))
          .map(async (p) => ({ path: relative(parent, p), seed: await seedOf(p, kindOf(p) ?? 'json') })),
      );
      return { dir, files };
    }),
  );
  return foldersPromise;
}

// ---------------------------------------------------------------------------------------------
// Drivers: each returns what happened; anything thrown that is not a CheckpointFormatError is a bug

type Outcome = 'result' | 'typed-error';

/** Run `f`; a CheckpointFormatError is an acceptable outcome, anything else propagates. */
async function typed<T>(f: () => Promise<T> | T): Promise<{ ok: true; value: T } | { ok: false }> {
  try {
    return { ok: true, value: await f() };
  } catch (e) {
    if (e instanceof CheckpointFormatError) return { ok: false };
    throw e;
  }
}

/** Every value walker of the core over a parsed value tree. */
function walkValue(v: PyValue): void {
  plainValue(v);
  displayText(v);
  displayFields(v);
  const d = diffValues(v, v);
  if (d.length) throw new Error(`diffValues(v, v) reports differences: ${JSON.stringify(d.slice(0, 3))}`);
  searchTree(v, 'step', 50, 200_000);
}

async function driveTorch(bytes: Uint8Array, name: string, rng: Rng, stats: Stats): Promise<Outcome> {
  const src = bytesSource(bytes, name);
  const loaded = await typed(() => loadTorchFile(src));
  if (!loaded.ok) return 'typed-error';
  const f = loaded.value;
  torchFileFindings(name, f);
  walkValue(f.value);
  await typed(() => readEnstackState(src, f));
  summarizeStateDict(name, f.value);
  summarizeTrainingArgs(name, f);
  summarizeRngState(name, f.value);
  summarizeSchedulerState(f.value);
  await typed(() => summarizeOptimizerState(src, f, f.value));
  if (isLightningCheckpoint(f.value)) await typed(() => readLightning(src, f));
  if (hasEpochAndStep(f.value) && f.integrity.length === 0) await driveRepair(src, f, rng, stats);
  return 'result';
}

/** Plan and verify a repair; when it verifies, check independently that only epoch and step changed. */
async function driveRepair(src: ByteSource, file: TorchFile, rng: Rng, stats: Stats): Promise<void> {
  const current = Number((dictGet(file.value, 'epoch') as { value: number | bigint }).value);
  const epoch = rng.pick([1, 2, 300, 70_000, Number.isSafeInteger(current) && current >= 1 && current < 1e6 ? current : 3]);
  const plan = await typed(() => planMarkEpochComplete(src, file, epoch));
  if (!plan.ok) return;
  stats.repairsPlanned++;
  const verdict = await verifyRepair(src, file, plan.value);
  if (!verdict.ok) return;
  stats.repairsVerified++;
  const out = segmentsSource(src, plan.value.segments);
  const repaired = await loadTorchFile(out);
  const diffs = diffValues(file.value, repaired.value).map((p) => p.join('.'));
  const unexpected = diffs.filter((d) => d !== 'epoch' && d !== 'step');
  if (unexpected.length) throw new Error(`a verified repair changed ${unexpected.join(', ')}`);
  const e = dictGet(repaired.value, 'epoch');
  const s = dictGet(repaired.value, 'step');
  if (e?.kind !== 'int' || Number(e.value) !== epoch || s?.kind !== 'int' || Number(s.value) !== 0) {
    throw new Error(`a verified repair reads back epoch ${e && 'value' in e ? String(e.value) : '?'}, step ${s && 'value' in s ? String(s.value) : '?'}`);
  }
}

async function drivePickle(bytes: Uint8Array, name: string): Promise<Outcome> {
  const r = await typed(() => runPickle(bytes, { file: name, hooks: pythonHooks }));
  if (!r.ok) return 'typed-error';
  scanGlobals([{ file: name, label: 'pickle', globals: r.value.globals }]);
  walkValue(r.value.value);
  return 'result';
}

async function driveSafetensors(bytes: Uint8Array, name: string): Promise<Outcome> {
  const r = await typed(() => readSafetensorsHeader(bytesSource(bytes, name)));
  if (!r.ok) return 'typed-error';
  summarizeSafetensors(name, r.value);
  return 'result';
}

async function driveTfevents(bytes: Uint8Array, name: string): Promise<Outcome> {
  const r = await typed(() => readEventFile(bytesSource(bytes, name), { windowBytes: 256 }));
  if (!r.ok) return 'typed-error';
  for (const points of Object.values(r.value.series)) for (const p of points) if (typeof p.value !== 'number') throw new Error('non-numeric point');
  return 'result';
}

async function driveJson(bytes: Uint8Array, name: string): Promise<Outcome> {
  const r = await typed(() => parseTrainerState(new TextDecoder().decode(bytes), name));
  return r.ok ? 'result' : 'typed-error';
}

async function driveFolder(folder: FolderSeed, mutated: string, bytes: Uint8Array): Promise<Outcome> {
  const files = folder.files.map((f) => ({ path: f.path, size: f.path === mutated ? bytes.length : f.seed.bytes.length }));
  const sources = new Map<string, ByteSource>(folder.files.map((f) => [f.path, bytesSource(f.path === mutated ? bytes : f.seed.bytes, f.path)]));
  const plan = planDrop(files);
  const sizes = new Map(files.map((f) => [f.path, f.size]));
  let problems = 0;
  for (const c of plan.checkpoints) {
    const s = await analyzeCheckpoint(c, (p) => sources.get(p)!, sizes);
    const internal = s.problems.filter((p) => p.code === 'internal');
    if (internal.length) throw new Error(`internal problem: ${internal.map((p) => `${p.file}: ${p.message}`).join(' | ')}`);
    problems += s.problems.length;
  }
  const events = folder.files.find((f) => f.seed.kind === 'tfevents');
  if (events) await driveTfevents(events.path === mutated ? bytes : events.seed.bytes, events.path);
  return problems ? 'typed-error' : 'result';
}

// ---------------------------------------------------------------------------------------------
// The run

interface Failure {
  family: Family;
  index: number;
  seed: string;
  steps: string[];
  error: string;
}

interface Stats {
  inputs: number;
  results: number;
  typedErrors: number;
  repairsPlanned: number;
  repairsVerified: number;
  slowest: { ms: number; what: string };
}

const total: Stats = { inputs: 0, results: 0, typedErrors: 0, repairsPlanned: 0, repairsVerified: 0, slowest: { ms: 0, what: '' } };

function caseRng(family: Family, index: number): Rng {
  const salt = [...family].reduce((h, c) => Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0, 0x811c9dc5);
  return new Rng(mulberry32((FUZZ_SEED ^ salt) + Math.imul(index, 0x9e3779b9)));
}

/** Run `count` cases of a family; returns failures (at most 20 kept). */
async function runFamily(family: Family): Promise<{ failures: Failure[]; stats: Stats }> {
  const bySeed = await seeds();
  const all = [...bySeed.values()].flat();
  const folderSeeds = family === 'folder' ? await folders() : [];
  const stats: Stats = { inputs: 0, results: 0, typedErrors: 0, repairsPlanned: 0, repairsVerified: 0, slowest: { ms: 0, what: '' } };
  const failures: Failure[] = [];
  for (let i = 0; i < COUNTS[family]; i++) {
    if (ONLY !== undefined && !ONLY.split(',').includes(String(i))) continue;
    const rng = caseRng(family, i);
    let seed: Seed;
    let run: (bytes: Uint8Array) => Promise<Outcome>;
    if (family === 'folder') {
      const folder = rng.pick(folderSeeds);
      const target = rng.pick(folder.files.filter((f) => f.seed.kind !== 'json' || rng.chance(0.3)));
      seed = target.seed;
      run = (bytes) => driveFolder(folder, target.path, bytes);
    } else {
      seed = rng.pick(bySeed.get(family)!);
      const name = seed.name;
      run = {
        torch: (b: Uint8Array) => driveTorch(b, name, rng, stats),
        pickle: (b: Uint8Array) => drivePickle(b, name),
        safetensors: (b: Uint8Array) => driveSafetensors(b, name),
        tfevents: (b: Uint8Array) => driveTfevents(b, name),
        json: (b: Uint8Array) => driveJson(b, name),
        archive: (b: Uint8Array) => driveArchive(b, name),
      }[family];
    }
    const mutant = await mutate(rng, seed, all);
    if (process.env.FUZZ_DUMP) writeFileSync(join(process.env.FUZZ_DUMP, `${family}-${i}.bin`), mutant.bytes);
    const t0 = performance.now();
    try {
      const outcome = await run(mutant.bytes);
      if (outcome === 'result') stats.results++;
      else stats.typedErrors++;
    } catch (e) {
      if (failures.length < 20) failures.push({ family, index: i, seed: seed.name, steps: mutant.steps, error: e instanceof Error ? `${e.name}: ${e.message}\n${(e.stack ?? '').split('\n').slice(1, 6).join('\n')}` : String(e) });
    }
    const ms = performance.now() - t0;
    if (process.env.FUZZ_SLOW && ms > Number(process.env.FUZZ_SLOW)) console.log(`slow ${ms.toFixed(0)} ms: ${family} #${i} ${seed.name}: ${mutant.steps.join('; ')}`);
    if (ms > stats.slowest.ms) stats.slowest = { ms, what: `${family} #${i} ${seed.name}: ${mutant.steps.join('; ')}`.slice(0, 300) };
    if (ms > HANG_MS && failures.length < 20) failures.push({ family, index: i, seed: seed.name, steps: mutant.steps, error: `took ${ms.toFixed(0)} ms (hang bound ${HANG_MS} ms)` });
    stats.inputs++;
  }
  total.inputs += stats.inputs;
  total.results += stats.results;
  total.typedErrors += stats.typedErrors;
  total.repairsPlanned += stats.repairsPlanned;
  total.repairsVerified += stats.repairsVerified;
  if (stats.slowest.ms > total.slowest.ms) total.slowest = stats.slowest;
  return { failures, stats };
}

describe('fuzz: mutated fixtures end in a result or a typed error, in bounded time', () => {
  test('seeds cover every format', async () => {
    const s = await seeds();
    expect(s.get('torch')!.length).toBeGreaterThanOrEqual(20);
    const deflated = s.get('torch')!.filter((x) => x.name.endsWith('(deflated)'));
    expect(deflated.length).toBeGreaterThan(0);
    for (const d of deflated) expect((await loadTorchFile(bytesSource(d.bytes, d.name))).zip?.dataPkl.method).toBe(8); // valid, inflated
    expect(s.get('torch')!.some((x) => x.name.includes('torch_legacy_format'))).toBe(true);
    expect(s.get('torch')!.some((x) => x.name.endsWith('.ckpt'))).toBe(true);
    expect(s.get('pickle')!.length).toBeGreaterThanOrEqual(6);
    expect(s.get('safetensors')!.length).toBeGreaterThanOrEqual(1);
    expect(s.get('tfevents')!.length).toBe(1);
    expect(s.get('json')!.length).toBe(2); // hf_trainer/checkpoint-700 and deepspeed/hf_with_deepspeed/checkpoint-300
    expect(s.get('archive')!.length).toBe(3);
  });

  for (const family of Object.keys(COUNTS) as Family[]) {
    test(`${family}: ${COUNTS[family]} mutants`, async () => {
      const { failures, stats } = await runFamily(family);
      if (ONLY !== undefined) return void console.log(failures, stats); // reproducing single cases
      expect(stats.inputs).toBe(COUNTS[family]);
      expect(failures).toEqual([]);
      // each family must reach past the first parse error for a share of its inputs
      expect(stats.results).toBeGreaterThan(COUNTS[family] * MIN_RESULTS[family]);
    }, 120_000);
  }

  test('at least 10,000 inputs ran, and repairs were exercised', () => {
    console.log(`fuzz: ${total.inputs} inputs, ${total.results} results, ${total.typedErrors} typed errors, ${total.repairsPlanned} repairs planned, ${total.repairsVerified} verified; slowest ${total.slowest.ms.toFixed(0)} ms (${total.slowest.what})`);
    expect(total.inputs).toBeGreaterThanOrEqual(10_000);
    expect(total.repairsVerified).toBeGreaterThan(50);
  });
});

// ---------------------------------------------------------------------------------------------
// Regressions: each bug the fuzzing (or reading the code it drives) found, rebuilt from a real
// fixture mutation. Time bounds are generous: the old code took from tens of seconds to forever.

const fx = (p: string): Uint8Array => new Uint8Array(readFileSync(join(OWN, p)));
const ascii = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));
const OPS = { MARK: 0x28, STOP: 0x2e, POP: 0x30, NONE: 0x4e, BINUNICODE: 0x58, SETITEM: 0x73, EMPTY_LIST: 0x5d, APPEND: 0x61, LIST: 0x6c, BINPUT: 0x71, BINGET: 0x68, LONG4: 0x8b, TUPLE1: 0x85, REDUCE: 0x52, BINBYTES: 0x42, EMPTY_SET: 0x8f, ADDITEMS: 0x90, EMPTY_TUPLE: 0x29, NEWOBJ: 0x81, APPENDS: 0x65, INT: 0x49, LONG_BINPUT: 0x72, LONG_BINGET: 0x6a };

function cat(...parts: (Uint8Array | number[])[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) out.set(p, o), (o += p.length);
  return out;
}
function times(unit: number[], n: number): Uint8Array {
  const out = new Uint8Array(unit.length * n);
  for (let i = 0; i < n; i++) out.set(unit, i * unit.length);
  return out;
}
function u32(n: number): number[] {
  return [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24];
}
/** BINUNICODE of an ASCII key. */
function key(s: string): number[] {
  return [OPS.BINUNICODE, ...u32(s.length), ...ascii(s)];
}
/** The pickle with `insert` placed just before its final STOP (where the root dict is the only value on the stack). */
function beforeStop(pickle: Uint8Array, insert: Uint8Array): Uint8Array {
  expect(pickle[pickle.length - 1]).toBe(OPS.STOP);
  return cat(pickle.subarray(0, pickle.length - 1), insert, [OPS.STOP]);
}
/** A torch zip fixture with `f(data.pkl)` as its data.pkl, re-laid into a valid archive. */
async function withDataPkl(path: string, f: (pkl: Uint8Array) => Uint8Array): Promise<Uint8Array> {
  const seed = await makeSeed(path, 'torch', fx(path));
  const z = seed.zip!;
  return rezip(seed, f(seed.bytes.slice(z.dataOffset, z.dataOffset + z.dataLength)));
}
/** `levels` lists, each holding `fan` memo references to the previous one: fan^levels leaves in a few hundred bytes. */
function laughs(fan: number, levels: number): Uint8Array {
  const out: number[] = [OPS.EMPTY_LIST, OPS.LONG_BINPUT, ...u32(9000)];
  for (let l = 1; l <= levels; l++) {
    out.push(OPS.POP, OPS.MARK);
    for (let i = 0; i < fan; i++) out.push(OPS.LONG_BINGET, ...u32(9000 + l - 1));
    out.push(OPS.LIST, OPS.LONG_BINPUT, ...u32(9000 + l));
  }
  return Uint8Array.from(out);
}
/** `depth` lists nested in each other. */
const nestedList = (depth: number): Uint8Array => cat(times([OPS.EMPTY_LIST], depth), times([OPS.APPEND], depth - 1));
async function timed<T>(f: () => Promise<T> | T): Promise<{ value: T; ms: number }> {
  const t0 = performance.now();
  const value = await f();
  return { value, ms: performance.now() - t0 };
}
async function readZipIndexOf(bytes: Uint8Array) {
  return readZipIndex(bytesSource(bytes, 'x'));
}
async function formatError(f: () => unknown): Promise<CheckpointFormatError> {
  try {
    await f();
  } catch (e) {
    expect(e, String(e)).toBeInstanceOf(CheckpointFormatError);
    return e as CheckpointFormatError;
  }
  throw new Error('expected a CheckpointFormatError, got a result');
}

describe('regressions found by fuzzing', () => {
  test('LONG4 decodes in linear time, and integers beyond maxIntBytes are a typed limit', async () => {
    const base = fx('pickles/protocol2.pkl');
    const original = runPickle(base, { file: 'p', hooks: pythonHooks }).value;
    // a 1 MB LONG4 (then POP) after PROTO: the byte-by-byte BigInt shift took over a minute
    const n = 1_000_000;
    const big = cat(base.subarray(0, 2), [OPS.LONG4, ...u32(n)], times([0x5a], n), [OPS.POP], base.subarray(2));
    const { value, ms } = await timed(() => runPickle(big, { file: 'p', hooks: pythonHooks, limits: { maxIntBytes: 2 * n } }));
    expect(ms).toBeLessThan(3_000);
    expect(diffValues(original, value.value)).toEqual([]);
    const e = await formatError(() => runPickle(big, { file: 'p', hooks: pythonHooks }));
    expect(e.code).toBe('limit-exceeded');
    expect(e.message).toMatch(/LONG4 integer of 1000000 bytes/);
    // decimal text: INT with 200,000 digits
    const text = cat(base.subarray(0, 2), [OPS.INT], times([0x37], 200_000), [0x0a, OPS.POP], base.subarray(2));
    expect((await formatError(() => runPickle(text, { file: 'p', hooks: pythonHooks }))).code).toBe('limit-exceeded');
    // a short LONG4 still decodes exactly (two's complement, little-endian)
    const neg = cat(base.subarray(0, 2), [OPS.LONG4, ...u32(9), 0, 0, 0, 0, 0, 0, 0, 0x80, 0xff, OPS.POP], base.subarray(2));
    expect(runPickle(neg, { file: 'p', hooks: pythonHooks }).opcodeCount).toBeGreaterThan(0);
    const { decodeSignedLE } = await import('../src/core/pickle/literals');
    expect(decodeSignedLE(Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0x80, 0xff))).toBe(-(2n ** 63n));
    expect(decodeSignedLE(Uint8Array.of(0xff, 0x7f))).toBe(32767);
  });

  test('memo fan-out (a billion-laughs pickle) renders within a node budget: scheduler fields, displayText', async () => {
    // scheduler.pt with one more field whose value is 30^14 leaves through memo references
    const bytes = await withDataPkl('hf_trainer/checkpoint-700/scheduler.pt', (pkl) => beforeStop(pkl, cat(key('evil'), laughs(30, 14), [OPS.SETITEM])));
    const f = await loadTorchFile(bytesSource(bytes, 'scheduler.pt'));
    const plain = summarizeSchedulerState(f.value);
    const { ms } = await timed(() => {
      summarizeSchedulerState(f.value);
      displayText(f.value);
      displayFields(f.value);
      plainValue(f.value);
    });
    expect(ms).toBeLessThan(3_000);
    const clean = summarizeSchedulerState((await loadTorchFile(bytesSource(fx('hf_trainer/checkpoint-700/scheduler.pt'), 's'))).value);
    expect(plain?.lastEpoch).toBe(clean?.lastEpoch);
    expect(plain?.fields.last_epoch).toEqual(clean?.fields.last_epoch);
    expect(JSON.stringify(plain?.fields.evil)).toContain('…');
    // displayText output is unchanged by the budget: the same text as a plain rendering cut at 200
    expect(displayText(f.value).length).toBeLessThanOrEqual(200);
  });

  test('a value nested 100,000 levels deep: diff, search, plain rendering and a verified repair', async () => {
    const bytes = await withDataPkl('enstack/last_checkpoint/training_state.pth', (pkl) => beforeStop(pkl, cat(key('deep'), nestedList(100_000), [OPS.SETITEM])));
    const src = bytesSource(bytes, 'training_state.pth');
    const f = await loadTorchFile(src);
    const { ms } = await timed(async () => {
      expect(diffValues(f.value, f.value)).toEqual([]);
      const found = searchTree(f.value, 'zzz-not-there');
      expect(found.complete).toBe(true);
      expect(found.visited).toBeGreaterThan(100_000);
      plainValue(f.value);
      displayText(f.value);
      torchFileFindings('training_state.pth', f);
      const plan = await planMarkEpochComplete(src, f, 3);
      const verdict = await verifyRepair(src, f, plan);
      expect(verdict.problems).toEqual([]);
    });
    expect(ms).toBeLessThan(5_000);
    expect((await readEnstackState(src, f)).progress?.step).toBe(1200);
    // a deep path is reported in full when it differs
    const other = await loadTorchFile(bytesSource(await withDataPkl('enstack/last_checkpoint/training_state.pth', (pkl) => beforeStop(pkl, cat(key('deep'), nestedList(99_999), [OPS.SETITEM]))), 'x'));
    const d = diffValues(f.value, other.value);
    expect(d).toHaveLength(1);
    expect(d[0]).toHaveLength(99_999);
  });

  test('trainer_state.json with an array nested 100,000 levels deep (JSON.parse accepts it) is read', () => {
    const text = new TextDecoder().decode(fx('hf_trainer/checkpoint-700/trainer_state.json'));
    const deep = text.replace('{', `{\n  "deep": ${'['.repeat(100_000)}NaN${']'.repeat(100_000)},`);
    const clean = parseTrainerState(text, 'trainer_state.json');
    const state = parseTrainerState(deep, 'trainer_state.json');
    expect(state.global_step).toBe(700);
    expect(state.nonFinite.slice(1)).toEqual(clean.nonFinite);
    expect(state.nonFinite[0]).toMatch(/^deep\[0\]\[0\].*….*\[0\] = NaN$/);
    expect(state.nonFinite[0].length).toBeLessThan(400);
  });

  test('safetensors: a tensor entry that is null, and __metadata__ values that are not strings', async () => {
    const bytes = fx('enstack/last_checkpoint/model.safetensors');
    const n = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))) as Record<string, unknown>;
    const rebuilt = (h: Record<string, unknown>): Uint8Array => {
      const json = new TextEncoder().encode(JSON.stringify(h));
      const len = new Uint8Array(8);
      new DataView(len.buffer).setBigUint64(0, BigInt(json.length), true);
      return cat(len, json, bytes.subarray(8 + n));
    };
    const e = await formatError(() => readSafetensorsHeader(bytesSource(rebuilt({ ...header, '0.bias': null }), 'model.safetensors')));
    expect(e.code).toBe('bad-safetensors');
    expect(e.message).toMatch(/"0\.bias" is described by null/);
    const meta = await readSafetensorsHeader(bytesSource(rebuilt({ ...header, __metadata__: { format: { toString: 1 }, n: 5 } }), 'model.safetensors'));
    expect(meta.metadata).toEqual({ format: '{"toString":1}', n: '5' });
    const offsets = await formatError(() => readSafetensorsHeader(bytesSource(rebuilt({ ...header, '0.bias': { dtype: 'X9', shape: [4], data_offsets: ['0', '16'] } }), 'model.safetensors')));
    expect(offsets.code).toBe('bad-safetensors');
  });

  test('verifyRepair reports (never throws) a damaged local header of a storage the parse did not need', async () => {
    const bytes = fx('pickle_protocol4/last_checkpoint/training_state.pth');
    const seed = await makeSeed('x', 'torch', bytes);
    const storage = seed.zip!.layout.index.entries.find((e) => e.name.includes('/data/') && e !== seed.zip!.layout.dataPkl)!;
    const m = bytes.slice();
    new DataView(m.buffer).setUint32(storage.centralHeaderOffset + 42, 1, true); // its local header offset -> 1
    const src = bytesSource(m, 'training_state.pth');
    const f = await loadTorchFile(src);
    const plan = await planMarkEpochComplete(src, f, 2);
    const verdict = await verifyRepair(src, f, plan);
    expect(verdict.ok).toBe(false);
    expect(verdict.problems.join(' ')).toMatch(/local header of .*data\/\d+ is damaged/);
  });

  test('re-laying an archive whose next local header has a malformed extra field is a typed error', async () => {
    const bytes = fx('pickle_protocol4/last_checkpoint/training_state.pth');
    const seed = await makeSeed('x', 'torch', bytes);
    const layout = seed.zip!.layout;
    const byOffset = [...layout.index.entries].sort((a, b) => a.localHeaderOffset - b.localHeaderOffset);
    const next = byOffset[byOffset.indexOf(layout.dataPkl) + 1];
    const m = bytes.slice();
    const dv = new DataView(m.buffer);
    dv.setUint16(next.localHeaderOffset + 28, dv.getUint16(next.localHeaderOffset + 28, true) - 1, true); // extra length - 1
    const src = bytesSource(m, 'training_state.pth');
    const f = await loadTorchFile(src);
    const e = await formatError(() => planMarkEpochComplete(src, f, 70_000)); // wider opcode: the archive is re-laid
    expect(e.code).toBe('bad-zip');
    expect(e.message).toMatch(/damaged extra field/);
  });

  test('epoch and step that are one memoized int cannot be repaired separately (typed error, not "overlapping edits")', async () => {
    // legacy fixture: `K 3` (epoch) gets a LONG_BINPUT, and the step's `M 700` becomes a LONG_BINGET of it
    const b = fx('torch_legacy_format/last_checkpoint/training_state.pth');
    const at = b.findIndex((_, i) => b[i] === 0x4b && b[i + 1] === 3 && b[i + 2] === OPS.BINGET && b[i + 4] === 0x4d);
    expect(at).toBeGreaterThan(0);
    const m = cat(b.subarray(0, at + 2), [OPS.LONG_BINPUT, ...u32(1000)], b.subarray(at + 2, at + 4), [OPS.LONG_BINGET, ...u32(1000)], b.subarray(at + 7));
    const src = bytesSource(m, 'training_state.pth');
    const f = await loadTorchFile(src);
    expect(hasEpochAndStep(f.value)).toBe(true);
    for (const epoch of [2, 300]) {
      const e = await formatError(() => planMarkEpochComplete(src, f, epoch));
      expect(e.code).toBe('bad-pickle');
      expect(e.message).toMatch(/one and the same pickled value/);
    }
  });

  test('ADDITEMS / APPENDS with 300,000 items in one batch, and 200,000 imports in one file', async () => {
    const base = fx('pickles/protocol2.pkl');
    const original = runPickle(base, { file: 'p', hooks: pythonHooks }).value;
    const setBatch = cat(base.subarray(0, 2), [OPS.EMPTY_SET, OPS.MARK], times([OPS.NONE], 300_000), [OPS.ADDITEMS, OPS.POP], base.subarray(2));
    expect(diffValues(original, runPickle(setBatch, { file: 'p', hooks: pythonHooks }).value)).toEqual([]);
    const listBatch = cat(base.subarray(0, 2), ascii('cfoo\nBar\n'), [OPS.EMPTY_TUPLE, OPS.NEWOBJ, OPS.MARK], times([OPS.NONE], 300_000), [OPS.APPENDS, OPS.POP], base.subarray(2));
    expect(diffValues(original, runPickle(listBatch, { file: 'p', hooks: pythonHooks }).value)).toEqual([]);
    // optimizer.pt of the HF folder with 200,000 extra imports: the folder is analysed, no internal problem
    const folder = await folders();
    const hf = folder.find((x) => x.dir === 'hf_trainer/checkpoint-700')!;
    const target = hf.files.find((x) => x.path.endsWith('optimizer.pt'))!;
    const bytes = await withDataPkl('hf_trainer/checkpoint-700/optimizer.pt', (pkl) => cat(pkl.subarray(0, 2), times([...ascii('cbuiltins\nlen\n'), OPS.POP], 200_000), pkl.subarray(2)));
    expect(await driveFolder(hf, target.path, bytes)).toBe('result');
  });

  test('one bytes value passed to pickle.loads 20,000 times (memo) is parsed once', async () => {
    // hostile/nested_pickle_loads.pkl memoizes pickle.loads at 4; add the protocol-2 corpus pickle as
    // bytes and a list of 20,000 loads calls on it
    const inner = fx('pickles/protocol2.pkl');
    const calls = cat([OPS.BINBYTES, ...u32(inner.length)], inner, [OPS.BINPUT, 0x40, OPS.POP, OPS.MARK], times([OPS.BINGET, 4, OPS.BINGET, 0x40, OPS.TUPLE1, OPS.REDUCE], 20_000), [OPS.LIST]);
    const bytes = beforeStop(fx('hostile/nested_pickle_loads.pkl'), cat(key('again'), calls, [OPS.SETITEM]));
    const { value: f, ms } = await timed(() => loadTorchFile(bytesSource(bytes, 'nested.pkl')));
    expect(ms).toBeLessThan(3_000);
    const nested = f.pickles.filter((p) => p.nestedIn);
    expect(nested).toHaveLength(2); // the fixture's own payload, and the corpus pickle once
    expect(torchFileFindings('nested.pkl', f).some((x) => x.name === 'posix.system' && x.verdict === 'dangerous')).toBe(true);
  });

  test('zip bomb: deflated data.pkl that inflates past its declared size stops there (bad-zip); honest sizes over the cap are refused unread', async () => {
    const seed = await makeSeed('training_state.pth', 'torch', fx('enstack/last_checkpoint/training_state.pth'));
    const z = seed.zip!;
    const plain = seed.bytes.subarray(z.dataOffset, z.dataOffset + z.dataLength);
    const bomb = await deflateRaw(new Uint8Array(32 * 1024 * 1024)); // 32 MiB of zeros in ~32 KiB
    const bytes = await rezip(seed, bomb);
    const idx = await readZipIndexOf(bytes);
    const entry = idx.entries.find((e) => e.name === z.layout.dataPkl.name)!;
    const dv = new DataView(bytes.buffer, bytes.byteOffset);
    for (const at of [entry.localHeaderOffset + 8, entry.centralHeaderOffset + 10]) dv.setUint16(at, 8, true); // deflate
    // the lie: the directory declares the original data.pkl size
    dv.setUint32(entry.localHeaderOffset + 22, plain.length, true);
    dv.setUint32(entry.centralHeaderOffset + 24, plain.length, true);
    const { value: e, ms } = await timed(() => formatError(() => loadTorchFile(bytesSource(bytes, 'training_state.pth'))));
    expect(e.code).toBe('bad-zip');
    expect(e.message).toMatch(/inflates to more than the \d+ bytes its directory entry declares/);
    expect(ms).toBeLessThan(3_000);
    // honest: declares 32 MiB, more than the (lowered) cap: refused before inflating
    dv.setUint32(entry.centralHeaderOffset + 24, 32 * 1024 * 1024, true);
    const capped = await formatError(() => loadTorchFile(bytesSource(bytes, 'training_state.pth'), { maxPickleBytes: 1024 * 1024 }));
    expect(capped.code).toBe('limit-exceeded');
  });

  test('legacy file: a damaged length field never makes the loader read past maxPickleBytes', async () => {
    const b = fx('torch_legacy_format/last_checkpoint/training_state.pth');
    const { fields } = scanPickle(b, 0, 5);
    const len = fields.find((f) => f.label === 'length of opcode 0x58' && f.at > 200)!; // a BINUNICODE of the object pickle
    const m = cat(b, new Uint8Array(8 * 1024 * 1024)); // storages after the pickles
    new DataView(m.buffer).setUint32(len.at, 0x7fff0000, true);
    const { source, stats } = countingSource(bytesSource(m, 'training_state.pth'));
    const e = await formatError(() => loadTorchFile(source, { maxPickleBytes: 1024 * 1024 }));
    expect(e.code).toBe('limit-exceeded');
    expect(stats.bytesRead).toBeLessThan(2 * 1024 * 1024);
    expect((await formatError(() => loadTorchFile(bytesSource(m, 'training_state.pth')))).code).toBe('truncated');
  });

  test('pickle limits (stack over all MARK frames, memo, opcodes) end in typed errors', async () => {
    const base = fx('pickles/protocol2.pkl');
    const marks = cat(base.subarray(0, 2), times([OPS.MARK, OPS.NONE, OPS.NONE], 600), base.subarray(2));
    expect((await formatError(() => runPickle(marks, { file: 'p', limits: { maxStack: 1000 } }))).code).toBe('limit-exceeded');
    const memo = cat(base.subarray(0, 2), [OPS.NONE], times([0x94], 5_000), [OPS.POP], base.subarray(2));
    expect((await formatError(() => runPickle(memo, { file: 'p', limits: { maxMemo: 1000 } }))).code).toBe('limit-exceeded');
    expect((await formatError(() => runPickle(base, { file: 'p', limits: { maxOpcodes: 100 } }))).code).toBe('limit-exceeded');
    const deepMarks = cat(base.subarray(0, 2), times([OPS.MARK], 120_000), base.subarray(2));
    expect((await formatError(() => runPickle(deepMarks, { file: 'p' }))).code).toBe('limit-exceeded');
  });
});
