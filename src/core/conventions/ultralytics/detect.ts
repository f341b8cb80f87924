/**
 * Which files are Ultralytics checkpoints (CONVENTIONS.md §16): the top-level keys written by
 * `ultralytics/engine/trainer.py:BaseTrainer.save_model` (v8/11: `train_args` with `best_fitness`,
 * `date`, `version`, `ema`) or by YOLOv5 `train.py` (`epoch`, `best_fitness`, `model` plus `opt`,
 * `ema`, `git`, `date`, or in 2021 versions `training_results` / `wandb_id`).
 */
import { dictGet, dictKeys, type PyValue } from '../../pickle/values';

/** Which generation wrote the file. */
export type UltralyticsFlavor = 'ultralytics' | 'yolov5';

/** The generation of an Ultralytics/YOLOv5 checkpoint, or undefined when `root` is not one. */
export function ultralyticsFlavor(root: PyValue): UltralyticsFlavor | undefined {
  if (root.kind !== 'dict') return undefined;
  const keys = new Set(dictKeys(root));
  const trainArgs = dictGet(root, 'train_args');
  if (trainArgs?.kind === 'dict' && ['best_fitness', 'date', 'version', 'ema'].some((k) => keys.has(k))) return 'ultralytics';
  if (keys.has('epoch') && keys.has('best_fitness') && keys.has('model') && ['opt', 'training_results', 'wandb_id', 'git', 'ema', 'updates'].some((k) => keys.has(k))) return 'yolov5';
  return undefined;
}
