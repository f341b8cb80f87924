/**
 * The words of each safety verdict, shared by the page (`src/ui/SafetyBadge.tsx`) and the CLI
 * (`src/cli/formatSummary.ts`). What each promises is in `types.ts` and the README's safety section.
 */
import type { SafetyVerdict } from './types';

/** Short label of each verdict. */
export const SAFETY_LABELS: Readonly<Record<SafetyVerdict, string>> = {
  'weights-only': 'weights_only loads it',
  'no-code': 'No code runs, but weights_only rejects it',
  unknown: 'May run code: unknown imports, treat as code',
  dangerous: 'Dangerous: runs code when loaded',
};
