/**
 * A pickle virtual machine for protocols 0-5 that never imports or calls anything.
 *
 * It follows the opcode semantics of CPython `Lib/pickle.py` (`_Unpickler`) and the opcode table of
 * `Lib/pickletools.py`, but GLOBAL / STACK_GLOBAL / INST yield symbolic {@link GlobalRef}s and
 * REDUCE / NEWOBJ / NEWOBJ_EX / OBJ / BUILD yield symbolic objects, unless a hook interprets a
 * known callable (OrderedDict, tensor rebuild functions, numpy scalars...). Every produced value
 * records the byte span of its opcode. Integers of any size are exact (BigInt beyond 2^53).
 *
 * Hostile input is bounded: opcode count, memo size, stack size (all MARK frames together), MARK
 * nesting, integer size, and declared lengths larger than the remaining data all end in a typed
 * {@link CheckpointFormatError}. Nothing here recurses on the value structure.
 */
import { utf8 } from '../bytes/binary';
import { CheckpointFormatError } from '../errors';
import { HIGHEST_PROTOCOL, OP, OPCODE_NAMES } from './opcodes';
import type { GlobalRef, PyValue, Span } from './values';
import { linearImports } from '../safety/linearScan';
import { decodeEscapedString, decodeRawUnicodeEscape, decodeSignedLE, parseDecimalInt, parsePythonFloat } from './literals';

/** Hooks through which a container (torch, numpy) interprets known callables. */
export interface PickleHooks {
  /**
   * Called for REDUCE / NEWOBJ / NEWOBJ_EX / INST / OBJ with the callee and positional args.
   * Return a value to replace the symbolic call, or `undefined` to keep it symbolic.
   */
  call?(callee: GlobalRef, args: PyValue[], span: Span): PyValue | undefined;
  /** BUILD: return the object with `state` applied, or `undefined` to keep a symbolic BUILD. */
  build?(target: PyValue, state: PyValue): PyValue | undefined;
  /** PERSID / BINPERSID: resolve a persistent id (torch storages). */
  persistentLoad?(pid: PyValue, span: Span): PyValue;
  /** Observes every call of a global (interpreted or not), e.g. to find nested pickles. */
  onCall?(callee: GlobalRef, args: PyValue[], span: Span): void;
}

/** Bounds against hostile pickles. */
export interface PickleLimits {
  /** Maximum opcodes executed. */
  maxOpcodes: number;
  /** Maximum memo entries. */
  maxMemo: number;
  /** Maximum values on the stack (all MARK frames together). */
  maxStack: number;
  /** Maximum nesting of MARK. */
  maxMarkDepth: number;
  /**
   * Largest integer read: bytes of a LONG1/LONG4 argument, and about 2.4 decimal digits per byte
   * for INT/LONG text (no checkpoint holds such integers; Python >= 3.11 itself refuses to parse
   * decimal text of more than 4,300 digits).
   */
  maxIntBytes: number;
  /** Longest time one pickle may take, in milliseconds (checked every 65,536 opcodes). */
  maxMillis: number;
}

/** The limits used when a caller sets none: far above any real checkpoint, far below a frozen tab. */
export const DEFAULT_PICKLE_LIMITS: PickleLimits = {
  maxOpcodes: 50_000_000,
  maxMemo: 10_000_000,
  maxStack: 5_000_000,
  maxMarkDepth: 100_000,
  maxIntBytes: 65_536,
  maxMillis: 60_000,
};

/** Where the pickle lives, for error messages. */
export interface PickleOptions {
  /** File name for errors. */
  file: string;
  /** Zip member holding the pickle, when any. */
  member?: string;
  /** Offset of `bytes[0]` in the file (legacy format: pickles follow each other). */
  baseOffset?: number;
  /** Start reading at this index of `bytes` (default 0). */
  start?: number;
  hooks?: PickleHooks;
  limits?: Partial<PickleLimits>;
}

/** A FRAME opcode seen (protocol 4+): its offset and the byte range it announces. */
export interface FrameInfo {
  /** Offset of the FRAME opcode byte (the 8-byte length follows it). */
  readonly offset: number;
  /** Declared frame length in bytes (data after the 9-byte FRAME opcode). */
  readonly length: number;
}

