/**
 * Open a torch.save file from a {@link ByteSource} without reading tensor bytes.
 *
 * Zip format (PyTorch torch/serialization.py `_load`, caffe2/serialize/inline_container.cc): the
 * top folder is whatever the first record's folder is (`archive/`, the file stem, or anything);
 * the object is `<top>/data.pkl`, storages are `<top>/data/<key>`.
 * Legacy format (`_legacy_load`): pickles of the magic number 0x1950a86a20f9469cfc6c, the protocol
 * version, sys_info, the object, and the list of storage keys; then each storage as an int64
 * element count followed by its raw bytes.
 */
import type { ByteSource } from '../bytes/byteSource';
import { CheckpointFormatError } from '../errors';
import { PickleParseError, runPickle, type PickleHooks, type PickleLimits, type PickleResult } from '../pickle/machine';
import { OP, OPCODE_NAMES } from '../pickle/opcodes';
import { judgeGlobal } from '../safety/scan';
import { bytesSource } from '../bytes/byteSource';
import { isTarHeader, listTar } from '../zip/tarReader';
import { pythonHooks } from '../pickle/knownCallables';
import type { GlobalRef, PyValue, Span, StorageRef } from '../pickle/values';
import { crc32 } from '../zip/crc32';
import { looksLikeZip, readEntry, readLocalHeader, readZipIndex } from '../zip/zipReader';
import type { ZipEntry, ZipIndex } from '../zip/zipTypes';
import { rejectNonCheckpoint, sniff } from './sniff';
import type { LocatedPickle, TorchFile } from './torchFile';
import { torchHooks, type TorchHookObservers } from './torchCallables';

/** The legacy format's magic number (torch/serialization.py MAGIC_NUMBER). */
export const LEGACY_MAGIC = 0x1950a86a20f9469cfc6cn;

/** Options for {@link loadTorchFile}. */
export interface LoadOptions {
  limits?: Partial<PickleLimits>;
  /** Largest data.pkl (zip) or head of pickles (legacy) read into memory, in bytes (default 256 MiB). */
  maxPickleBytes?: number;
  /** Internal: depth of an archive embedded in a pickle of another file (torch.load of bytes). */
  nestingDepth?: number;
}

/**
 * Parse a torch.save file's structure and object pickle.
 *
 * Reads the file as torch.load does (ckptview issue 12): a zip archive (data.pkl looked up
 * case-insensitively, the first of duplicates; every other candidate scanned too); else the pre-0.4
 * tar format, tried first as torch does; else a stream of pickles from byte 0, whatever opcode it
 * starts with. Reader notes (`READ` globals) record what a scan cannot vouch for: duplicate
 * entries, FRAME divergence, opcodes weights_only lacks, the tar format. A pickle that breaks
 * after importing something that may run code is not thrown: the file comes back with value
 * `None`, the imports it made (and the ones named after the break), and the error in `integrity`.
 *
 * Reads: for zip, the tail (<= 64 KiB), the central directory, data.pkl and the tiny `version`
 * record; for legacy, the head of the file up to the end of the storage-keys pickle; a tar archive
 * whole (at most {@link MAX_TAR_BYTES}).
 * @throws CheckpointFormatError with a user-facing cause (empty, HTML page, LFS pointer,
 *         truncated, CRC mismatch, bad pickle, unsupported protocol, limits).
 */
export async function loadTorchFile(src: ByteSource, options: LoadOptions = {}): Promise<TorchFile> {
  const head = await src.read(0, 512);
  const kind = sniff(head, src.size);
  if (kind === 'zip') return withReaderNotes(await loadZip(src, options));
  // torch.load tries the pre-0.4 tar format before reading a stream of pickles
  if (isTarHeader(head)) return withReaderNotes(await loadTar(src, options));
  if (kind === 'pickle') return withReaderNotes(await loadPickleStream(src, options));
  return rejectNonCheckpoint(kind, src.name);
}

/**
 * Opcodes the weights_only unpickler implements (PyTorch `torch/_weights_only_unpickler.py`
 * `Unpickler._load`, commit 00f730b66e58769f9698d9236f58cd46c3794115): any other opcode in a
 * pickle torch.load reads makes `weights_only=True` fail with "Unsupported operand".
 */
