/**
 * Small helpers the conventions' `repair.ts` files share: the summary's `repair` field from a list
 * of offers, preview lines from pickle targets, and the spec of a pickle-values repair.
 */
import type { AnalysisContext } from '../analyze/context';
import type { ConventionPart } from '../conventions/convention';
import type { PyValue } from '../pickle/values';
import { loadTorchFile } from '../torch/loadTorchFile';
import type { TorchFile } from '../torch/torchFile';
import { RepairRefused, type ConventionRepair, type PickleValueTarget, type RepairAccess, type RepairFieldChange, type RepairOffer, type RepairSpec } from './offers';
import { scalarOf, valueAt } from './pickleValuePatch';

/**
 * `part.repair` with the convention's offers added (called once per checkpoint after `read`).
 * An offer list that cannot be made (a bug, a file gone) leaves `part.repair` as it was, with the
 * reason appended: repairs never make a checkpoint unreadable.
 */
export async function withRepairOffers(repair: ConventionRepair, ctx: AnalysisContext, part: ConventionPart): Promise<ConventionPart['repair']> {
  let offers: RepairOffer[];
  try {
    offers = await repair.offers(ctx, part);
  } catch (e) {
    return { ...part.repair, reason: `${part.repair.reason} (repairs could not be planned: ${(e as Error).message})` };
  }
  if (!offers.length) return part.repair;
  const open = offers.filter((o) => !o.refusal);
  const reason = part.repair.eligible ? part.repair.reason : open.length ? `this trainer's own repairs apply instead: ${open.map((o) => o.label.charAt(0).toLowerCase() + o.label.slice(1)).join('; ')}` : (offers[0].refusal ?? part.repair.reason);
  return { ...part.repair, reason, offers };
}

/** Preview lines of pickle targets (only the values that change). */
export function fieldsOf(file: string, targets: readonly PickleValueTarget[]): RepairFieldChange[] {
  return targets.filter((t) => t.before !== t.after).map((t) => ({ file, field: t.path.join('.'), before: String(t.before), after: String(t.after) }));
}

/** A pickle target read from `root`: the value now at `path`, to be set to `after`. Undefined when absent or not an int/bool. */
export function targetAt(root: PyValue, path: readonly string[], after: number | boolean): PickleValueTarget | undefined {
  const before = scalarOf(valueAt(root, path));
  return before === undefined ? undefined : { path, before, after };
}

/** The int at `path`, or undefined. */
export function intAt(root: PyValue, path: readonly string[]): number | undefined {
  const v = scalarOf(valueAt(root, path));
  return typeof v === 'number' ? v : undefined;
}

/**
 * Parse a dropped torch file for planning.
 * @throws RepairRefused when it was not dropped or does not parse
 */
export async function loadForRepair(access: RepairAccess, path: string): Promise<TorchFile> {
  const src = access.open(path);
  if (!src) throw new RepairRefused(`${path} is not available (drop it again)`);
  try {
    return await loadTorchFile(src);
  } catch (e) {
    throw new RepairRefused(`${path} cannot be read: ${(e as Error).message}`);
  }
}

/** The spec of a repair that sets pickle values in one file. */
export function pickleSpec(offerId: string, file: string, targets: readonly PickleValueTarget[], resumeAfter: string, sideEffects: readonly string[]): RepairSpec {
  return { offerId, edits: [{ kind: 'pickle-values', file, targets }], fields: fieldsOf(file, targets), resumeAfter, sideEffects };
}
