/**
 * DeepSpeed repair (CONVENTIONS.md §8 "ckptview repair rule", §15: safe after a completeness
 * check): `deepspeed/runtime/engine.py:load_checkpoint(load_dir, tag=None)` loads the tag the
 * `latest` text file names. Re-pointing `latest` at this tag folder is offered when the folder is
 * complete: its model states parse and there is one non-empty ZeRO optimizer shard per
 * data-parallel rank (`dp_world_size`), as `read` checks (`resumable`). The text keeps the
 * whitespace around the tag (DeepSpeed writes the bare tag, no newline).
 */
import { offerOf, RepairRefused, type ConventionRepair, type RepairAccess, type RepairOffer } from '../../repair/offers';

const ID = 'deepspeed-latest';
const MAX_LATEST_BYTES = 4096;

/** `text` with its trimmed content replaced by `value`, keeping leading and trailing whitespace. */
export function replaceTrimmed(text: string, value: string): string {
  const lead = /^\s*/.exec(text)?.[0] ?? '';
  const trail = /\s*$/.exec(text.slice(lead.length))?.[0] ?? '';
  return `${lead}${value}${trail}`;
}

async function readSmall(access: RepairAccess, path: string): Promise<string> {
  const src = access.open(path);
  if (!src) throw new RepairRefused(`${path} is not available (drop it again)`);
  if (src.size > MAX_LATEST_BYTES) throw new RepairRefused(`${path} is larger than a tag name (${src.size} bytes)`);
  return new TextDecoder().decode(await src.read(0, src.size));
}

/** Offers and plans `deepspeed-latest` (re-point `latest` at this tag folder). */
export const deepspeedRepair: ConventionRepair = {
  async offers(ctx, part) {
    const latestPath = ctx.paths('deepspeed-latest')[0];
    if (!latestPath || ctx.plan.convention === 'by-content') return [];
    const tag = ctx.plan.name;
    const text = await readSmall({ open: (p) => ctx.open(p) }, latestPath);
    const now = text.trim();
    if (now === tag) return [];
    const offer: RepairOffer = {
      id: ID,
      label: `Point latest at ${tag}`,
      verb: 'set',
      safety: 'safe',
      file: latestPath,
      input: { kind: 'choice', label: 'latest', option: '--latest', default: tag, choices: [tag] },
      fields: [{ file: latestPath, field: '(file)', before: now, after: tag }],
      resumeAfter: `load_checkpoint without a tag loads ${tag}`,
      sideEffects: [`global_steps, the optimizer shards and the client_state epoch all come from ${tag}: training continues from that point`, ...(now ? [`${now} stays on disk; load_checkpoint(tag='${now}') still loads it`] : [])],
      params: { tag },
    };
    if (part.position?.resumable !== true) return [{ ...offer, refusal: `${tag} is not complete (missing model states, a missing or empty ZeRO shard, or fewer shards than dp_world_size): load_checkpoint would fail on it` }];
    return [offer];
  },
  async plan(subject, request, access) {
    const offer = offerOf(subject, request);
    const tag = String(offer.params?.tag ?? '');
    if (request.value !== undefined && request.value.trim() !== tag) throw new RepairRefused(`latest can be pointed at ${tag} from this checkpoint; give the checkpoint folder of ${request.value.trim()} to point it there`);
    const before = await readSmall(access, offer.file);
    return {
      offerId: ID,
      edits: [{ kind: 'text-file', file: offer.file, before, after: replaceTrimmed(before, tag) }],
      fields: [{ file: offer.file, field: '(file)', before: before.trim(), after: tag }],
      resumeAfter: offer.resumeAfter,
      sideEffects: offer.sideEffects,
    };
  },
};