export const WEIGHTS_ONLY_OPCODES: ReadonlySet<number> = new Set([
  OP.GLOBAL, OP.NEWOBJ, OP.REDUCE, OP.BUILD, OP.APPEND, OP.APPENDS, OP.SETITEM, OP.SETITEMS, OP.MARK, OP.TUPLE, OP.TUPLE1,
  OP.TUPLE2, OP.TUPLE3, OP.NONE, OP.NEWFALSE, OP.NEWTRUE, OP.EMPTY_TUPLE, OP.EMPTY_LIST, OP.EMPTY_DICT, OP.EMPTY_SET,
  OP.BININT, OP.BININT1, OP.BININT2, OP.BINFLOAT, OP.BINUNICODE, OP.SHORT_BINSTRING, OP.BINPERSID, OP.BINGET,
  OP.LONG_BINGET, OP.BINPUT, OP.LONG_BINPUT, OP.LONG1, OP.PROTO, OP.STOP,
]);

/** A reader note carried with a pickle's globals (see `GlobalRef.opcode` `READ`). */
function note(offset: number, level: 'weights-only-rejects' | 'unknown', name: string, text: string): GlobalRef {
  return { module: '', name, offset, opcode: 'READ', called: false, resolved: true, callArgs: [], note: { level, text } };
}

/** Pickle results whose reader notes are attached. */
const NOTED = new WeakSet<PickleResult>();

/** Pickles torch.load itself unpickles (not nested or trailing ones, which only the scan reads). */
function loadedByTorch(p: LocatedPickle): boolean {
  return !p.nestedIn && p.label !== 'trailing pickle' && !p.label.startsWith('duplicate');
}

/**
 * Attach reader notes to the pickles' globals: FRAME divergences (unknown: unpicklers disagree on
 * what runs) and, in pickles torch.load reads, opcodes weights_only does not implement.
 */
function withReaderNotes(f: TorchFile): TorchFile {
  for (const p of f.pickles) {
    const r = p.result;
    if (NOTED.has(r)) continue; // an embedded archive's pickles were noted when it was read
    NOTED.add(r);
    for (const d of r.frameDivergences) {
      r.globals.push(note(d.offset, 'unknown', `${d.opcode} runs past the end of its FRAME`, `the ${d.opcode} opcode at byte ${d.offset} runs past the end of the FRAME at byte ${d.frameOffset} (which ends at byte ${d.frameEnd}): CPython's C unpickler, which torch.load uses, and pickle.py read these bytes differently (gh-154848), so what runs cannot be known from a scan`));
    }
    if (f.format !== 'pickle' && loadedByTorch(p)) {
      const bad = r.opcodesUsed.filter((op) => !WEIGHTS_ONLY_OPCODES.has(op)).map((op) => OPCODE_NAMES.get(op) ?? `0x${op.toString(16)}`);
      if (bad.length) r.globals.push(note(r.start, 'weights-only-rejects', `opcodes weights_only lacks: ${bad.join(', ')}`, `torch.load(weights_only=True) stops with "Unsupported operand" on ${bad.join(', ')} (pickle protocol ${r.protocol}); no code runs because of them`));
    }
  }
  return f;
}

/**
 * The first import site of each distinct name (with `called` / `resultCalled` merged over all its
 * sites): a broken pickle's imports are judged by name, and a hostile one may repeat a name
 * 100,000 times.
 */
function distinctImports(globals: readonly GlobalRef[]): GlobalRef[] {
  const first = new Map<string, GlobalRef>();
  for (const g of globals) {
    const k = `${g.opcode}\n${g.module}\n${g.name}\n${g.resolved}`;
    const f = first.get(k);
    if (!f) first.set(k, { ...g, callArgs: [...g.callArgs] });
    else {
      f.called ||= g.called;
      f.resultCalled ||= g.resultCalled;
      for (const a of g.callArgs) if (f.callArgs.length < 8) f.callArgs.push(a);
    }
  }
  return [...first.values()];
}

/** A pickle that broke after importing globals: kept so that what ran before the error is judged. */
function partialPickle(e: PickleParseError, label: string, member: string | undefined, fileOffset: number, start: number): LocatedPickle {
  const result: PickleResult = {
    value: { kind: 'none' },
    protocol: 0,
    start,
    end: e.offset ?? start,
    globals: [...distinctImports([...e.partialGlobals, ...e.laterImports]), note(e.offset ?? start, 'unknown', 'pickle broken after imports', `the pickle breaks at byte ${e.offset ?? '?'} (${e.message}); the imports above were made before that point, or are named by the opcodes after it, which a more lenient unpickler (CPython's) may still reach`)],
    frames: [],
    frameDivergences: e.frameDivergences,
    opcodesUsed: [],
    opcodeCount: 0,
  };
  return { label, member, fileOffset, result };
}

/** True when a broken pickle imported something that may run code before its error. */
function ranSomething(e: unknown): e is PickleParseError {
  return e instanceof PickleParseError && (e.frameDivergences.length > 0 || e.partialGlobals.some(mayRun) || e.laterImports.some(mayRun));
}

