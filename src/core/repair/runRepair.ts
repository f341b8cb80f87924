/**
 * One repair from request to verified output, shared by the page's worker and the CLI: the
 * summary's convention (`conventions/registry.ts`) plans the offer (`Convention.repair.plan`), and
 * `buildRepair` produces and verifies the repaired files.
 */
import { conventionById } from '../conventions/registry';
import type { CheckpointSummary } from '../conventions/summary';
import { buildRepair, type BuiltRepair } from './buildRepair';
import { RepairRefused, type RepairAccess, type RepairRequest, type RepairSubject } from './offers';

/** The part of a summary a planner needs (small enough to post to the worker). */
export function repairSubjectOf(s: Pick<CheckpointSummary, 'id' | 'name' | 'path' | 'kind' | 'repair'>): RepairSubject {
  return { id: s.id, name: s.name, path: s.path, kind: s.kind, offers: s.repair.offers ?? [] };
}

/**
 * Plan, build and verify `request` for the checkpoint `subject`.
 * @throws RepairRefused (the offer is refused, the value not accepted, a file missing or changed);
 *         RepairVerificationError (the output did not re-read as planned)
 */
export async function runRepair(subject: RepairSubject, request: RepairRequest, access: RepairAccess): Promise<BuiltRepair> {
  const planner = conventionById(subject.kind)?.repair;
  if (!planner) throw new RepairRefused(`${subject.name}: ${subject.kind} checkpoints have no repairs besides mark-complete of epoch/step`);
  const spec = await planner.plan(subject, request, access);
  if (!spec.fields.length) throw new RepairRefused(`${subject.name}: nothing to change (the file already holds these values)`);
  return buildRepair(spec, access);
}
