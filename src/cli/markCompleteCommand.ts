/**
 * `ckptview mark-complete <folder-or-training_state.pth> [--epoch N] [--force] [--copy-backup]`:
 * what the seed's `fix_checkpoint_epoch.py` does (epoch = N, step = 0, the original kept as
 * `training_state.pth.backup`), as a byte patch of the two numbers that is verified by re-parsing
 * before anything on disk changes (`src/core/repair`). N defaults to the saved epoch.
 */
import { existsSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { countingSource, type ByteSource } from '../core/bytes/byteSource';
import { torchFileFindings } from '../core/analyze/context';
import { hasEpochAndStep, readEnstackState } from '../core/conventions/enstack/state';
import { CheckpointFormatError } from '../core/errors';
import { parseEpochInput, planMarkEpochComplete, type RepairPlan } from '../core/repair/markEpochComplete';
import { literalBytes } from '../core/repair/segments';
import { verifyRepair } from '../core/repair/verifyRepair';
import type { TorchFile } from '../core/torch/torchFile';
import { loadTorchFile } from '../core/torch/loadTorchFile';
import { openFileSource, type NodeFileSource } from '../node/fileSource';
import { CliError, EXIT, type ExitCode } from './exitCodes';
import type { CliIo } from './io';
import { resolveStateFile, STATE_FILE } from './resolveStateFile';
import { backupPathOf, writeRepairedFile, type WriteResult } from './writeRepairedFile';

/** Options of the mark-complete command. */
export interface MarkCompleteOptions {
  readonly target: string | undefined;
  /** The epoch as typed (validated like the page's input); undefined = the saved epoch. */
  readonly epoch: string | undefined;
  readonly force: boolean;
  readonly copyBackup: boolean;
  /** Print bytes read (planning and verification) and elapsed time to stderr. */
  readonly stats: boolean;
}

/** True for an existing folder without `training_state.pth` (an HF Trainer checkpoint-N/, a Lightning folder...). */
function isFolderWithoutState(target: string): boolean {
  try {
    return statSync(target).isDirectory() && !existsSync(join(target, STATE_FILE));
  } catch {
    return false;
  }
}

/** A core error as the page's problem list words it: `file (member): message`. */
function problemLine(e: unknown, file: string): string {
  if (e instanceof CheckpointFormatError) return `${e.file || file}${e.member ? ` (${e.member})` : ''}: ${e.message}`;
  return `${file}: could not be read: ${e instanceof Error ? e.message : String(e)}`;
}

async function parse(src: ByteSource): Promise<TorchFile> {
  try {
    return await loadTorchFile(src);
  } catch (e) {
    throw new CliError(EXIT.badInput, problemLine(e, src.name));
  }
}

/**
 * Run `mark-complete`.
 * @returns the exit code (0 written, 1 verification or write failed and nothing changed)
 * @throws CliError (exit 2) for bad input: missing file, unreadable checkpoint, no epoch/step,
 *         bad epoch, an existing backup without --force
 */
export async function markCompleteCommand(o: MarkCompleteOptions, io: CliIo): Promise<ExitCode> {
  if (!o.target) throw new CliError(EXIT.badInput, 'mark-complete: give a checkpoint folder or its training_state.pth.');
  const started = performance.now();
  const delegate = (): Promise<ExitCode> =>
    import('./setCommand').then(({ offerCommand }) => offerCommand({ verb: 'mark-complete', target: o.target, option: o.epoch !== undefined ? '--epoch' : undefined, value: o.epoch, force: o.force, copyBackup: o.copyBackup }, io));
  // not an EnStack training_state.pth: the trainer's own mark-complete repair (HF Trainer, Lightning, fairseq)
  if (isFolderWithoutState(o.target)) return delegate();
  const path = resolveStateFile(o.target);
  // a symlinked training_state.pth: repair the file it points to and keep the link
  const real = realpathSync(path);
  let file: NodeFileSource;
  try {
    file = await openFileSource(real, path);
  } catch (e) {
    throw new CliError(EXIT.badInput, `${path}: cannot be opened (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).`);
  }
  try {
    const { source, stats } = countingSource(file);
    const torch = await parse(source);
    if (torch.integrity.length) throw new CliError(EXIT.badInput, `${problemLine(torch.integrity[0], path)} Not repaired: a repair would hide the damage.`);
    if (!hasEpochAndStep(torch.value)) return await delegate();
    const before = (await readEnstackState(source, torch)).progress!;
    let epoch = before.epoch;
    if (o.epoch !== undefined) {
      const parsed = parseEpochInput(o.epoch);
      if (!parsed.ok) throw new CliError(EXIT.badInput, `--epoch ${o.epoch}: ${parsed.message}`);
      epoch = parsed.value;
    } else if (epoch < 1) {
      throw new CliError(EXIT.badInput, `${path} saves epoch ${epoch}; give --epoch N (1 or more).`);
    }
    io.out(`${path}: epoch ${before.epoch}, step ${before.step}${before.totalBatches ? ` of ${before.totalBatches}` : ''}: a resume will ${before.resume.text}.`);
    if (before.epoch === epoch && before.step === 0) {
      io.out(`Nothing to change: epoch ${epoch} is already marked complete (step 0). No file was written.`);
      return EXIT.ok;
    }
    if (!o.force && existsSync(backupPathOf(real))) {
      throw new CliError(EXIT.badInput, `${backupPathOf(real)} already exists (an earlier repair?). Nothing was changed; give --force to replace the backup.`);
    }
    const dangerous = torchFileFindings(path, torch).filter((f) => f.verdict === 'dangerous');
    if (dangerous.length) io.err(`warning: ${path} imports ${[...new Set(dangerous.map((f) => f.name))].join(', ')}; only epoch and step are patched, and the file still must not be loaded with torch.load(weights_only=False).`);
    let plan: RepairPlan;
    try {
      plan = await planMarkEpochComplete(source, torch, epoch);
    } catch (e) {
      throw new CliError(EXIT.badInput, problemLine(e, path));
    }
    const verdict = await verifyRepair(source, torch, plan);
    if (!verdict.ok) {
      io.err(`${path}: the repaired file did not pass verification, so nothing was written:`);
      for (const p of verdict.problems) io.err(`  - ${p}`);
      return EXIT.attention;
    }
    const readForPlan = { ...stats };
    const planMs = performance.now() - started;
    let written: WriteResult;
    try {
      written = await writeRepairedFile(real, file, plan, { force: o.force, copyBackup: o.copyBackup });
    } catch (e) {
      io.err(`${path}: not repaired, the original is unchanged: ${(e as Error).message}`);
      return EXIT.attention;
    }
    io.out(`Marked epoch ${epoch} complete: ${plan.changes.map((c) => `${c.field} ${c.before} -> ${c.after}`).join(', ')}; a resume will now ${plan.resumeAfter}.`);
    io.out(`Original kept as ${written.backupPath} (${written.backupKind === 'link' ? 'the original file itself, hard-linked' : 'a byte copy'}).`);
    io.out(`${plan.mode === 'in-place' ? 'Patched in place' : `A wider number was spliced in and the archive re-laid (entries moved by ${plan.shift} bytes)`}; verified before writing:`);
    for (const c of verdict.checks) io.out(`  - ${c}`);
    io.out(`  - the written file reads back with epoch ${epoch} and step 0`);
    if (o.stats) {
      const ph = Object.entries(written.phases).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ');
      io.err(
        `ckptview: read ${readForPlan.bytesRead} bytes in ${readForPlan.reads} reads to plan and verify (${planMs.toFixed(1)} ms); ${literalBytes(plan.segments)} new bytes; ` +
          `${written.writeKind === 'patch' ? 'file copied by the kernel and patched' : 'segments streamed'} (ms: ${ph}); ${(performance.now() - started).toFixed(1)} ms in all`,
      );
    }
    return EXIT.ok;
  } finally {
    await file.close();
  }
}