/** A global (or note) judged dangerous or unknown. */
function mayRun(g: GlobalRef): boolean {
  const v = judgeGlobal(g).verdict;
  return v === 'dangerous' || v === 'unknown';
}

/**
 * The file as far as it could be read when its main pickle broke after importing something that
 * may run code: value `None`, the broken pickle's globals kept, the error as an integrity problem.
 */
function partialFile(src: ByteSource, format: TorchFile['format'], e: PickleParseError, label: string, member: string | undefined, fileOffset: number, extra: LocatedPickle[] = []): TorchFile {
  const main = partialPickle(e, label, member, fileOffset, 0);
  return {
    file: src.name,
    format,
    value: main.result.value,
    main,
    pickles: [...extra, main],
    mainBytes: new Uint8Array(0),
    storages: new Map(),
    anomalies: [],
    integrity: [e],
  };
}

/** Callables whose bytes argument is itself a pickle that would be loaded (and so must be scanned). */
const NESTED_LOADERS = new Set([
  'pickle.loads', '_pickle.loads', 'cPickle.loads', 'dill.loads', 'cloudpickle.loads', 'torch.load', 'torch.serialization.load',
  'torch.storage._load_from_bytes', 'pickle._loads', 'pickle.load', '_pickle.load', 'numpy.load', 'joblib.load', 'pandas.read_pickle',
  'dill.load', 'cloudpickle.load', 'pickle.Unpickler', '_pickle.Unpickler',
]);

/** The bytes a loader argument carries: a bytes value, or `io.BytesIO(bytes)` / `_io.BytesIO(bytes)`. */
function embeddedBytes(a: PyValue | undefined): Uint8Array | undefined {
  if (!a) return undefined;
  if (a.kind === 'bytes') return a.value;
  if (a.kind === 'object' && a.callee && (a.callee.module === 'io' || a.callee.module === '_io') && a.callee.name === 'BytesIO' && a.args[0]?.kind === 'bytes') return a.args[0].value;
  return undefined;
}
/** Nesting depth of pickles inside pickles that is still scanned. */
const MAX_NESTING = 3;
/**
 * Nested pickles scanned per file, all depths together. The loader call that carries them is
 * itself flagged dangerous, so the cap hides nothing; without it, one bytes value passed to
 * pickle.loads 100,000 times (through the memo) would be parsed 100,000 times, at each depth.
 */
export const MAX_NESTED_PICKLES = 64;

/** Collects pickles passed as bytes to loader callables, and persistent ids torch cannot resolve. */
class ParseObservers {
  readonly nestedCalls: { callee: GlobalRef; bytes: Uint8Array; span: Span }[] = [];
  readonly unresolved: PyValue[] = [];
  observers(): TorchHookObservers {
    return {
      unresolved: this.unresolved,
      onCall: (callee, args, span) => {
        const bytes = embeddedBytes(args[0]);
        if (NESTED_LOADERS.has(`${callee.module}.${callee.name}`) && bytes) this.nestedCalls.push({ callee, bytes, span });
      },
    };
  }
}

/**
 * Parse the pickles found in bytes arguments (recursively, bounded), for the safety scan only.
 * The same bytes object passed again (a memo reference) is parsed once; at most
 * {@link MAX_NESTED_PICKLES} are parsed per file.
 */
async function nestedPickles(
  obs: ParseObservers,
  parent: LocatedPickle,
  file: string,
  options: LoadOptions,
  depth = (options.nestingDepth ?? 0) + 1,
  budget: { left: number; seen: Set<Uint8Array> } = { left: MAX_NESTED_PICKLES, seen: new Set() },
): Promise<LocatedPickle[]> {
  if (depth > MAX_NESTING) return [];
  const out: LocatedPickle[] = [];
  for (const call of obs.nestedCalls) {
    if (budget.seen.has(call.bytes)) continue;
    if (budget.left <= 0) break;
    budget.left--;
    budget.seen.add(call.bytes);
    const label = `pickle inside the bytes given to ${call.callee.module}.${call.callee.name}`;
    const nestedIn = { label: parent.label, offset: call.span.offset };
    if (looksLikeZip(call.bytes)) {
      // torch.load(io.BytesIO(<a whole torch.save archive>)): read it as torch.load would
      try {
        const inner = await loadTorchFile(bytesSource(call.bytes, file), { ...options, nestingDepth: depth });
        for (const p of inner.pickles) out.push({ ...p, label: `${label} › ${p.label}`, member: parent.member, fileOffset: parent.fileOffset, nestedIn });
      } catch (e) {
        if (ranSomething(e)) out.push({ ...partialPickle(e, label, parent.member, parent.fileOffset, 0), nestedIn });
      }
      continue;
    }
    const start = npyPickleStart(call.bytes) ?? 0;
    const inner = new ParseObservers();
    const hooks: PickleHooks = { ...pythonHooks, onCall: inner.observers().onCall };
    try {
      const result = runPickle(call.bytes, { file, member: parent.member, hooks, limits: options.limits, start });
      const located: LocatedPickle = { label, member: parent.member, fileOffset: parent.fileOffset, nestedIn, result };
      out.push(located, ...(await nestedPickles(inner, located, file, options, depth + 1, budget)));
    } catch (e) {
      // bytes that are not a pickle: nothing to scan; a pickle that broke after imports: judged
      if (ranSomething(e)) out.push({ ...partialPickle(e, label, parent.member, parent.fileOffset, start), nestedIn });
    }
  }
  return out;
}