/** What one pickle stream produced. Offsets are indices into the `bytes` given to {@link runPickle}. */
export interface PickleResult {
  readonly value: PyValue;
  /**
   * Protocol from the PROTO opcode; without one (protocols 0 and 1 write none), 1 when any
   * protocol-1 opcode was seen, else 0 (as `pickletools.dis` infers it).
   */
  readonly protocol: number;
  /** Offset of the first opcode. */
  readonly start: number;
  /** Offset just after STOP. */
  readonly end: number;
  /** Every global imported, in order. */
  readonly globals: GlobalRef[];
  readonly frames: FrameInfo[];
  /**
   * Opcodes whose argument runs past the end of the FRAME they start in (or a FRAME opened inside
   * another): CPython's C unpickler and `Lib/pickle.py` read such bytes differently (gh-154848),
   * so what torch.load runs may differ from what any scanner reads.
   */
  readonly frameDivergences: FrameDivergence[];
  /** Every distinct opcode byte executed, ascending. */
  readonly opcodesUsed: number[];
  readonly opcodeCount: number;
}

/** An opcode that crosses the end of its FRAME (offsets into the `bytes` given to {@link runPickle}). */
export interface FrameDivergence {
  /** Offset of the crossing opcode. */
  readonly offset: number;
  /** Offset of the FRAME opcode it started in. */
  readonly frameOffset: number;
  /** Offset just after that frame's data. */
  readonly frameEnd: number;
  /** pickletools name of the crossing opcode. */
  readonly opcode: string;
}

/**
 * A pickle stopped by an error, with the globals it imported before the error: a pickle may call
 * `posix.system` and then break on purpose, and the call has run by then (picklescan
 * `scanner.py` `GenOpsError.globals` keeps them for the same reason).
 */
export class PickleParseError extends CheckpointFormatError {
  constructor(
    cause: CheckpointFormatError,
    /** Globals imported before the error, in order (offsets as in {@link PickleResult.globals}). */
    readonly partialGlobals: GlobalRef[],
    /** Frame divergences seen before the error. */
    readonly frameDivergences: FrameDivergence[],
    /**
     * Imports named by the opcodes from the failing one to the end of the data, found by a linear
     * walk (`safety/linearScan.ts`): CPython's unpickler is more lenient than this machine in
     * places, so it may go on to import them.
     */
    readonly laterImports: GlobalRef[] = [],
  ) {
    super(cause.code, cause.file, cause.message, { offset: cause.offset, member: cause.member });
  }
}

type StackItem = PyValue;

/** Opcodes introduced by protocol 1 (pickletools `proto=1`). */
const PROTOCOL1_OPCODES = new Set<number>([
  OP.BININT, OP.BININT1, OP.BININT2, OP.BINFLOAT, OP.BINSTRING, OP.SHORT_BINSTRING, OP.BINUNICODE, OP.EMPTY_TUPLE,
  OP.EMPTY_LIST, OP.EMPTY_DICT, OP.APPENDS, OP.SETITEMS, OP.BINGET, OP.LONG_BINGET, OP.BINPUT, OP.LONG_BINPUT,
  OP.BINPERSID, OP.OBJ, OP.POP_MARK,
]);

/**
 * Run one pickle from `options.start` to its STOP opcode.
 *
 * @throws CheckpointFormatError `truncated` when the bytes end before STOP (the legacy reader uses
 *         this to fetch more), `unknown-opcode`, `unsupported-protocol` (above 5), `bad-pickle`
 *         (stack underflow, bad memo key, malformed literal), `limit-exceeded`.
 */
