/**
 * Types of the safety scan's output: one finding per imported global (or reader note), and the
 * verdict over every pickle of a checkpoint (see `scan.ts`).
 */

/**
 * Safety verdict of the pickles a checkpoint holds (see `safety/scan.ts`), from best to worst:
 *
 * - `weights-only`: every global is on PyTorch's weights_only allowlist, every opcode is one the
 *   weights_only unpickler implements, and the archive is read as torch reads it (torch >= 2.6:
 *   `torch.load(path)` loads it without `weights_only=False`);
 * - `no-code`: every global is on the allowlist or on the short list of reviewed data classes;
 *   loading it runs no code, but weights_only rejects it (or torch.load rejects the file);
 * - `unknown`: may run code: at least one global (or a way the file is read) is not known;
 *   treat the file as code;
 * - `dangerous`: may run code: at least one global is on the denylist (runs code).
 */
export type SafetyVerdict = 'weights-only' | 'no-code' | 'unknown' | 'dangerous';

/** One imported global in a pickle, with its verdict and where it is. */
export interface GlobalFinding {
  readonly file: string;
  readonly member?: string;
  /** Which pickle of the file: `data.pkl`, `magic number`, `object`, a nested pickle... */
  readonly pickle: string;
  /** Offset of the importing opcode in the pickle stream (from the start of data.pkl or the file). */
  readonly offset: number;
  /** `module.name` (for a reader note: a short sentence). */
  readonly name: string;
  /** Importing opcode (`GLOBAL`, `STACK_GLOBAL`, `INST`), or `READ` for a reader note. */
  readonly opcode: string;
  readonly called: boolean;
  /** `allowed`: weights_only allowlist; `harmless`: reviewed, no code; `unknown`, `dangerous`: may run code. */
  readonly verdict: 'allowed' | 'harmless' | 'unknown' | 'dangerous';
  readonly reason: string;
}

/** Safety report over every pickle of one checkpoint. */
export interface SafetySummary {
  readonly verdict: SafetyVerdict;
  /** Would `torch.load(weights_only=True)` (PyTorch >= 2.6) accept every file? */
  readonly weightsOnlyLoads: boolean;
  /** `unknown` or `dangerous`: loading with `weights_only=False` may run code. */
  readonly mayRunCode: boolean;
  readonly findings: GlobalFinding[];
}