/**
 * Where the pickle of an object-dtype `.npy` starts (numpy `lib/format.py`: magic `\x93NUMPY`,
 * version, a 2-byte (1.0) or 4-byte (2.0, 3.0) little-endian header length, the header; then the
 * array data, a pickle for object arrays). Undefined when the bytes are not `.npy`.
 */
export function npyPickleStart(b: Uint8Array): number | undefined {
  if (b.length < 10 || b[0] !== 0x93 || String.fromCharCode(...b.subarray(1, 6)) !== 'NUMPY') return undefined;
  if (b[6] === 1) return 10 + (b[8] | (b[9] << 8));
  if (b.length < 12) return undefined;
  return 12 + (b[8] | (b[9] << 8) | (b[10] << 16)) + b[11] * 0x1000000;
}

/** Integrity problem for tensor references that are not storage tuples. */
function unresolvedProblem(obs: ParseObservers, file: string, member?: string): CheckpointFormatError[] {
  if (obs.unresolved.length === 0) return [];
  const textual = obs.unresolved.some((v) => v.kind === 'persistent' && v.pid.kind === 'str');
  return [
    new CheckpointFormatError(
      'bad-pickle',
      file,
      textual
        ? `${obs.unresolved.length} tensor references are stored as text (pickle protocol 0), which torch.load itself cannot read back; the other fields are shown.`
        : `${obs.unresolved.length} persistent ids are not torch storage records; torch.load would fail on them.`,
      { member },
    ),
  ];
}

