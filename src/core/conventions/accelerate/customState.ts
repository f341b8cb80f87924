/**
 * `custom_checkpoint_{i}.pkl`: accelerate `checkpointing.py` `save_custom_state` writes
 * `obj.state_dict()` of each object given to `Accelerator.register_for_checkpointing`. The class is
 * not saved; it is recognised here from the state dict's keys (torch `lr_scheduler.py`
 * `ReduceLROnPlateau.state_dict`, diffusers `training_utils.py` `EMAModel.state_dict`).
 */
import { dictGet, dictKeys, type PyValue } from '../../pickle/values';
import { displayText } from '../plainValues';

/** Keys that tell a registered object's class. */
const SIGNATURES: readonly { readonly name: string; readonly keys: readonly string[]; readonly show: readonly string[] }[] = [
  { name: 'torch.optim.lr_scheduler.ReduceLROnPlateau', keys: ['mode_worse', 'num_bad_epochs', 'patience'], show: ['mode', 'best', 'num_bad_epochs', 'patience', 'factor', 'last_epoch'] },
  { name: 'diffusers EMAModel', keys: ['shadow_params', 'optimization_step'], show: ['decay', 'optimization_step'] },
  { name: 'an optimizer', keys: ['state', 'param_groups'], show: [] },
  { name: 'an LR scheduler', keys: ['last_epoch', 'base_lrs'], show: ['last_epoch'] },
];

/** One line about a registered object's state: its likely class and its telling fields. */
export function describeCustomState(v: PyValue | undefined): string {
  const keys = dictKeys(v);
  if (!v || v.kind !== 'dict') return `not a dict (${v?.kind ?? 'unreadable'})`;
  const sig = SIGNATURES.find((s) => s.keys.every((k) => keys.includes(k)));
  if (!sig) return `a state_dict with keys ${keys.slice(0, 12).join(', ')}${keys.length > 12 ? ', ...' : ''}`;
  const fields = sig.show
    .map((k) => {
      const x = dictGet(v, k);
      return x === undefined ? undefined : `${k} ${displayText(x, 40)}`;
    })
    .filter((s): s is string => s !== undefined);
  return `${sig.name} state_dict${fields.length ? ` (${fields.join(', ')})` : ''}`;
}