export function runPickle(bytes: Uint8Array, options: PickleOptions): PickleResult {
  const limits = { ...DEFAULT_PICKLE_LIMITS, ...options.limits };
  const hooks = options.hooks ?? {};
  const base = options.baseOffset ?? 0;
  const start = options.start ?? 0;
  let pos = start;
  let stack: StackItem[] = [];
  const globals: GlobalRef[] = [];
  const metastack: StackItem[][] = [];
  /** Values held by the frames under the current MARK (the stack limit counts every frame). */
  let below = 0;
  const memo = new Map<number, PyValue>();
  const frames: FrameInfo[] = [];
  let protocol = 0;
  let sawProto = false;
  let sawBinary = false;
  let opcodeCount = 0;
  const startedAt = performance.now();
  let opStart = pos;

  const frameDivergences: FrameDivergence[] = [];
  const fail = (code: 'bad-pickle' | 'truncated' | 'limit-exceeded' | 'unknown-opcode' | 'unsupported-protocol', msg: string): never => {
    const later = code === 'truncated' ? [] : linearImports(bytes, opStart, base);
    throw new PickleParseError(new CheckpointFormatError(code, options.file, msg, { offset: base + opStart, member: options.member }), globals, frameDivergences, later);
  };
  const need = (n: number): void => {
    if (n < 0 || pos + n > bytes.length) {
      fail('truncated', `the pickle ends early: an opcode at byte ${base + opStart} needs ${n} more bytes than the data holds.`);
    }
  };
  const readU8 = (): number => (need(1), bytes[pos++]);
  const readN = (n: number): Uint8Array => {
    need(n);
    const out = bytes.subarray(pos, pos + n);
    pos += n;
    return out;
  };
  const readU32 = (): number => {
    need(4);
    const v = (bytes[pos] | (bytes[pos + 1] << 8) | (bytes[pos + 2] << 16)) + bytes[pos + 3] * 0x1000000;
    pos += 4;
    return v;
  };
  const readU64 = (): number => {
    const lo = readU32();
    const hi = readU32();
    if (hi > 0x1fffff) fail('limit-exceeded', 'a declared length is larger than any file this viewer reads.');
    return hi * 0x100000000 + lo;
  };
  const readLine = (): string => {
    const nl = bytes.indexOf(0x0a, pos);
    if (nl < 0) fail('truncated', 'the pickle ends early inside a text argument (no newline).');
    let s = '';
    for (let i = pos; i < nl; i++) s += String.fromCharCode(bytes[i]);
    pos = nl + 1;
    return s.endsWith('\r') ? s.slice(0, -1) : s;
  };
  const span = (): Span => ({ offset: opStart, length: pos - opStart });
  /** A text argument for a message (long ones cut). */
  const quote = (text: string): string => JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
  /** Decimal integer text, bounded by maxIntBytes. */
  const decimal = (text: string, what: string): number | bigint | undefined => {
    if (text.length > limits.maxIntBytes * 2.5) fail('limit-exceeded', `a ${what} integer of ${text.length} digits is larger than this viewer reads.`);
    return parseDecimalInt(text);
  };
  const push = (v: PyValue): void => {
    if (below + stack.length >= limits.maxStack) fail('limit-exceeded', `the pickle stack grew beyond ${limits.maxStack} values.`);
    stack.push(v);
  };
  const pop = (): PyValue => {
    if (stack.length === 0) fail('bad-pickle', 'unpickling stack underflow: the pickle is corrupt.');
    return stack.pop() as PyValue;
  };
  const top = (): PyValue => {
    if (stack.length === 0) fail('bad-pickle', 'unpickling stack underflow: the pickle is corrupt.');
    return stack[stack.length - 1];
  };
  const popMark = (): PyValue[] => {
    const items = stack;
    const prev = metastack.pop();
    if (!prev) fail('bad-pickle', 'a MARK was expected but none is open: the pickle is corrupt.');
    stack = prev as StackItem[];
    below -= stack.length;
    return items;
  };
  const memoPut = (key: number, v: PyValue): void => {
    if (!memo.has(key) && memo.size >= limits.maxMemo) fail('limit-exceeded', `the pickle memo grew beyond ${limits.maxMemo} entries.`);
    memo.set(key, v);
  };
  const memoGet = (key: number): PyValue => {
    const v = memo.get(key);
    if (v === undefined) fail('bad-pickle', `memo key ${key} was never stored: the pickle is corrupt.`);
    return v as PyValue;
  };
  const importGlobal = (module: string, name: string, opcode: GlobalRef['opcode'], resolved = true): GlobalRef => {
    const ref: GlobalRef = { module, name, offset: base + opStart, opcode, called: false, resolved, callArgs: [] };
    globals.push(ref);
    return ref;
  };
  const callValue = (calleeValue: PyValue, args: PyValue[], via: string, kwargs?: PyValue): PyValue => {
    const s = span();
    if (calleeValue.kind === 'global') {
      calleeValue.ref.called = true;
      if (calleeValue.ref.callArgs.length < 8) calleeValue.ref.callArgs.push(args);
      hooks.onCall?.(calleeValue.ref, args, s);
      const interpreted = kwargs === undefined ? hooks.call?.(calleeValue.ref, args, s) : undefined;
      if (interpreted) {
        interpreted.span = s;
        return interpreted;
      }
      return { kind: 'object', callee: calleeValue.ref, args, kwargs, via, span: s };
    }
    // Calling something that is not a plain global (e.g. the result of getattr): symbolic, no callee.
    if (calleeValue.kind === 'object' && calleeValue.callee) {
      calleeValue.callee.called = true;
      calleeValue.callee.resultCalled = true;
    }
    return { kind: 'object', callee: undefined, args: [calleeValue, ...args], kwargs, via, span: s };
  };
  const argsOf = (v: PyValue): PyValue[] => (v.kind === 'tuple' ? v.items : [v]);

  const used = new Uint8Array(256);
  /** The open frame: its FRAME opcode offset and the offset just after its data (-1: none). */
  let frameOffset = -1;
  let frameEnd = -1;
  let prevStart = -1;
  let prevOp = -1;
  for (;;) {
    opStart = pos;
    // the previous opcode started inside the open frame and its argument ended past it
    if (prevStart >= 0 && prevStart < frameEnd && pos > frameEnd && prevOp !== OP.FRAME) {
      frameDivergences.push({ offset: base + prevStart, frameOffset: base + frameOffset, frameEnd: base + frameEnd, opcode: OPCODE_NAMES.get(prevOp) ?? `0x${prevOp.toString(16)}` });
    }
    if (++opcodeCount > limits.maxOpcodes) fail('limit-exceeded', `the pickle has more than ${limits.maxOpcodes} opcodes.`);
    if ((opcodeCount & 0xffff) === 0 && performance.now() - startedAt > limits.maxMillis) {
      fail('limit-exceeded', `reading the pickle took longer than ${Math.round(limits.maxMillis / 1000)} s, so it was stopped (${opcodeCount} opcodes read).`);
    }
    const op = readU8();
    prevStart = opStart;
    prevOp = op;
    used[op] = 1;
    if (PROTOCOL1_OPCODES.has(op)) sawBinary = true;
    switch (op) {
      case OP.PROTO: {
        sawProto = true;
        protocol = readU8();
        if (protocol > HIGHEST_PROTOCOL) {
          fail('unsupported-protocol', `pickle protocol ${protocol} is newer than the highest known protocol (${HIGHEST_PROTOCOL}).`);
        }
        break;
      }
      case OP.FRAME: {
        const length = readU64();
        if (pos + length > bytes.length && length > 0) {
          // A frame that runs past the data: truncated (or a lying length field).
          need(length);
        }
        if (opStart < frameEnd) {
          // a new frame before the open one is consumed: pickle.py raises, the C unpickler does not
          frameDivergences.push({ offset: base + opStart, frameOffset: base + frameOffset, frameEnd: base + frameEnd, opcode: 'FRAME' });
        }
        frames.push({ offset: opStart, length });
        frameOffset = opStart;
        frameEnd = pos + length;
        break;
      }
      case OP.STOP: {
        const value = pop();
        const opcodesUsed: number[] = [];
        used.forEach((u, i) => u && opcodesUsed.push(i));
        return { value, protocol: sawProto ? protocol : sawBinary ? 1 : 0, start, end: pos, globals, frames, frameDivergences, opcodesUsed, opcodeCount };
      }
      case OP.MARK:
        if (metastack.length >= limits.maxMarkDepth) fail('limit-exceeded', `MARK nesting deeper than ${limits.maxMarkDepth}.`);
        metastack.push(stack);
        below += stack.length;
        stack = [];
        break;
      case OP.POP:
        if (stack.length === 0) popMark();
        else pop();
        break;
      case OP.POP_MARK:
        popMark();
        break;
      case OP.DUP:
        push(top());
        break;
      case OP.NONE:
        push({ kind: 'none', span: span() });
        break;
      case OP.NEWTRUE:
        push({ kind: 'bool', value: true, span: span() });
        break;
      case OP.NEWFALSE:
        push({ kind: 'bool', value: false, span: span() });
        break;
      case OP.INT: {
        const text = readLine();
        if (text === '00') push({ kind: 'bool', value: false, span: span() });
        else if (text === '01') push({ kind: 'bool', value: true, span: span() });
        else {
          const v = decimal(text, 'INT');
          if (v === undefined) fail('bad-pickle', `INT argument ${quote(text)} is not an integer.`);
          push({ kind: 'int', value: v as number | bigint, span: span() });
        }
        break;
      }
      case OP.LONG: {
        const text = readLine();
        const v = decimal(text.endsWith('L') ? text.slice(0, -1) : text, 'LONG');
        if (v === undefined) fail('bad-pickle', `LONG argument ${quote(text)} is not an integer.`);
        push({ kind: 'int', value: v as number | bigint, span: span() });
        break;
      }
      case OP.BININT: {
        const b = readN(4);
        push({ kind: 'int', value: b[0] | (b[1] << 8) | (b[2] << 16) | (b[3] << 24), span: span() });
        break;
      }
      case OP.BININT1:
        push({ kind: 'int', value: readU8(), span: span() });
        break;
      case OP.BININT2: {
        const b = readN(2);
        push({ kind: 'int', value: b[0] | (b[1] << 8), span: span() });
        break;
      }
      case OP.LONG1: {
        const n = readU8();
        push({ kind: 'int', value: decodeSignedLE(readN(n)), span: span() });
        break;
      }
      case OP.LONG4: {
        const n = readU32();
        if (n > 0x7fffffff) fail('bad-pickle', 'LONG4 with a negative byte count.');
        const b = readN(n);
        if (n > limits.maxIntBytes) fail('limit-exceeded', `a LONG4 integer of ${n} bytes is larger than the ${limits.maxIntBytes} bytes this viewer reads.`);
        push({ kind: 'int', value: decodeSignedLE(b), span: span() });
        break;
      }
      case OP.FLOAT: {
        const text = readLine();
        const v = parsePythonFloat(text);
        if (v === undefined) fail('bad-pickle', `FLOAT argument ${quote(text)} is not a number.`);
        push({ kind: 'float', value: v as number, span: span() });
        break;
      }
      case OP.BINFLOAT: {
        const b = readN(8);
        push({ kind: 'float', value: new DataView(b.buffer, b.byteOffset, 8).getFloat64(0, false), span: span() });
        break;
      }
      case OP.STRING: {
        const text = readLine();
        const q = text[0];
        if (text.length < 2 || (q !== '"' && q !== "'") || text[text.length - 1] !== q) {
          fail('bad-pickle', 'STRING argument is not a quoted string literal.');
        }
        push({ kind: 'str', value: decodeEscapedString(text.slice(1, -1)), span: span() });
        break;
      }
      case OP.BINSTRING: {
        const n = readU32();
        push({ kind: 'str', value: latin1String(readN(n)), span: span() });
        break;
      }
      case OP.SHORT_BINSTRING:
        push({ kind: 'str', value: latin1String(readN(readU8())), span: span() });
        break;
      case OP.UNICODE:
        push({ kind: 'str', value: decodeRawUnicodeEscape(readLine()), span: span() });
        break;
      case OP.BINUNICODE:
        push({ kind: 'str', value: utf8(readN(readU32())), span: span() });
        break;
      case OP.SHORT_BINUNICODE:
        push({ kind: 'str', value: utf8(readN(readU8())), span: span() });
        break;
      case OP.BINUNICODE8:
        push({ kind: 'str', value: utf8(readN(readU64())), span: span() });
        break;
      case OP.BINBYTES:
        push({ kind: 'bytes', value: readN(readU32()), span: span() });
        break;
      case OP.SHORT_BINBYTES:
        push({ kind: 'bytes', value: readN(readU8()), span: span() });
        break;
      case OP.BINBYTES8:
      case OP.BYTEARRAY8:
        push({ kind: 'bytes', value: readN(readU64()), span: span() });
        break;
      case OP.NEXT_BUFFER:
        fail('bad-pickle', 'NEXT_BUFFER needs out-of-band buffers, which a checkpoint file cannot supply.');
        break;
      case OP.READONLY_BUFFER:
        top();
        break;
      case OP.EMPTY_TUPLE:
        push({ kind: 'tuple', items: [], span: span() });
        break;
      case OP.TUPLE:
        push({ kind: 'tuple', items: popMark(), span: span() });
        break;
      case OP.TUPLE1: {
        const a = pop();
        push({ kind: 'tuple', items: [a], span: span() });
        break;
      }
      case OP.TUPLE2: {
        const b = pop();
        const a = pop();
        push({ kind: 'tuple', items: [a, b], span: span() });
        break;
      }
      case OP.TUPLE3: {
        const c = pop();
        const b = pop();
        const a = pop();
        push({ kind: 'tuple', items: [a, b, c], span: span() });
        break;
      }
      case OP.EMPTY_LIST:
        push({ kind: 'list', items: [], span: span() });
        break;
      case OP.LIST:
        push({ kind: 'list', items: popMark(), span: span() });
        break;
      case OP.APPEND: {
        const v = pop();
        appendTo(top(), [v], fail);
        break;
      }
      case OP.APPENDS: {
        const items = popMark();
        appendTo(top(), items, fail);
        break;
      }
      case OP.EMPTY_DICT:
        push({ kind: 'dict', entries: [], ordered: false, span: span() });
        break;
      case OP.DICT: {
        const items = popMark();
        const entries: [PyValue, PyValue][] = [];
        for (let i = 0; i + 1 < items.length; i += 2) setEntry(entries, items[i], items[i + 1]);
        push({ kind: 'dict', entries, ordered: false, span: span() });
        break;
      }
      case OP.SETITEM: {
        const v = pop();
        const k = pop();
        setItems(top(), [k, v], fail);
        break;
      }
      case OP.SETITEMS: {
        const items = popMark();
        setItems(top(), items, fail);
        break;
      }
      case OP.EMPTY_SET:
        push({ kind: 'set', items: [], frozen: false, span: span() });
        break;
      case OP.ADDITEMS: {
        const items = popMark();
        const target = top();
        if (target.kind !== 'set') fail('bad-pickle', 'ADDITEMS on something that is not a set.');
        else for (const v of items) target.items.push(v); // no spread: 300,000 arguments overflow the stack
        break;
      }
      case OP.FROZENSET:
        push({ kind: 'set', items: popMark(), frozen: true, span: span() });
        break;
      case OP.GET: {
        const key = memoKey(readLine());
        if (typeof key !== 'number') fail('bad-pickle', 'GET with a non-integer memo key.');
        push(memoGet(key as number));
        break;
      }
      case OP.BINGET:
        push(memoGet(readU8()));
        break;
      case OP.LONG_BINGET:
        push(memoGet(readU32()));
        break;
      case OP.PUT: {
        const key = memoKey(readLine());
        if (typeof key !== 'number' || key < 0) fail('bad-pickle', 'PUT with a bad memo key.');
        memoPut(key as number, top());
        break;
      }
      case OP.BINPUT:
        memoPut(readU8(), top());
        break;
      case OP.LONG_BINPUT:
        memoPut(readU32(), top());
        break;
      case OP.MEMOIZE:
        memoPut(memo.size, top());
        break;
      case OP.GLOBAL: {
        const module = readLine();
        const name = readLine();
        push({ kind: 'global', ref: importGlobal(module, name, 'GLOBAL'), span: span() });
        break;
      }
      case OP.STACK_GLOBAL: {
        const nameV = pop();
        const moduleV = pop();
        const resolved = nameV.kind === 'str' && moduleV.kind === 'str';
        const module = moduleV.kind === 'str' ? moduleV.value : `<${moduleV.kind}>`;
        const name = nameV.kind === 'str' ? nameV.value : `<${nameV.kind}>`;
        push({ kind: 'global', ref: importGlobal(module, name, 'STACK_GLOBAL', resolved), span: span() });
        break;
      }
      case OP.INST: {
        const module = readLine();
        const name = readLine();
        const ref = importGlobal(module, name, 'INST');
        const args = popMark();
        push(callValue({ kind: 'global', ref }, args, 'INST'));
        break;
      }
      case OP.OBJ: {
        const items = popMark();
        if (items.length === 0) fail('bad-pickle', 'OBJ without a class.');
        push(callValue(items[0], items.slice(1), 'OBJ'));
        break;
      }
      case OP.REDUCE: {
        const args = pop();
        const callee = pop();
        push(callValue(callee, argsOf(args), 'REDUCE'));
        break;
      }
      case OP.NEWOBJ: {
        const args = pop();
        const cls = pop();
        push(callValue(cls, argsOf(args), 'NEWOBJ'));
        break;
      }
      case OP.NEWOBJ_EX: {
        const kwargs = pop();
        const args = pop();
        const cls = pop();
        push(callValue(cls, argsOf(args), 'NEWOBJ_EX', kwargs));
        break;
      }
      case OP.BUILD: {
        const state = pop();
        const target = pop();
        const built = hooks.build?.(target, state);
        if (built) push(built);
        else {
          if (target.kind === 'object') target.state = state;
          else if (target.kind === 'global') target.ref.called = true;
          push(target.kind === 'object' ? target : { kind: 'object', callee: undefined, args: [target], state, via: 'BUILD', span: span() });
        }
        break;
      }
      case OP.PERSID: {
        const pid: PyValue = { kind: 'str', value: readLine(), span: span() };
        push(hooks.persistentLoad ? hooks.persistentLoad(pid, span()) : { kind: 'persistent', pid, span: span() });
        break;
      }
      case OP.BINPERSID: {
        const pid = pop();
        push(hooks.persistentLoad ? hooks.persistentLoad(pid, span()) : { kind: 'persistent', pid, span: span() });
        break;
      }
      case OP.EXT1:
      case OP.EXT2:
      case OP.EXT4: {
        const code = op === OP.EXT1 ? readU8() : op === OP.EXT2 ? readU8() | (readU8() << 8) : readU32();
        // The extension registry (copyreg) is process state: the name cannot be known statically.
        push({ kind: 'global', ref: importGlobal('copyreg', `<extension ${code}>`, 'GLOBAL', false), span: span() });
        break;
      }
      default:
        fail('unknown-opcode', `unknown pickle opcode 0x${op.toString(16).padStart(2, '0')} (${OPCODE_NAMES.get(op) ?? 'not in pickletools'}): the file is corrupt or not a pickle.`);
    }
  }
}

