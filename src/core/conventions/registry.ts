/**
 * Every training convention ckptview knows, in detection order: folder layouts first (the most
 * specific names first), then the content checks for lone torch files, with `generic` last (it
 * matches anything). Adding a trainer = its folder under `conventions/` + one line here.
 */
import { NOT_READ } from './summary';
import type { Convention } from './convention';
import { enstack } from './enstack/index';
import { generic } from './generic/index';
import { imagenetExample } from './imagenetExample/index';
import { timm } from './timm/index';
import { torchscript } from './torchscript/index';
import { ultralytics } from './ultralytics/index';
import { hfTrainer } from './hfTrainer/index';
import { lightning } from './lightning/index';
import { mmengine } from './mmengine/index';
import { fairseq } from './fairseq/index';
import { torchtune } from './torchtune/index';
import { weights } from './weights/index';
import { kohya } from './kohya/index';
import { accelerate } from './accelerate/index';
import { deepspeed } from './deepspeed/index';
import { dcp } from './dcp/index';

/** The conventions, in the order they are asked. */
export const CONVENTIONS: readonly Convention[] = [
  hfTrainer,
  mmengine,
  torchtune,
  kohya,
  accelerate,
  deepspeed,
  dcp,
  enstack,
  weights,
  lightning,
  fairseq,
  torchscript,
  ultralytics,
  timm,
  imagenetExample,
  generic,
];

const byId = new Map(CONVENTIONS.map((c) => [c.id, c]));

/** The convention with `id`, if any. */
export function conventionById(id: string): Convention | undefined {
  return byId.get(id);
}

/** Display name of a convention id (`ultralytics` -> `Ultralytics`); `unreadable` -> `unreadable`. */
export function conventionLabel(id: string): string {
  return byId.get(id)?.label ?? OTHER_LABELS[id] ?? id;
}

/** Labels of the kinds that are not conventions: a checkpoint not read (Stop) or that could not be read. */
const OTHER_LABELS: Readonly<Record<string, string>> = { [NOT_READ]: 'not read', unreadable: 'unreadable' };

/** Display name of a file role, from the shared names or a convention's own. */
export function roleLabel(role: string, names: Readonly<Record<string, string>>, conventionId?: string): string {
  return names[role] ?? (conventionId ? byId.get(conventionId)?.roles?.[role] : undefined) ?? CONVENTIONS.map((c) => c.roles?.[role]).find((r) => r !== undefined) ?? role;
}
