/**
 * Types of the safety scan's output: one finding per imported global, and the verdict over every
 * pickle of a checkpoint (see `scan.ts`).
 */

/** Safety verdict of the pickles a checkpoint holds (see `safety/scan.ts`). */
export type SafetyVerdict = 'safe' | 'weights-only-rejects' | 'dangerous';

/** One imported global in a pickle, with its verdict and where it is. */
export interface GlobalFinding {
  readonly file: string;
  readonly member?: string;
  /** Which pickle of the file: `data.pkl`, `magic number`, `object`, a nested pickle... */
  readonly pickle: string;
  /** Offset of the importing opcode in the pickle stream (from the start of data.pkl or the file). */
  readonly offset: number;
  /** `module.name`. */
  readonly name: string;
  readonly opcode: string;
  readonly called: boolean;
  readonly verdict: 'allowed' | 'harmless' | 'unknown' | 'dangerous';
  readonly reason: string;
}

/** Safety report over every pickle of one checkpoint. */
export interface SafetySummary {
  readonly verdict: SafetyVerdict;
  /** Would `torch.load(weights_only=True)` (PyTorch >= 2.6) accept every file? */
  readonly weightsOnlyLoads: boolean;
  readonly findings: GlobalFinding[];
}