/** A protocol-0 memo key (GET/PUT text): a safe integer, else undefined (long digit runs are not parsed). */
function memoKey(text: string): number | bigint | undefined {
  return text.length > 24 ? undefined : parseDecimalInt(text);
}

function latin1String(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i]);
  return s;
}

function appendTo(target: PyValue, items: PyValue[], fail: (c: 'bad-pickle', m: string) => never): void {
  if (target.kind === 'list') {
    for (const v of items) target.items.push(v);
  } else if (target.kind === 'object') {
    // list subclasses built by NEWOBJ then APPENDS (CPython Lib/pickle.py save_reduce listitems)
    const list = (target.listItems ??= []);
    for (const v of items) list.push(v);
  } else fail('bad-pickle', `APPEND to a ${target.kind}, not a list.`);
}

/** Per-dict index of str/int keys, so SETITEM stays O(1) for dicts with 100,000 entries. */
const KEY_INDEX = new WeakMap<[PyValue, PyValue][], Map<string, number>>();
/** Dicts up to this many entries are searched in place (no index: most dicts are small). */
const SMALL_DICT = 16;

function setEntry(entries: [PyValue, PyValue][], k: PyValue, v: PyValue): void {
  if (k.kind === 'str' || k.kind === 'int') {
    if (entries.length < SMALL_DICT) {
      const key = k.kind === 'str' ? k.value : String(k.value);
      // from the end: like the index, the last of duplicate keys (OrderedDict([...]) keeps them) wins
      for (let i = entries.length - 1; i >= 0; i--) {
        const e = entries[i];
        const ek = e[0];
        if (ek.kind === k.kind && (ek.kind === 'str' ? ek.value === key : String(ek.value) === key)) {
          e[1] = v;
          return;
        }
      }
      entries.push([k, v]);
      return;
    }
    let index = KEY_INDEX.get(entries);
    if (!index) {
      index = new Map();
      entries.forEach(([ek], i) => {
        if (ek.kind === 'str' || ek.kind === 'int') index!.set(`${ek.kind}:${String(ek.value)}`, i);
      });
      KEY_INDEX.set(entries, index);
    }
    const key = `${k.kind}:${String(k.value)}`;
    const at = index.get(key);
    if (at !== undefined) {
      entries[at][1] = v;
      return;
    }
    index.set(key, entries.length);
  }
  entries.push([k, v]);
}

function setItems(target: PyValue, items: PyValue[], fail: (c: 'bad-pickle', m: string) => never): void {
  if (target.kind === 'dict') {
    for (let i = 0; i + 1 < items.length; i += 2) setEntry(target.entries, items[i], items[i + 1]);
  } else if (target.kind === 'object') {
    // dict subclasses (defaultdict, AttributeDict) built by REDUCE/NEWOBJ then SETITEMS; a later
    // BUILD sets the instance __dict__ as `state`, separately (save_reduce dictitems + state)
    const entries = (target.dictItems ??= []);
    for (let i = 0; i + 1 < items.length; i += 2) setEntry(entries, items[i], items[i + 1]);
  } else fail('bad-pickle', `SETITEM on a ${target.kind}, not a dict.`);
}
