/**
 * Safety scan of the pickles of a checkpoint: every imported global (GLOBAL, STACK_GLOBAL, INST),
 * its verdict, where it is (file, zip member, opcode offset) and whether it is called; plus the
 * reader notes (`READ`) that loadTorchFile attaches when a file is read differently from torch.
 * Then the verdict over all of them (see `types.ts` for what each verdict promises).
 */
import type { GlobalFinding, SafetySummary, SafetyVerdict } from './types';
import type { GlobalRef } from '../pickle/values';
import { canonicalModule, classifyGlobal, reviewedGlobal, type GlobalVerdict } from './globalLists';

/** A pickle's globals with where the pickle lives. */
export interface ScannedPickle {
  readonly file: string;
  readonly member?: string;
  /** Which pickle of the file (`data.pkl`, `magic number`, a nested pickle...). */
  readonly label: string;
  readonly globals: readonly GlobalRef[];
}

/** Public attribute names an enum member may have (no dunder, no private name). */
const MEMBER_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

/**
 * `getattr(EnumClass, 'NAME')` is how Python 3.11+ pickles enum members (CPython
 * `Lib/enum.py` `Enum.__reduce_ex__`). That use, and only it, runs no code: every call takes a
 * class on the reviewed list marked as an enum, a public attribute name, and its result is never
 * called. Any other getattr (of a module, of getattr, of an unknown class, a dunder, a result that
 * is called) reaches arbitrary code.
 */
export function enumMemberGetattr(g: GlobalRef): boolean {
  if (g.name !== 'getattr' || canonicalModule(g.module) !== 'builtins' || !g.resolved || g.callArgs.length === 0 || g.resultCalled) return false;
  return g.callArgs.every((args) => {
    const [target, attr] = args;
    if (args.length !== 2 || !target || target.kind !== 'global' || !attr || attr.kind !== 'str' || !MEMBER_NAME.test(attr.value)) return false;
    return reviewedGlobal(target.ref.module, target.ref.name)?.enumClass === true && target.ref.resolved;
  });
}

/**
 * `getattr(SomeClass, 'NAME')` where the class is not reviewed but not denylisted either, the name
 * is public and the result is never called: the shape of an enum member of an unknown enum
 * (torch.distributed.checkpoint metadata, for one). Not harmless (the class is unknown), but not
 * the getattr tricks of the denylists (getattr of a module, of getattr itself, of a dunder).
 */
function classAttributeGetattr(g: GlobalRef): boolean {
  if (!g.resolved || g.callArgs.length === 0 || g.resultCalled) return false;
  return g.callArgs.every((args) => {
    const [target, attr] = args;
    if (args.length !== 2 || target?.kind !== 'global' || attr?.kind !== 'str' || !MEMBER_NAME.test(attr.value)) return false;
    const t = classifyGlobal(target.ref.module, target.ref.name, target.ref.resolved).verdict;
    return t === 'unknown';
  });
}

/** The verdict of one global or reader note. Never throws. */
export function judgeGlobal(g: GlobalRef): GlobalVerdict {
  if (g.opcode === 'READ') {
    const level = g.note?.level ?? 'unknown';
    return { verdict: level === 'unknown' ? 'unknown' : 'harmless', reason: g.note?.text ?? 'the file is not read as torch reads it' };
  }
  if (enumMemberGetattr(g)) {
    return { verdict: 'harmless', reason: 'getattr of an enum member of a reviewed enum class (how Python 3.11+ pickles enum members): no code runs; weights_only rejects it' };
  }
  const v = classifyGlobal(g.module, g.name, g.resolved);
  if (canonicalModule(g.module) === 'builtins' && g.name === 'getattr') {
    if (classAttributeGetattr(g)) {
      return { verdict: 'unknown', reason: 'getattr of a public attribute of a class this viewer has not reviewed (perhaps an enum member, as Python 3.11+ pickles them): treat as code' };
    }
    return { verdict: 'dangerous', reason: 'getattr on something other than a member of a known enum class reaches any attribute of any object, e.g. os.system' };
  }
  return v;
}

/** Findings for the globals of some pickles (one finding per import site). Never throws. */
export function scanGlobals(pickles: readonly ScannedPickle[]): GlobalFinding[] {
  const out: GlobalFinding[] = [];
  for (const p of pickles) {
    for (const g of p.globals) {
      const v = judgeGlobal(g);
      out.push({
        file: p.file,
        member: p.member,
        pickle: p.label,
        offset: g.offset,
        name: g.opcode === 'READ' ? g.name : `${g.module}.${g.name}`,
        opcode: g.opcode,
        called: g.called,
        verdict: v.verdict,
        reason: v.reason,
      });
    }
  }
  return out;
}

/**
 * Reduce findings to a verdict: `dangerous` when any finding is, else `unknown` when any is, else
 * `weights-only` when every finding is `allowed` and the file is not a bare pickle, else `no-code`.
 * `barePickle`: a file is a plain pickle (no torch.save magic number or archive), which torch.load
 * rejects whatever its globals, so it never gets `weights-only`.
 */
export function safetySummary(findings: GlobalFinding[], barePickle = false): SafetySummary {
  const dangerous = findings.some((f) => f.verdict === 'dangerous');
  const unknown = findings.some((f) => f.verdict === 'unknown');
  const weightsOnlyLoads = !barePickle && findings.every((f) => f.verdict === 'allowed');
  const verdict: SafetyVerdict = dangerous ? 'dangerous' : unknown ? 'unknown' : weightsOnlyLoads ? 'weights-only' : 'no-code';
  return { verdict, weightsOnlyLoads, mayRunCode: dangerous || unknown, findings };
}

/** True for the verdicts under which loading with `weights_only=False` may run code. */
export function mayRunCode(verdict: SafetyVerdict): boolean {
  return verdict === 'dangerous' || verdict === 'unknown';
}
