/**
 * Turn one planned checkpoint into a {@link CheckpointSummary}: the convention's reader fills its
 * part; every problem is a sentence naming the file; one bad file never hides the others.
 */
import type { CheckpointSummary } from '../conventions/summary';
import type { CheckpointPlan } from '../folder/plan';
import { fileWithRole } from '../folder/plan';
import { safetySummary } from '../safety/scan';
import { AnalysisContext, type FileOpener } from './context';
import { readEnstackCheckpoint, readGenericCheckpoint, readHfCheckpoint, readLightningCheckpoint, readWeightsCheckpoint, type ConventionPart } from './conventionReaders';

export { torchFileFindings, type FileOpener } from './context';

/**
 * Analyse one checkpoint. Never throws: problems are returned in `problems`.
 * @param sizes file sizes in bytes by path
 */
export async function analyzeCheckpoint(plan: CheckpointPlan, open: FileOpener, sizes: ReadonlyMap<string, number>): Promise<CheckpointSummary> {
  const ctx = new AnalysisContext(plan, open, sizes);
  const state = fileWithRole(plan, 'training-state');
  let part: ConventionPart;
  try {
    switch (plan.convention) {
      case 'enstack':
        part = await readEnstackCheckpoint(ctx, state as string, 'enstack');
        break;
      case 'hf-trainer':
        part = await readHfCheckpoint(ctx);
        break;
      case 'lightning':
        part = await readLightningCheckpoint(ctx, state as string);
        break;
      case 'weights':
        part = await readWeightsCheckpoint(ctx);
        break;
      default:
        part = await readGenericCheckpoint(ctx, state as string);
    }
  } catch (e) {
    // readers record per-file problems themselves; this is the last line against a bug
    ctx.fail(state ?? plan.id, e);
    part = { kind: 'unreadable', repair: { eligible: false, reason: 'the checkpoint could not be read' } };
  }
  const tookPickles = ctx.files.some((f) => f.pickleProtocol !== undefined);
  return {
    id: plan.id,
    name: plan.name,
    path: plan.path,
    files: ctx.files,
    totalBytes: ctx.files.reduce((a, f) => a + f.size, 0),
    ...part,
    safety: tookPickles || ctx.findings.length ? safetySummary(ctx.findings, ctx.barePickle) : undefined,
    problems: ctx.problems,
    warnings: ctx.warnings,
  };
}
