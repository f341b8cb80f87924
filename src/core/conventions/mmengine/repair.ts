/**
 * MMEngine repair (CONVENTIONS.md §7 "ckptview repair rule", §15: safe): `Runner.resume` with
 * `resume=True` and no path loads the file `last_checkpoint` names
 * (`mmengine/runner/checkpoint.py:find_latest_checkpoint`). Re-pointing it at another checkpoint
 * of the same folder that reads completely (parses, passes the integrity checks, holds `meta`) is
 * offered; the directory part of the saved path is kept (it is the work_dir on the training
 * machine), only the file name changes. `meta.epoch` / `meta.iter` / the param schedulers are
 * never edited (advise only).
 */
import { baseName } from '../../folder/paths';
import { dictGet } from '../../pickle/values';
import { offerOf, RepairRefused, type ConventionRepair } from '../../repair/offers';
import { loadTorchFile } from '../../torch/loadTorchFile';
import { replaceTrimmed } from '../deepspeed/repair';

const ID = 'mmengine-last-checkpoint';
const MAX_POINTER_BYTES = 64 * 1024;

/** The number in `epoch_12.pth` / `iter_800.pth` (-1 for other names), to pick the newest. */
function numberOf(name: string): number {
  return Number(/(?:epoch|iter)_(\d+)\.pth$/.exec(name)?.[1] ?? -1);
}

/** The pointer text with the file name of its path replaced. */
function repointed(text: string, name: string): string {
  const named = text.trim().split(/\r?\n/)[0]?.trim() ?? '';
  const cut = Math.max(named.lastIndexOf('/'), named.lastIndexOf('\\'));
  return replaceTrimmed(text, `${named.slice(0, cut + 1)}${name}`);
}

/** Offers and plans `mmengine-last-checkpoint`. */
export const mmengineRepair: ConventionRepair = {
  async offers(ctx) {
    const pointer = ctx.paths('last-checkpoint')[0];
    if (!pointer) return [];
    const src = ctx.open(pointer);
    if (src.size > MAX_POINTER_BYTES) return [];
    const text = new TextDecoder().decode(await src.read(0, src.size));
    const named = baseName((text.trim().split(/\r?\n/)[0] ?? '').replace(/\\/g, '/'));
    const complete: string[] = [];
    for (const f of ctx.plan.files) {
      if (f.role !== 'other' || !f.path.endsWith('.pth') || baseName(f.path) === named) continue;
      try {
        const t = await loadTorchFile(ctx.open(f.path));
        if (!t.integrity.length && dictGet(t.value, 'meta')?.kind === 'dict') complete.push(baseName(f.path));
      } catch {
        // unreadable: not a target
      }
    }
    const base = { id: ID, label: 'Point last_checkpoint at another checkpoint', verb: 'set' as const, safety: 'safe' as const, file: pointer };
    const present = ctx.plan.files.some((f) => baseName(f.path) === named && f.role === 'other');
    if (!complete.length) return [{ ...base, fields: [], resumeAfter: '', sideEffects: [], refusal: 'no other complete checkpoint (.pth with meta that reads without errors) is in this folder' }];
    const pick = [...complete].sort((a, b) => numberOf(b) - numberOf(a) || a.localeCompare(b))[0];
    return [{
      ...base,
      label: present ? 'Point last_checkpoint at another checkpoint' : `Point last_checkpoint at ${pick} (it names a missing file)`,
      input: { kind: 'choice', label: 'last_checkpoint file', option: '--last-checkpoint', default: pick, choices: complete },
      fields: [{ file: pointer, field: '(file)', before: text.trim(), after: repointed(text, pick).trim() }],
      resumeAfter: `Runner.resume(resume=True) loads ${pick} and continues from its meta.epoch / meta.iter`,
      sideEffects: [present ? `${named} stays on disk; resume from it with load_from=${named}, resume=True` : `${named}, which the pointer named, is not in this folder`],
    }];
  },
  async plan(subject, request, access) {
    const offer = offerOf(subject, request);
    const name = (request.value ?? offer.input?.default ?? '').trim().replace(/^.*[\\/]/, '');
    if (!offer.input?.choices?.includes(name)) throw new RepairRefused(`${name || '(none)'} is not a complete checkpoint in this folder; choose one of ${offer.input?.choices?.join(', ') ?? 'none'}`);
    const src = access.open(offer.file);
    if (!src) throw new RepairRefused(`${offer.file} is not available (drop it again)`);
    if (src.size > MAX_POINTER_BYTES) throw new RepairRefused(`${offer.file} is too large for a pointer`);
    const before = new TextDecoder().decode(await src.read(0, src.size));
    const after = repointed(before, name);
    return {
      offerId: ID,
      edits: [{ kind: 'text-file', file: offer.file, before, after }],
      fields: [{ file: offer.file, field: '(file)', before: before.trim(), after: after.trim() }],
      resumeAfter: `Runner.resume(resume=True) loads ${name} and continues from its meta.epoch / meta.iter`,
      sideEffects: offer.sideEffects,
    };
  },
};
