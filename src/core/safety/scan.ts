/**
 * Safety scan of the pickles of a checkpoint: every imported global (GLOBAL, STACK_GLOBAL,
 * INST), its verdict, where it is (file, zip member, opcode offset) and whether it is called.
 * Also the weights_only verdict: `torch.load(weights_only=True)` (PyTorch >= 2.6) accepts a file
 * only when every global is on its allowlist.
 */
import type { GlobalFinding, SafetySummary } from './types';
import type { GlobalRef } from '../pickle/values';
import { classifyGlobal } from './globalLists';

/** A pickle's globals with where the pickle lives. */
export interface ScannedPickle {
  readonly file: string;
  readonly member?: string;
  /** Which pickle of the file (`data.pkl`, `magic number`, a nested pickle...). */
  readonly label: string;
  readonly globals: readonly GlobalRef[];
}

/**
 * `getattr(SomeClass, 'NAME')` is how Python 3.11+ pickles enum members (`enum.Enum.__reduce_ex__`),
 * so a getattr whose every call takes a harmless global and a public attribute name is only a
 * notice; any other use (getattr of getattr, of a module, of a dunder) reaches arbitrary code.
 */
function benignGetattr(g: GlobalRef): boolean {
  if (g.name !== 'getattr' || (g.module !== 'builtins' && g.module !== '__builtin__') || g.callArgs.length === 0) return false;
  return g.callArgs.every((args) => {
    const [target, attr] = args;
    if (!target || target.kind !== 'global' || !attr || attr.kind !== 'str' || attr.value.startsWith('_')) return false;
    const v = classifyGlobal(target.ref.module, target.ref.name, target.ref.resolved);
    return v.verdict === 'harmless' || v.verdict === 'allowed' || v.verdict === 'unknown';
  });
}

/** Findings for the globals of some pickles (one finding per import site). */
export function scanGlobals(pickles: readonly ScannedPickle[]): GlobalFinding[] {
  const out: GlobalFinding[] = [];
  for (const p of pickles) {
    for (const g of p.globals) {
      const v = benignGetattr(g)
        ? { verdict: 'unknown' as const, reason: 'getattr of a class attribute (how Python 3.11+ pickles enum members): weights_only rejects it; harmless here' }
        : classifyGlobal(g.module, g.name, g.resolved);
      out.push({
        file: p.file,
        member: p.member,
        pickle: p.label,
        offset: g.offset,
        name: `${g.module}.${g.name}`,
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
 * Reduce findings to a verdict. `barePickle`: a file is a plain pickle, which torch.load rejects
 * whatever its globals (no torch.save magic number or archive).
 */
export function safetySummary(findings: GlobalFinding[], barePickle = false): SafetySummary {
  const dangerous = findings.some((f) => f.verdict === 'dangerous');
  const weightsOnlyLoads = !barePickle && findings.every((f) => f.verdict === 'allowed');
  return {
    verdict: dangerous ? 'dangerous' : weightsOnlyLoads ? 'safe' : 'weights-only-rejects',
    weightsOnlyLoads,
    findings,
  };
}
