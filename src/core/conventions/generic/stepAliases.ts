/**
 * The step and epoch counters plain PyTorch scripts save under other names (CONVENTIONS.md §14):
 * `iteration` / `iter` / `global_step` / `step` / `steps` / `num_updates` for the step, `epochs`
 * for the epoch; and an epoch that lives only in the file name (`epoch_5.pth`, `ep12.pt`). The
 * meaning of these numbers is the script's own: they are shown, never turned into a resume rule.
 */
import { dictGet, type PyValue } from '../../pickle/values';

/** Top-level names of a step counter, in order of preference. */
export const STEP_ALIASES: readonly string[] = ['global_step', 'iteration', 'iter', 'step', 'steps', 'num_updates', 'it'];

/** A counter found under one of its names. */
export interface NamedCount {
  readonly name: string;
  readonly value: number;
}

function intOf(v: PyValue | undefined): number | undefined {
  return v?.kind === 'int' ? Number(v.value) : undefined;
}

/** The first int saved under a step alias, or undefined. */
export function savedStep(root: PyValue): NamedCount | undefined {
  for (const name of STEP_ALIASES) {
    const value = intOf(dictGet(root, name));
    if (value !== undefined) return { name, value };
  }
  return undefined;
}

/** The int saved as `epoch`, else as `epochs`; undefined when neither is an int. */
export function savedEpoch(root: PyValue): NamedCount | undefined {
  for (const name of ['epoch', 'epochs']) {
    const value = intOf(dictGet(root, name));
    if (value !== undefined) return { name, value };
  }
  return undefined;
}

/**
 * The epoch number a file name carries (`epoch_5.pth`, `epoch-12.pt`, `model_epoch3.pth`,
 * `ep7.pt`, `e10.pth`); undefined when the name has none. `checkpoint-350` is not an epoch.
 */
export function epochInFileName(name: string): number | undefined {
  const m = /(?:^|[^a-z0-9])(?:epoch|ep|e)[_\-.]?(\d+)(?=[^0-9]|$)/i.exec(name);
  return m ? Number(m[1]) : undefined;
}
