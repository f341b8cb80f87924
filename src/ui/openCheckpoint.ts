/**
 * "Open <checkpoint>" from a verdict or a finding: select it and bring its card into view (on a
 * phone the card is far below the verdicts and findings).
 */
import { useCheckpoints } from '../store/checkpointStore';

export function openCheckpoint(id: string): void {
  useCheckpoints.getState().select(id);
  requestAnimationFrame(() => document.querySelector('[data-testid="status-card"]')?.scrollIntoView({ block: 'nearest' }));
}
