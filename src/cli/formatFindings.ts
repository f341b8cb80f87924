/**
 * Findings across checkpoints as text, as the page's findings panel shows them: severity, title,
 * sentence, the suggestion, then the evidence one fact per line.
 */
import type { Finding } from '../core/findings/types';

/** The findings block, as lines ("Nothing contradicts itself" when there are none). */
export function formatFindings(findings: readonly Finding[]): string[] {
  const lines = [`Findings (${findings.length})`];
  if (findings.length === 0) return [...lines, '  Nothing contradicts itself in what was loaded.'];
  for (const f of findings) {
    lines.push(`  [${f.severity}] ${f.title}. ${f.sentence}`);
    if (f.suggestion) lines.push(`    what to do: ${f.suggestion}`);
    for (const e of f.evidence) lines.push(`    - ${e}`);
  }
  return lines;
}
