/** The options of `ckptview set`, each selecting the offer whose input has that option (`core/repair/offers.ts`). Kept apart from `setCommand.ts` so `--help` loads no core. */
export const SET_OPTIONS = ['epochs', 'current-step', 'latest', 'last-checkpoint', 'epoch', 'best-model-checkpoint'] as const;
