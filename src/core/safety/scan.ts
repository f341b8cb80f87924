/**
 * Safety scan of the pickles of a checkpoint: every imported global (GLOBAL, STACK_GLOBAL,
 * INST), its verdict, where it is (file, zip member, opcode offset) and whether it is called.
 * Also the weights_only verdict: `torch.load(weights_only=True)` (PyTorch >= 2.6) accepts a file
 * only when every global is on its allowlist.
 */
import type { GlobalFinding, SafetySummary } from '../conventions/summary';
import type { GlobalRef } from '../pickle/values';
import { classifyGlobal } from './globalLists';

/** A pickle's globals with where the pickle lives. */
export interface ScannedPickle {
  readonly file: string;
  readonly member?: string;
  readonly globals: readonly GlobalRef[];
}

/** Findings for the globals of some pickles (one finding per import site). */
export function scanGlobals(pickles: readonly ScannedPickle[]): GlobalFinding[] {
  const out: GlobalFinding[] = [];
  for (const p of pickles) {
    for (const g of p.globals) {
      const v = classifyGlobal(g.module, g.name, g.resolved);
      out.push({
        file: p.file,
        member: p.member,
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

/** Reduce findings to a verdict. */
export function safetySummary(findings: GlobalFinding[]): SafetySummary {
  const dangerous = findings.some((f) => f.verdict === 'dangerous');
  const weightsOnlyLoads = findings.every((f) => f.verdict === 'allowed');
  return {
    verdict: dangerous ? 'dangerous' : weightsOnlyLoads ? 'safe' : 'weights-only-rejects',
    weightsOnlyLoads,
    findings,
  };
}
