/**
 * TorchScript archives (`torch.jit.save`): a zip with `constants.pkl`, `code/` (the module's
 * TorchScript source) and `data.pkl` pickling `__torch__.*` module objects. `torch.load` checks
 * `_is_torchscript_zip` (torch/serialization.py: a `constants.pkl` record) and hands the file to
 * `torch.jit.load`, which compiles and runs the code in `code/`. Not a training checkpoint: no
 * epoch, no optimizer; recognised so that it is not shown as a failed one.
 */
import type { AnalysisContext } from '../../analyze/context';
import type { PyValue, TensorValue } from '../../pickle/values';
import type { TorchFile } from '../../torch/torchFile';
import type { Convention, ConventionPart } from '../convention';
import { objectClass } from '../shared/moduleObject';
import { notRepairable } from '../shared/repairEligibility';
import { summarizeTensors } from '../shared/stateDictTensors';
import type { SavedFact } from '../summary';

/** Most values visited when collecting tensors (a guard against hostile graphs). */
const MAX_VISITS = 200_000;

/** True when the zip holds TorchScript records: `<top>/constants.pkl` or members under `<top>/code/`. */
export function isTorchScript(file: TorchFile): boolean {
  const z = file.zip;
  if (!z) return false;
  return z.index.entries.some((e) => e.name === `${z.prefix}constants.pkl` || e.name.startsWith(`${z.prefix}code/`));
}

/** Every distinct tensor reachable from `root` (object states, containers), named by its path. */
export function reachableTensors(root: PyValue): [string, TensorValue][] {
  const out: [string, TensorValue][] = [];
  const seen = new Set<object>();
  let visits = 0;
  const walk = (v: PyValue, name: string): void => {
    if (++visits > MAX_VISITS || seen.has(v)) return;
    seen.add(v);
    switch (v.kind) {
      case 'tensor':
        out.push([name, v]);
        return;
      case 'object':
        if (v.state) walk(v.state, name);
        v.args.forEach((a, i) => walk(a, `${name}(${i})`));
        return;
      case 'dict':
        for (const [k, x] of v.entries) walk(x, name ? `${name}.${k.kind === 'str' ? k.value : '?'}` : k.kind === 'str' ? k.value : '?');
        return;
      case 'tuple':
      case 'list':
        v.items.forEach((x, i) => walk(x, `${name}[${i}]`));
        return;
      default:
        return;
    }
  };
  walk(root, '');
  return out;
}

async function read(ctx: AnalysisContext): Promise<ConventionPart> {
  const path = ctx.paths('training-state')[0];
  const file = await ctx.loadTorch(path);
  if (!file || !isTorchScript(file)) return { kind: 'unreadable', repair: notRepairable('no readable TorchScript archive') };
  const z = file.zip!;
  const code = z.index.entries.filter((e) => e.name.startsWith(`${z.prefix}code/`) && !e.name.endsWith('/'));
  const facts: SavedFact[] = [
    { label: 'module', value: objectClass(file.value) ?? file.value.kind },
    { label: 'code files', value: `${code.length} under code/ (TorchScript source compiled by torch.jit.load)` },
  ];
  if (z.version) facts.push({ label: 'archive version', value: z.version });
  ctx.warnings.push(`${path}: a TorchScript archive (torch.jit.save), not a training checkpoint: torch.load hands it to torch.jit.load, which would compile and run its code. It holds no epoch, step or optimizer.`);
  const tensors = reachableTensors(file.value);
  return {
    kind: 'torchscript',
    facts,
    metrics: [],
    model: tensors.length ? { ...summarizeTensors(`${path} › data.pkl`, tensors), architecture: objectClass(file.value) } : undefined,
    repair: notRepairable('a TorchScript archive holds no training position'),
  };
}

/** TorchScript archives (`torch.jit.save`): recognised and summarised, never a training checkpoint. */
export const torchscript: Convention = {
  id: 'torchscript',
  label: 'TorchScript',
  matches: isTorchScript,
  read,
};
