/**
 * Turn one planned checkpoint into a {@link CheckpointSummary}: the convention the plan names (or,
 * for a lone torch file, the first convention of the registry whose `matches` accepts its
 * content) reads it; every problem is a sentence naming the file; one bad file never hides the
 * others.
 */
import type { ConventionPart } from '../conventions/convention';
import { CONVENTIONS, conventionById, roleLabel } from '../conventions/registry';
import { progressOfPosition } from '../conventions/shared/position';
import { notRepairable } from '../conventions/shared/repairEligibility';
import type { CheckpointSummary } from '../conventions/summary';
import { BY_CONTENT, type CheckpointPlan } from '../folder/checkpointPlan';
import { COMMON_ROLE_NAMES } from '../folder/roles';
import { safetySummary } from '../safety/scan';
import { withRepairOffers } from '../repair/specKit';
import type { ByteSource } from '../bytes/byteSource';
import { cachingSource } from '../bytes/cachingSource';
import { AnalysisContext, type FileOpener } from './context';

export { torchFileFindings, type FileOpener } from './context';

/** The convention that reads `plan`: the named one, or the first whose `matches` accepts the parsed file. */
async function conventionFor(ctx: AnalysisContext, plan: CheckpointPlan) {
  if (plan.convention !== BY_CONTENT) return conventionById(plan.convention);
  const file = await ctx.loadTorch(plan.files[0].path);
  if (!file) return undefined;
  return CONVENTIONS.find((c) => c.matches?.(file));
}

/**
 * Analyse one checkpoint. Never throws: problems are returned in `problems`.
 * @param sizes file sizes in bytes by path
 */
export async function analyzeCheckpoint(plan: CheckpointPlan, open: FileOpener, sizes: ReadonlyMap<string, number>): Promise<CheckpointSummary> {
  // one caching source per file for this checkpoint: every reader's small reads become few file reads
  const opened = new Map<string, ByteSource>();
  const cachedOpen: FileOpener = (path) => {
    let src = opened.get(path);
    if (!src) opened.set(path, (src = cachingSource(open(path))));
    return src;
  };
  const ctx = new AnalysisContext(plan, cachedOpen, sizes, (role) => roleLabel(role, COMMON_ROLE_NAMES, plan.convention));
  let part: ConventionPart;
  try {
    const convention = await conventionFor(ctx, plan);
    part = convention ? await convention.read(ctx) : { kind: 'unreadable', repair: notRepairable('the checkpoint could not be read') };
    if (convention?.repair && part.kind !== 'unreadable') part = { ...part, repair: await withRepairOffers(convention.repair, ctx, part) };
  } catch (e) {
    // readers record per-file problems themselves; this is the last line against a bug
    ctx.fail(plan.files[0]?.path ?? plan.id, e);
    part = { kind: 'unreadable', repair: notRepairable('the checkpoint could not be read') };
  }
  if (!part.progress && part.position) part = { ...part, progress: progressOfPosition(part.position) };
  const tookPickles = ctx.files.some((f) => f.pickleProtocol !== undefined);
  return {
    id: plan.id,
    name: plan.name,
    path: plan.path,
    files: ctx.files,
    totalBytes: ctx.files.reduce((a, f) => a + f.size, 0),
    ...part,
    safety: tookPickles || ctx.findings.length ? safetySummary(ctx.findings, ctx.barePickle || ctx.damaged) : undefined,
    problems: ctx.problems,
    warnings: ctx.warnings,
  };
}