async function loadZip(src: ByteSource, options: LoadOptions): Promise<TorchFile> {
  const index = await readZipIndex(src);
  if (index.entries.length === 0) {
    throw new CheckpointFormatError('missing-record', src.name, 'the zip archive is empty: it holds no data.pkl, so it is not a torch.save checkpoint.');
  }
  const first = index.entries[0].name;
  const slash = first.indexOf('/');
  const prefix = slash >= 0 ? first.slice(0, slash + 1) : '';
  // torch's reader (caffe2/serialize/inline_container.cc getRecord -> miniz
  // mz_zip_reader_locate_file with flags 0) compares names case-insensitively and returns the
  // first match in central-directory order
  const wanted = `${prefix}data.pkl`.toLowerCase();
  const candidates = index.entries.filter((e) => e.name.toLowerCase() === wanted);
  const fallback = index.entries.filter((e) => /(^|\/)data\.pkl$/i.test(e.name));
  const dataPkl = candidates[0] ?? fallback[0];
  if (!dataPkl) {
    throw new CheckpointFormatError('missing-record', src.name, `this zip archive has no data.pkl record, so it is not a torch.save checkpoint (first entry: ${first}).`);
  }
  const others = (candidates.length ? candidates : fallback).filter((e) => e !== dataPkl);
  const anomalies0 = duplicateNames(index.entries);
  const duplicates = await scanDuplicates(src, others, options);
  const dupNotes = others.length
    ? [note(0, 'unknown', `${others.length + 1} entries named ${dataPkl.name}`, `the archive holds ${others.length + 1} entries named ${JSON.stringify(dataPkl.name)} when compared case-insensitively (${[dataPkl, ...others].map((e) => JSON.stringify(e.name)).join(', ')}): torch.load reads the first, ${JSON.stringify(dataPkl.name)}, other tools may read another; every one is scanned here`)]
    : [];
  const top = dataPkl.name.slice(0, dataPkl.name.length - 'data.pkl'.length);
  const anomalies = [...index.anomalies, ...anomalies0];
  const maxPickle = options.maxPickleBytes ?? 256 * 1024 * 1024;
  if (dataPkl.uncompressedSize > maxPickle) {
    throw new CheckpointFormatError('limit-exceeded', src.name, `data.pkl is ${dataPkl.uncompressedSize} bytes, more than the ${maxPickle} this viewer reads.`, { member: dataPkl.name });
  }
  const local = await readLocalHeader(src, dataPkl);
  if (local.name !== dataPkl.name) anomalies.push(`the local header names ${JSON.stringify(local.name)} but the central directory names ${JSON.stringify(dataPkl.name)}`);
  // CRC is checked here rather than in readEntry: a mismatch with a readable pickle is shown with
  // a warning (torch.load up to 2.x reads such files without complaint), never silently.
  const bytes = await readEntry(src, dataPkl, { maxUncompressed: maxPickle, verifyCrc: false });
  const crcOk = crc32(bytes) === dataPkl.crc32;
  const crcMessage = `${dataPkl.name} is corrupt: its CRC-32 does not match the one recorded in the archive (a bit flip or a damaged copy)`;
  const storages = new Map<string, StorageRef>();
  const obs = new ParseObservers();
  let result: PickleResult;
  try {
    result = runPickle(bytes, { file: src.name, member: dataPkl.name, hooks: torchHooks(storages, obs.observers()), limits: options.limits });
  } catch (e) {
    if (ranSomething(e)) {
      const f = partialFile(src, 'zip', e, 'data.pkl', dataPkl.name, local.dataOffset, duplicates);
      f.main.result.globals.push(...dupNotes);
      return f;
    }
    if (!crcOk && e instanceof CheckpointFormatError) {
      throw new CheckpointFormatError('crc-mismatch', src.name, `${crcMessage}, and its pickle cannot be read: ${e.message}`, { offset: e.offset, member: dataPkl.name });
    }
    throw e;
  }
  const integrity: CheckpointFormatError[] = [];
  if (!crcOk) integrity.push(new CheckpointFormatError('crc-mismatch', src.name, `${crcMessage}. The pickle still parses, so the values are shown, but they may be wrong; this file is not repaired.`, { offset: local.dataOffset, member: dataPkl.name }));
  integrity.push(...unresolvedProblem(obs, src.name, dataPkl.name));
  result.globals.push(...dupNotes);
  const main: LocatedPickle = { label: 'data.pkl', member: dataPkl.name, fileOffset: local.dataOffset, result };
  const pickles = [main, ...duplicates, ...trailingPickles(bytes, result, src.name, dataPkl.name, local.dataOffset, anomalies, options), ...(await nestedPickles(obs, main, src.name, options))];
  const version = await smallText(src, index, `${top}version`) ?? await smallText(src, index, `${top}.data/version`);
  const byteorder = await smallText(src, index, `${top}byteorder`);
  if (byteorder === 'big') anomalies.push('the archive was written on a big-endian machine (byteorder = big)');
  return {
    file: src.name,
    format: 'zip',
    value: result.value,
    main,
    pickles,
    mainBytes: bytes,
    storages,
    zip: { index, prefix: top, dataPkl, dataPklOffset: local.dataOffset, version, byteorder },
    anomalies,
    integrity,
  };
}

/** Names that occur more than once in the central directory, compared case-insensitively (as sentences). */
function duplicateNames(entries: readonly ZipEntry[]): string[] {
  const byLower = new Map<string, string[]>();
  for (const e of entries) {
    const k = e.name.toLowerCase();
    const list = byLower.get(k);
    if (list) list.push(e.name);
    else byLower.set(k, [e.name]);
  }
  return [...byLower.values()].filter((l) => l.length > 1).slice(0, 20).map((l) => `${l.length} archive entries share the name ${JSON.stringify(l[0])} when compared case-insensitively (${l.map((n) => JSON.stringify(n)).join(', ')}); torch.load reads the first`);
}

/** Scan the data.pkl entries torch.load does not pick (other case variants, duplicates): their globals are judged too. */
async function scanDuplicates(src: ByteSource, entries: readonly ZipEntry[], options: LoadOptions): Promise<LocatedPickle[]> {
  const out: LocatedPickle[] = [];
  const max = options.maxPickleBytes ?? 256 * 1024 * 1024;
  for (const e of entries.slice(0, 16)) {
    const label = `duplicate ${e.name}`;
    try {
      const local = await readLocalHeader(src, e);
      const bytes = await readEntry(src, e, { maxUncompressed: max, verifyCrc: false });
      try {
        out.push({ label, member: e.name, fileOffset: local.dataOffset, result: runPickle(bytes, { file: src.name, member: e.name, hooks: torchHooks(new Map()), limits: options.limits }) });
      } catch (err) {
        if (ranSomething(err)) out.push(partialPickle(err, label, e.name, local.dataOffset, 0));
      }
    } catch {
      /* an entry that cannot be read cannot be loaded by torch either */
    }
  }
  return out;
}

