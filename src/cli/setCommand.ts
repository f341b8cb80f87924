/**
 * `ckptview set <checkpoint> --<field> <value>` and the convention side of `mark-complete`: run one
 * of the repairs a convention offers (`core/repair/offers.ts`; CONVENTIONS.md §15) on disk. The
 * target is analysed like `inspect`, the offer is chosen by the option given (`--epochs` for
 * Ultralytics, `--current-step` for kohya, `--latest` for DeepSpeed...), planned and verified by
 * re-reading exactly as the page does, then every changed file is written atomically next to a
 * `<name>.backup` of its original (`writeRepairedFile.ts`). An HF Trainer folder is renamed last,
 * only when the new name is free.
 */
import { existsSync, renameSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { ByteSource } from '../core/bytes/byteSource';
import type { CheckpointSummary } from '../core/conventions/summary';
import { RepairRefused, type RepairAccess, type RepairOffer } from '../core/repair/offers';
import { RepairVerificationError, type BuiltRepair, type RepairedFile } from '../core/repair/buildRepair';
import { repairSubjectOf, runRepair } from '../core/repair/runRepair';
import { segmentsSource } from '../core/repair/segments';
import { openFileSource } from '../node/fileSource';
import { analyzeInputs } from './analyzeInputs';
import { collectInputs } from './collectInputs';
import { diskAccess, diskFile } from './diskAccess';
import { CliError, EXIT, type ExitCode } from './exitCodes';
import type { CliIo } from './io';
import { backupPathOf, writeRepairedFile } from './writeRepairedFile';

/** Options of an offer command. */
export interface OfferCommandOptions {
  readonly verb: 'set' | 'mark-complete';
  readonly target: string | undefined;
  /** The option given (`--epochs`), when any. */
  readonly option?: string;
  readonly value?: string;
  readonly force: boolean;
  readonly copyBackup: boolean;
}

interface Candidate {
  readonly summary: CheckpointSummary;
  readonly offer: RepairOffer;
}

function candidates(summaries: readonly CheckpointSummary[], o: OfferCommandOptions): { open: Candidate[]; refused: Candidate[] } {
  const all = summaries.flatMap((s) => (s.repair.offers ?? []).map((offer) => ({ summary: s, offer })));
  const fits = all.filter(({ offer }) => offer.verb === o.verb && (o.option === undefined ? true : offer.input?.option === o.option || (offer.input === undefined && o.option === '--epoch')));
  const open = fits.filter(({ offer }) => !offer.refusal);
  // a choice (`--latest global_step200`) picks the checkpoint that offers that value
  const chosen = o.value !== undefined ? open.filter(({ offer }) => offer.input?.kind !== 'choice' || offer.input.choices?.includes(o.value!.trim())) : open;
  const refused = all.filter(({ offer }) => offer.refusal && offer.verb === o.verb && (o.option === undefined || !offer.input || offer.input.option === o.option));
  return { open: chosen.length ? chosen : open, refused };
}

/** Read the written temp file back: same size, the new bytes where they belong, and (pickles) it parses. */
async function readBackOf(f: RepairedFile): Promise<(tmp: string) => Promise<void>> {
  return async (tmp) => {
    const written = await openFileSource(tmp, f.path);
    try {
      if (written.size !== f.size) throw new Error(`the written file has ${written.size} bytes, not the planned ${f.size}`);
      const planned = segmentsSource(f.original, f.segments);
      let at = 0;
      for (const s of f.segments) {
        const len = s.kind === 'bytes' ? s.data.length : s.length;
        if (s.kind === 'bytes' || f.size <= 64 * 1024 * 1024) {
          const [a, b] = [await written.read(at, len), await planned.read(at, len)];
          if (a.length !== b.length || a.some((x, i) => x !== b[i])) throw new Error(`the written file differs from the verified repair at byte ${at}`);
        }
        at += len;
      }
    } finally {
      await written.close();
    }
  };
}

/**
 * Run a convention repair on disk.
 * @returns the exit code (0 written or nothing to change, 1 verification or writing failed and nothing changed)
 * @throws CliError (exit 2) for bad input: no such path, no or several matching offers, a refusal,
 *         a value not accepted, an existing backup without --force
 */
export async function offerCommand(o: OfferCommandOptions, io: CliIo): Promise<ExitCode> {
  if (!o.target) throw new CliError(EXIT.badInput, `${o.verb}: give a checkpoint file or folder.`);
  const inputs = collectInputs([o.target]);
  const result = await analyzeInputs(inputs);
  const { open, refused } = candidates(result.summaries, o);
  if (!open.length) {
    if (refused.length) throw new CliError(EXIT.badInput, refused.map(({ summary, offer }) => `${summary.id}: ${offer.label} is refused: ${offer.refusal}.`).join('\n'));
    const offered = result.summaries.flatMap((s) => (s.repair.offers ?? []).filter((x) => !x.refusal).map((x) => `${x.verb}${x.input ? ` ${x.input.option} N` : ''} (${x.label}, ${s.id})`));
    const none = o.verb === 'mark-complete' ? 'has no training_state.pth to mark complete, and no checkpoint here offers mark-complete' : `no checkpoint here offers set${o.option ? ` ${o.option}` : ''}`;
    throw new CliError(EXIT.badInput, `${o.target}: ${none}.${offered.length ? ` Offered: ${[...new Set(offered)].join('; ')}.` : ''}`);
  }
  if (open.length > 1) throw new CliError(EXIT.badInput, `${o.target}: ${open.length} checkpoints offer this (${open.map((c) => c.summary.id).join(', ')}); give one of them.`);
  const { summary, offer } = open[0];
  const session = diskAccess().session();
  const access: RepairAccess = {
    open(path: string): ByteSource | undefined {
      const abs = inputs.absolute.get(path);
      const size = result.files.find((f) => f.path === path)?.size;
      return abs && size !== undefined ? session.open(diskFile(abs, size), path) : undefined;
    },
  };
  try {
    let built: BuiltRepair;
    try {
      built = await runRepair(repairSubjectOf(summary), { offerId: offer.id, value: o.value }, access);
    } catch (e) {
      if (e instanceof RepairVerificationError) {
        io.err(`${e.file}: the repaired file did not pass verification, so nothing was written:`);
        for (const p of e.problems) io.err(`  - ${p}`);
        return EXIT.attention;
      }
      if (e instanceof RepairRefused) {
        if (/nothing to change/.test(e.message)) {
          io.out(`${e.message}. No file was written.`);
          return EXIT.ok;
        }
        throw new CliError(EXIT.badInput, e.message);
      }
      throw e;
    }
    for (const f of built.files) {
      const abs = inputs.absolute.get(f.path) as string;
      if (!o.force && existsSync(backupPathOf(abs))) throw new CliError(EXIT.badInput, `${backupPathOf(abs)} already exists (an earlier repair?). Nothing was changed; give --force to replace the backup.`);
    }
    for (const r of built.renames) {
      const from = inputs.absolute.get(built.files[0].path) as string;
      const dir = dirname(from);
      if (basename(dir) !== basename(r.from)) throw new CliError(EXIT.badInput, `${r.from}: the folder to rename is not where its files are.`);
      if (existsSync(join(dirname(dir), basename(r.to)))) throw new CliError(EXIT.badInput, `${join(dirname(dir), basename(r.to))} already exists: the folder cannot be renamed ${basename(r.to)}. Nothing was changed.`);
    }
    io.out(`${summary.id}: ${offer.label}${offer.safety === 'guarded' ? ' (guarded: read the side effects)' : ''}`);
    for (const c of built.spec.fields) io.out(`  ${c.file} ${c.field}: ${c.before} -> ${c.after}`);
    for (const f of built.files) {
      const abs = inputs.absolute.get(f.path) as string;
      try {
        const w = await writeRepairedFile(abs, f.original, f, { force: o.force, copyBackup: o.copyBackup, readBack: await readBackOf(f) });
        io.out(`Wrote ${abs}; original kept as ${w.backupPath} (${w.backupKind === 'link' ? 'hard link to the original' : 'a byte copy'}).`);
      } catch (e) {
        io.err(`${abs}: not repaired, the original is unchanged: ${(e as Error).message}`);
        return EXIT.attention;
      }
      io.out('Verified before writing:');
      for (const c of f.checks) io.out(`  - ${c}`);
    }
    for (const r of built.renames) {
      const dir = dirname(inputs.absolute.get(built.files[0].path) as string);
      const to = join(dirname(dir), basename(r.to));
      renameSync(dir, to);
      io.out(`Renamed ${dir} to ${to}.`);
    }
    io.out(`A resume now: ${built.spec.resumeAfter}.`);
    for (const s of built.spec.sideEffects) io.out(`Note: ${s}.`);
    if (offer.alternative) io.out(`Alternative without editing: ${offer.alternative}.`);
    return EXIT.ok;
  } finally {
    await session.close();
  }
}
