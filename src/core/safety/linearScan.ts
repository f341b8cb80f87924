/**
 * A linear walk over pickle opcodes that only decodes arguments (no stack semantics), to find the
 * imports a pickle makes even where the pickle machine stops: the machine is stricter than
 * CPython's unpickler (e.g. SETITEM on a list, APPEND to a class), so what CPython would go on to
 * import after that point must still be seen. Modelled on picklescan's use of
 * `pickletools.genops` (`src/picklescan/scanner.py` `_list_globals`, commit
 * f15d54da3dec9aa28a87ede82f87882bb80f1023): GLOBAL / INST names read from their text lines,
 * STACK_GLOBAL resolved from the two preceding string pushes (memo gets of strings included), else
 * unresolved. Argument sizes: CPython `Lib/pickletools.py` opcode table.
 */
import { utf8 } from '../bytes/binary';
import { OP } from '../pickle/opcodes';
import type { GlobalRef } from '../pickle/values';

/** Fixed argument sizes in bytes. */
const FIXED: ReadonlyMap<number, number> = new Map([
  [OP.BININT, 4], [OP.BININT1, 1], [OP.BININT2, 2], [OP.BINFLOAT, 8], [OP.BINGET, 1], [OP.LONG_BINGET, 4], [OP.BINPUT, 1],
  [OP.LONG_BINPUT, 4], [OP.PROTO, 1], [OP.EXT1, 1], [OP.EXT2, 2], [OP.EXT4, 4], [OP.FRAME, 8],
]);
/** Opcodes with one newline-terminated text argument. */
const ONE_LINE = new Set<number>([OP.INT, OP.LONG, OP.FLOAT, OP.STRING, OP.UNICODE, OP.GET, OP.PUT, OP.PERSID]);
/** Length-prefixed arguments: size of the little-endian length field. */
const COUNTED: ReadonlyMap<number, number> = new Map([
  [OP.SHORT_BINSTRING, 1], [OP.BINSTRING, 4], [OP.SHORT_BINUNICODE, 1], [OP.BINUNICODE, 4], [OP.BINUNICODE8, 8], [OP.SHORT_BINBYTES, 1],
  [OP.BINBYTES, 4], [OP.BINBYTES8, 8], [OP.BYTEARRAY8, 8], [OP.LONG1, 1], [OP.LONG4, 4],
]);
/** Opcodes without an argument. */
const NO_ARG = new Set<number>([
  OP.MARK, OP.STOP, OP.POP, OP.POP_MARK, OP.DUP, OP.NONE, OP.BINPERSID, OP.REDUCE, OP.APPEND, OP.BUILD, OP.DICT, OP.EMPTY_DICT,
  OP.APPENDS, OP.LIST, OP.EMPTY_LIST, OP.OBJ, OP.SETITEM, OP.TUPLE, OP.EMPTY_TUPLE, OP.SETITEMS, OP.NEWOBJ, OP.TUPLE1, OP.TUPLE2,
  OP.TUPLE3, OP.NEWTRUE, OP.NEWFALSE, OP.EMPTY_SET, OP.ADDITEMS, OP.FROZENSET, OP.NEWOBJ_EX, OP.STACK_GLOBAL, OP.MEMOIZE,
  OP.NEXT_BUFFER, OP.READONLY_BUFFER,
]);
const STRINGS = new Set<number>([OP.STRING, OP.UNICODE, OP.SHORT_BINSTRING, OP.BINSTRING, OP.SHORT_BINUNICODE, OP.BINUNICODE, OP.BINUNICODE8]);

/** Most imports collected (a hostile pickle may repeat one name without end). */
const MAX_IMPORTS = 10_000;

/**
 * Every import the opcodes of `bytes[start..]` name, in order, walking through STOP into any
 * following pickle, until the data ends or a byte is not an opcode. Offsets are `base + index`.
 * Never throws; bounded by the length of `bytes`.
 */
export function linearImports(bytes: Uint8Array, start = 0, base = 0): GlobalRef[] {
  const out: GlobalRef[] = [];
  const memo = new Map<number, string>();
  /** The last values pushed, as far as the walk knows them (strings, else undefined). */
  const pushed: (string | undefined)[] = [];
  let pos = start;
  const line = (): string | undefined => {
    const nl = bytes.indexOf(0x0a, pos);
    if (nl < 0) return undefined;
    let s = '';
    for (let i = pos; i < nl; i++) s += String.fromCharCode(bytes[i]);
    pos = nl + 1;
    return s.endsWith('\r') ? s.slice(0, -1) : s;
  };
  const le = (at: number, n: number): number => {
    let v = 0;
    for (let i = n - 1; i >= 0; i--) v = v * 256 + bytes[at + i];
    return v;
  };
  const ref = (module: string, name: string, offset: number, opcode: GlobalRef['opcode'], resolved: boolean): GlobalRef =>
    ({ module, name, offset: base + offset, opcode, called: false, resolved, callArgs: [] });
  while (pos < bytes.length && out.length < MAX_IMPORTS) {
    const at = pos;
    const op = bytes[pos++];
    if (op === OP.GLOBAL || op === OP.INST) {
      const module = line();
      const name = line();
      if (module === undefined || name === undefined) break;
      out.push(ref(module, name, at, op === OP.GLOBAL ? 'GLOBAL' : 'INST', true));
      pushed.push(undefined);
    } else if (op === OP.STACK_GLOBAL) {
      const name = pushed.pop();
      const module = pushed.pop();
      out.push(ref(module ?? '<computed>', name ?? '<computed>', at, 'STACK_GLOBAL', module !== undefined && name !== undefined));
      pushed.push(undefined);
    } else if (ONE_LINE.has(op)) {
      const text = line();
      if (text === undefined) break;
      if (op === OP.PUT) memo.set(Number(text), pushed[pushed.length - 1] ?? '');
      else if (op === OP.GET) pushed.push(memo.get(Number(text)));
      else pushed.push(op === OP.STRING ? text.slice(1, -1) : op === OP.UNICODE ? text : undefined);
    } else if (FIXED.has(op)) {
      const n = FIXED.get(op)!;
      if (pos + n > bytes.length) break;
      const v = le(pos, n);
      if (op === OP.BINPUT || op === OP.LONG_BINPUT) memo.set(v, pushed[pushed.length - 1] ?? '');
      else if (op === OP.BINGET || op === OP.LONG_BINGET) pushed.push(memo.get(v) || undefined);
      else if (op === OP.EXT1 || op === OP.EXT2 || op === OP.EXT4) out.push(ref('copyreg', `<extension ${v}>`, at, 'GLOBAL', false));
      else if (op !== OP.PROTO && op !== OP.FRAME) pushed.push(undefined);
      pos += n;
    } else if (COUNTED.has(op)) {
      const n = COUNTED.get(op)!;
      if (pos + n > bytes.length) break;
      const len = le(pos, n);
      pos += n;
      if (pos + len > bytes.length) break;
      let text: string | undefined;
      if (STRINGS.has(op) && len <= 4096) text = utf8(bytes.subarray(pos, pos + len));
      pushed.push(text);
      pos += len;
    } else if (op === OP.MEMOIZE) {
      memo.set(memo.size, pushed[pushed.length - 1] ?? '');
    } else if (NO_ARG.has(op)) {
      if (op === OP.POP) pushed.pop();
      else if (op !== OP.MARK && op !== OP.STOP) pushed.push(undefined);
    } else break; // not an opcode: the end of what an unpickler could read
    if (pushed.length > 64) pushed.splice(0, pushed.length - 2);
  }
  return out;
}