/** Extra pickles after STOP inside data.pkl: torch ignores them, a scanner must not. */
function trailingPickles(
  bytes: Uint8Array,
  main: PickleResult,
  file: string,
  member: string | undefined,
  fileOffset: number,
  anomalies: string[],
  options: LoadOptions,
): LocatedPickle[] {
  if (main.end >= bytes.length) return [];
  anomalies.push(`${bytes.length - main.end} bytes follow the pickle's STOP opcode${member ? ` in ${member}` : ''} (a second pickle after STOP?)`);
  try {
    const extra = runPickle(bytes, { file, member, start: main.end, hooks: torchHooks(new Map()), limits: options.limits });
    return [{ label: 'trailing pickle', member, fileOffset, result: extra }];
  } catch {
    return [];
  }
}

async function smallText(src: ByteSource, index: ZipIndex, name: string): Promise<string | undefined> {
  const e = index.entries.find((x) => x.name === name);
  if (!e || e.uncompressedSize > 4096) return undefined;
  try {
    return new TextDecoder().decode(await readEntry(src, e)).trim();
  } catch {
    return undefined;
  }
}

/** The protocol-2 pickle of the legacy magic number (`\x80\x02\x8a\x0a` and its 10 little-endian bytes). */
function startsWithLegacyMagic(b: Uint8Array): boolean {
  const magic = [0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19];
  return magic.every((v, i) => b[i] === v);
}

/** Element size in bytes of a legacy storage class (`torch.FloatStorage` -> 4). */
const STORAGE_ELEMENT_SIZES: Readonly<Record<string, number>> = {
  DoubleStorage: 8, FloatStorage: 4, HalfStorage: 2, BFloat16Storage: 2, LongStorage: 8, IntStorage: 4, ShortStorage: 2,
  CharStorage: 1, ByteStorage: 1, BoolStorage: 1, ComplexDoubleStorage: 16, ComplexFloatStorage: 8, QInt8Storage: 1,
  QUInt8Storage: 1, QInt32Storage: 4,
};

/** Longest pre-0.4 tar checkpoint read whole, in bytes. */
export const MAX_TAR_BYTES = 256 * 1024 * 1024;

/**
 * The pre-0.4 tar format (PyTorch `torch/serialization.py` `_legacy_load.legacy_load`): members
 * `storages` (a pickled count, then per storage a pickled `(key, location, storage_type)`, an
 * int64 element count and the raw elements, then a pickled list of views), `tensors` (a pickled
 * count, then per tensor a pickled `(key, storage_id, type)`, int32 ndim, 4 bytes, ndim int64
 * sizes and strides, an int64 offset) and `pickle` (the object). Every pickle of every such member
 * is scanned; the bytes at offset 0 are scanned as a pickle too, because torch falls back to
 * reading them when the tar cannot be read.
 * @throws CheckpointFormatError `limit-exceeded` above {@link MAX_TAR_BYTES}, `missing-record`
 *         when no `pickle` member holds a readable pickle and nothing was found to scan.
 */
