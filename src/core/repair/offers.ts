/**
 * The repair seam between conventions and the repair core (DESIGN.md "repair: the convention's
 * repair plan + spans -> patch plan -> ... -> re-parse and compare -> download").
 *
 * - At read time a convention lists what it can repair as {@link RepairOffer}s (plain data, kept in
 *   the summary: the page, the CLI and the share link see the same list, refusals included).
 * - On request its {@link ConventionRepair.plan} turns an offer and a user value into a
 *   {@link RepairSpec}: a list of typed {@link RepairEdit}s (int values in a pickle found by their
 *   path in the value tree, JSON values found by their path in the text, a whole text file, a folder
 *   rename). `buildRepair.ts` turns the edits into byte segments and verifies them by re-reading.
 *
 * Which repairs exist, and which fields each may change, follow CONVENTIONS.md §15 "Repair safety
 * matrix" and each trainer's "ckptview repair rule".
 */
import type { AnalysisContext } from '../analyze/context';
import type { ByteSource } from '../bytes/byteSource';
import type { ConventionPart } from '../conventions/convention';

/** One field a repair changes, as shown in the preview (`extra_state.train_iterator.epoch: 3 -> 4`). */
export interface RepairFieldChange {
  /** Path of the file, relative to the drop. */
  readonly file: string;
  /** Dotted path of the field inside the file (`train_args.epochs`), or `(file)` for a whole text file. */
  readonly field: string;
  readonly before: string;
  readonly after: string;
}

/** The one value a user may choose for a repair (the epoch to mark complete, the new total epochs...). */
export interface RepairInput {
  /** `int`: a whole number; `choice`: one of `choices`. */
  readonly kind: 'int' | 'choice';
  /** Label in the page (`Epoch to mark complete`). */
  readonly label: string;
  /** The CLI option that sets it (`--epochs`). */
  readonly option: string;
  readonly default: string;
  /** Smallest accepted whole number (inclusive), for `int`. */
  readonly min?: number;
  /** Accepted values, for `choice`. */
  readonly choices?: readonly string[];
}

/** A repair a convention offers for one checkpoint (plain, structured-clone-safe data). */
export interface RepairOffer {
  /** Stable id (`kohya-current-step`, `hf-mark-complete`...). */
  readonly id: string;
  /** Button label (`Set current_step`). */
  readonly label: string;
  /** `mark-complete` repairs run from `ckptview mark-complete`; the others from `ckptview set`. */
  readonly verb: 'mark-complete' | 'set';
  /** `guarded`: side effects the user must accept (CONVENTIONS.md §15); `safe`: the edited field is the one resume reads. */
  readonly safety: 'safe' | 'guarded';
  /** The main file changed (path relative to the drop). */
  readonly file: string;
  readonly input?: RepairInput;
  /** The changes at the default input (the preview before planning). */
  readonly fields: RepairFieldChange[];
  /** What a resume does afterwards, at the default input. */
  readonly resumeAfter: string;
  /** What else changes or does not follow (LR schedule, optimizer counts, folder name...). */
  readonly sideEffects: string[];
  /** A way to get the same effect without editing, when there is one (`ignore_data_skip=True`). */
  readonly alternative?: string;
  /** Present when the repair is refused for this checkpoint: why, in a sentence. */
  readonly refusal?: string;
  /** Values the planner needs that were read at analysis time (HF `stepsPerEpoch`, a DeepSpeed `tag`). */
  readonly params?: Readonly<Record<string, number | string>>;
}

/** A pickle int (or bool) to set, found by its path in the value tree (dict keys, `[i]` list items). */
export interface PickleValueTarget {
  readonly path: readonly string[];
  /** The value the planner read; the build refuses when the file holds something else. */
  readonly before: number | boolean;
  readonly after: number | boolean;
}

/** A JSON value to replace, found by its path (object keys, array indices). */
export interface JsonValueTarget {
  readonly path: readonly (string | number)[];
  /** The new value exactly as it is written into the text (`3.0`, `939`, `null`, `"out/checkpoint-500"`). */
  readonly text: string;
}

/** One edit of a repair. */
export type RepairEdit =
  | { readonly kind: 'pickle-values'; readonly file: string; readonly targets: readonly PickleValueTarget[] }
  | { readonly kind: 'json-values'; readonly file: string; readonly targets: readonly JsonValueTarget[] }
  | { readonly kind: 'text-file'; readonly file: string; readonly before: string; readonly after: string }
  | { readonly kind: 'rename-folder'; readonly from: string; readonly to: string };

/** A planned repair: the edits and what they mean. */
export interface RepairSpec {
  readonly offerId: string;
  readonly edits: readonly RepairEdit[];
  readonly fields: readonly RepairFieldChange[];
  readonly resumeAfter: string;
  readonly sideEffects: readonly string[];
}

/** What the user asked for: an offer and its value (the offer's default when absent). */
export interface RepairRequest {
  readonly offerId: string;
  readonly value?: string;
}

/** Opens the dropped files (the page's Files, the CLI's disk). */
export interface RepairAccess {
  /** The file at `path` (relative to the drop), or undefined when it was not dropped. */
  open(path: string): ByteSource | undefined;
}

/** A refusal while planning: the message says why, in a sentence a user understands. */
export class RepairRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RepairRefused';
  }
}

/** What a convention supplies for repairs (the `repair` member of `Convention`). */
export interface ConventionRepair {
  /**
   * The repairs offered for a checkpoint just read (`part`), refused ones included with the reason.
   * Reads through `ctx` (parsed files are cached there). May throw: the caller keeps `part.repair`.
   */
  offers(ctx: AnalysisContext, part: ConventionPart): Promise<RepairOffer[]>;
  /**
   * Plan `request` for the checkpoint summarised by `summary` (its `repair.offers` list the ids).
   * @throws RepairRefused when the offer is refused or the value is not accepted
   */
  plan(summary: RepairSubject, request: RepairRequest, access: RepairAccess): Promise<RepairSpec>;
}

/** The parts of a checkpoint summary a planner reads (kept small so it crosses to the worker cheaply). */
export interface RepairSubject {
  readonly id: string;
  readonly name: string;
  readonly path: string;
  readonly kind: string;
  readonly offers: readonly RepairOffer[];
}

/**
 * Parse a whole-number input for an offer.
 * @throws RepairRefused when it is not a whole number at least `min`
 */
export function intInput(offer: RepairOffer, value: string | undefined): number {
  const text = (value ?? offer.input?.default ?? '').trim();
  const min = offer.input?.min ?? 0;
  if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(Number(text))) throw new RepairRefused(`${offer.input?.option ?? 'value'} ${text}: give a whole number.`);
  const n = Number(text);
  if (n < min) throw new RepairRefused(`${offer.input?.option ?? 'value'} ${n}: give ${min} or more.`);
  return n;
}

/**
 * The offer `request` names, not refused.
 * @throws RepairRefused when it is absent or refused
 */
export function offerOf(subject: RepairSubject, request: RepairRequest): RepairOffer {
  const o = subject.offers.find((x) => x.id === request.offerId);
  if (!o) throw new RepairRefused(`${subject.name}: no repair ${request.offerId} is offered for this checkpoint.`);
  if (o.refusal) throw new RepairRefused(`${subject.name}: ${o.label} is refused: ${o.refusal}.`);
  return o;
}
