/**
 * Display names of the file roles that several conventions share (a convention adds its own
 * through `Convention.roles`).
 */
export const COMMON_ROLE_NAMES: Readonly<Record<string, string>> = {
  'training-state': 'training state',
  'trainer-state': 'trainer state',
  optimizer: 'optimizer state',
  scheduler: 'scheduler state',
  scaler: 'grad scaler state',
  'rng-state': 'RNG state',
  'training-args': 'training arguments',
  weights: 'model weights',
  'weights-index': 'weights index',
  'adapter-config': 'adapter config',
  config: 'model config',
  other: 'other',
};