async function loadTar(src: ByteSource, options: LoadOptions): Promise<TorchFile> {
  if (src.size > MAX_TAR_BYTES) throw new CheckpointFormatError('limit-exceeded', src.name, `this pre-0.4 tar checkpoint is ${src.size} bytes, more than the ${MAX_TAR_BYTES} this viewer reads.`);
  const bytes = await src.read(0, src.size);
  const file = src.name;
  const pickles: LocatedPickle[] = [];
  const anomalies: string[] = ['this is the pre-0.4 tar format of torch.save: torch.load(weights_only=True) refuses it'];
  let main: LocatedPickle | undefined;
  const run = (member: string, data: Uint8Array, at: number, label: string, fileOffset: number): PickleResult | undefined => {
    try {
      const result = runPickle(data, { file, member, start: at, hooks: pythonHooks, limits: options.limits });
      pickles.push({ label, member, fileOffset, result });
      return result;
    } catch (e) {
      if (ranSomething(e)) pickles.push(partialPickle(e, label, member, fileOffset, at));
      else pickles.push({ label, member, fileOffset, result: { value: { kind: 'none' }, protocol: 0, start: at, end: at, globals: [note(at, 'unknown', `unreadable pickle in tar member ${member}`, `a pickle of the tar member ${member} cannot be read here (${e instanceof Error ? e.message : String(e)}), so what it would run is not known`)], frames: [], frameDivergences: [], opcodesUsed: [], opcodeCount: 0 } });
      return undefined;
    }
  };
  const i64 = (d: Uint8Array, at: number): number => (at + 8 <= d.length ? Number(new DataView(d.buffer, d.byteOffset + at, 8).getBigInt64(0, true)) : -1);
  for (const m of listTar(bytes)) {
    const data = bytes.subarray(m.dataOffset, Math.min(bytes.length, m.dataOffset + m.size));
    if (m.name === 'pickle' || m.name === 'sys_info') {
      const r = run(m.name, data, 0, m.name === 'pickle' ? 'object' : 'sys_info', m.dataOffset);
      if (r && m.name === 'pickle') main = pickles[pickles.length - 1];
    } else if (m.name === 'storages' || m.name === 'tensors') {
      const count = run(m.name, data, 0, `${m.name} count`, m.dataOffset);
      let pos = count?.end ?? data.length;
      const n = count?.value.kind === 'int' ? Number(count.value.value) : 0;
      for (let k = 0; k < Math.min(n, 100_000) && pos < data.length; k++) {
        const args = run(m.name, data, pos, `${m.name} record ${k}`, m.dataOffset);
        if (!args) break;
        pos = args.end;
        if (m.name === 'storages') {
          const t = args.value.kind === 'tuple' ? args.value.items[2] : undefined;
          const size = t?.kind === 'global' ? STORAGE_ELEMENT_SIZES[t.ref.name] : undefined;
          const numel = i64(data, pos);
          if (size === undefined || !(numel >= 0)) break;
          pos += 8 + numel * size;
        } else {
          if (pos + 8 > data.length) break;
          const ndim = new DataView(data.buffer, data.byteOffset + pos, 4).getInt32(0, true);
          if (ndim < 0 || ndim > 64) break;
          pos += 8 + 16 * ndim + 8;
        }
      }
      if (m.name === 'storages' && pos < data.length && n > 0) run(m.name, data, pos, 'storage views', m.dataOffset);
    }
  }
  // torch falls back to the stream of pickles at byte 0 when the tar itself cannot be read
  try {
    const r = runPickle(bytes, { file, hooks: pythonHooks, limits: options.limits });
    pickles.push({ label: 'pickle at byte 0 (read if the tar fails)', fileOffset: 0, result: r });
  } catch (e) {
    if (ranSomething(e)) pickles.push(partialPickle(e, 'pickle at byte 0 (read if the tar fails)', undefined, 0, 0));
  }
  if (pickles.length === 0) throw new CheckpointFormatError('missing-record', file, 'this tar archive holds no pickle, storages or tensors member, so torch.load cannot read it.');
  const first = main ?? pickles[0];
  first.result.globals.push(note(first.result.start, 'weights-only-rejects', 'pre-0.4 tar format', 'torch.load(weights_only=True) refuses the pre-0.4 tar format of torch.save'));
  return { file, format: 'tar', value: first.result.value, main: first, pickles, mainBytes: bytes, storages: new Map(), anomalies, integrity: [] };
}

/**
 * Legacy torch.save stream, or a bare pickle. Pickles are parsed from a head window that doubles
 * until the pickles fit (the storages that follow are never read).
 */
async function loadPickleStream(src: ByteSource, options: LoadOptions): Promise<TorchFile> {
  const maxPickle = options.maxPickleBytes ?? 256 * 1024 * 1024;
  let window = Math.min(src.size, 64 * 1024, maxPickle);
  for (;;) {
    const bytes = await src.read(0, window);
    try {
      return await parseLegacy(bytes, src, options);
    } catch (e) {
      if (e instanceof CheckpointFormatError && e.code === 'truncated' && window < src.size) {
        if (window >= maxPickle) {
          // A length field that claims more than the file's head holds (corrupt, or hostile):
          // never read a multi-gigabyte file whole to find out.
          throw new CheckpointFormatError('limit-exceeded', src.name, `the pickles at the start of this file do not end within its first ${maxPickle} bytes (a damaged length field?), more than this viewer reads: ${e.message}`, { offset: e.offset });
        }
        window = Math.min(src.size, window * 4, maxPickle);
        continue;
      }
      if (ranSomething(e)) return partialFile(src, startsWithLegacyMagic(bytes) ? 'legacy' : 'pickle', e, startsWithLegacyMagic(bytes) ? 'object' : 'pickle', undefined, 0);
      throw e;
    }
  }
}

