/**
 * The Trainer fields worth a labelled line (`SavedFact`), from trainer_state.json
 * (transformers `trainer_callback.py:TrainerState`) and training_args.bin.
 */
import type { SavedFact } from '../summary';
import type { HfTrainerSummary } from './readHfTrainer';
import type { UpdateStepsRule } from './updateStepsRule';

/**
 * `stateful_callbacks` as `TrainerControl, EarlyStoppingCallback (patience counter 2)`: a class
 * name maps to `{args, attributes}` or to a list of those when several callbacks share a class
 * (`Trainer._load_callback_state`). Undefined when the field is absent (transformers < 4.41).
 */
export function statefulCallbacksText(v: unknown): string | undefined {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const parts = Object.entries(v as Record<string, unknown>).map(([name, st]) => {
    if (Array.isArray(st)) return `${name} x${st.length}`;
    const attrs = st && typeof st === 'object' ? (st as { attributes?: Record<string, unknown> }).attributes : undefined;
    const counter = attrs?.early_stopping_patience_counter;
    return typeof counter === 'number' ? `${name} (patience counter ${counter})` : name;
  });
  return parts.length ? parts.join(', ') : '(none)';
}

/** The labelled lines of a Trainer folder: gradient accumulation, batch size, best step, callbacks, the U rule. */
export function hfFacts(hf: HfTrainerSummary, rule: UpdateStepsRule | undefined, fits: string | undefined): SavedFact[] {
  const s = hf.state;
  const ga = hf.trainingArgs?.gradientAccumulationSteps;
  const callbacks = statefulCallbacksText(s.stateful_callbacks);
  const out: SavedFact[] = [];
  if (ga !== undefined) out.push({ label: 'gradient_accumulation_steps', value: String(ga) });
  if (s.train_batch_size !== undefined) out.push({ label: 'train_batch_size', value: String(s.train_batch_size) });
  if (s.max_steps !== undefined) out.push({ label: 'max_steps', value: String(s.max_steps) });
  if (s.best_global_step !== undefined) out.push({ label: 'best_global_step', value: String(s.best_global_step) });
  if (s.best_model_checkpoint !== undefined) out.push({ label: 'best_model_checkpoint', value: s.best_model_checkpoint });
  if (callbacks !== undefined) out.push({ label: 'stateful_callbacks', value: callbacks });
  if (rule) out.push({ label: 'update steps per epoch', value: `${rule.text}${fits ? `; ${fits}` : ''}` });
  if (rule?.transformersVersion) out.push({ label: 'transformers_version', value: rule.transformersVersion });
  return out;
}