async function parseLegacy(bytes: Uint8Array, src: ByteSource, options: LoadOptions): Promise<TorchFile> {
  const file = src.name;
  const storages = new Map<string, StorageRef>();
  const obs = new ParseObservers();
  const hooks = torchHooks(storages, obs.observers());
  const run = (start: number, label: string): LocatedPickle => ({
    label,
    fileOffset: 0,
    result: runPickle(bytes, { file, start, hooks, limits: options.limits }),
  });
  const magic = run(0, 'magic number');
  const mv = magic.result.value;
  const isMagic = mv.kind === 'int' && BigInt(mv.value) === LEGACY_MAGIC;
  const anomalies: string[] = [];
  if (!isMagic && mv.kind === 'object' && magic.result.end < bytes.length) {
    // A legacy file whose magic number is computed by a call: torch.load runs that call first.
    try {
      const legacy = checkLegacyLength(await parseLegacyAfterMagic(bytes, magic, run, file, storages, obs, options), src.size);
      legacy.anomalies.push('the legacy magic number is not a literal but the result of a call: torch.load would run that call before anything else');
      return legacy;
    } catch (e) {
      if (e instanceof CheckpointFormatError && e.code === 'truncated' && bytes.length < src.size) throw e;
      /* not a legacy stream after all: treat as a bare pickle below */
    }
  }
  if (!isMagic) {
    // A bare pickle (not torch.save).
    const pickles: LocatedPickle[] = [{ ...magic, label: 'pickle' }];
    if (magic.result.end < bytes.length) {
      anomalies.push(`${src.size - magic.result.end} bytes follow the first pickle's STOP opcode`);
      try {
        pickles.push(run(magic.result.end, 'trailing pickle'));
      } catch {
        /* not a pickle: data, ignored */
      }
    }
    pickles.push(...(await nestedPickles(obs, pickles[0], file, options)));
    return { file, format: 'pickle', value: mv, main: pickles[0], pickles, mainBytes: bytes, storages, anomalies, integrity: unresolvedProblem(obs, file) };
  }
  return checkLegacyLength(await parseLegacyAfterMagic(bytes, magic, run, file, storages, obs, options), src.size);
}

/**
 * A legacy file whose storages need more bytes than the file holds ends early: torch.load
 * (`torch/serialization.py` `_legacy_load`: an 8-byte element count, then numel x itemsize bytes
 * per storage key, in order) fails with "unexpected EOF". Added as an integrity problem, so values
 * are still shown but the file is never called loadable or repaired.
 * @param size file size in bytes
 */
function checkLegacyLength(tf: TorchFile, size: number): TorchFile {
  if (tf.format !== 'legacy' || !tf.legacy) return tf;
  let need = tf.legacy.storagesOffset;
  for (const key of tf.legacy.storageKeys) {
    const ref = tf.storages.get(key);
    if (!ref) return tf; // a key the pickle never described: the length cannot be told
    need += 8 + ref.numel * ref.itemSize;
  }
  if (need <= size) return tf;
  return {
    ...tf,
    integrity: [
      ...tf.integrity,
      new CheckpointFormatError('truncated', tf.file, `the file ends early: its ${tf.legacy.storageKeys.length} storages need ${need} bytes, but the file has ${size} (torch.load fails with "unexpected EOF"). Copy or download it again.`),
    ],
  };
}

/** The rest of a legacy stream after its magic-number pickle. */
async function parseLegacyAfterMagic(
  bytes: Uint8Array,
  magic: LocatedPickle,
  run: (start: number, label: string) => LocatedPickle,
  file: string,
  storages: Map<string, StorageRef>,
  obs: ParseObservers,
  options: LoadOptions,
): Promise<TorchFile> {
  const protocol = run(magic.result.end, 'protocol version');
  const sysInfo = run(protocol.result.end, 'sys_info');
  const main = run(sysInfo.result.end, 'object');
  const keys = run(main.result.end, 'storage keys');
  const keyList = keys.result.value;
  const storageKeys = keyList.kind === 'list' ? keyList.items.flatMap((k) => (k.kind === 'str' ? [k.value] : [])) : [];
  const pv = protocol.result.value;
  const notLegacy = pv.kind !== 'int' || keys.result.value.kind !== 'list';
  const all = [magic, protocol, sysInfo, main, keys];
  if (notLegacy && !all.some((p) => p.result.globals.some(mayRun))) {
    throw new CheckpointFormatError('bad-pickle', file, 'this is not a legacy torch.save stream: the protocol version or the storage keys are missing.');
  }
  // a malformed legacy stream whose pickles import code: torch.load runs them before it fails, so keep them
  return {
    file,
    format: 'legacy',
    value: main.result.value,
    main,
    pickles: [magic, protocol, sysInfo, main, keys, ...(await nestedPickles(obs, main, file, options))],
    mainBytes: bytes,
    storages,
    legacy: {
      protocolVersion: pv.kind === 'int' ? Number(pv.value) : undefined,
      sysInfo: sysInfo.result.value as PyValue,
      storageKeys,
      storagesOffset: keys.result.end,
    },
    anomalies: [],
    integrity: notLegacy
      ? [new CheckpointFormatError('bad-pickle', file, 'this is not a well-formed legacy torch.save stream (the protocol version or the storage keys are not what torch.save writes); torch.load runs its pickles before it fails.'), ...unresolvedProblem(obs, file)]
      : unresolvedProblem(obs, file),
  };
}
