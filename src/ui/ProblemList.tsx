import type { FileProblem } from '../core/conventions/summary';

/** Per-file errors in words a user understands. */
export function ProblemList({ problems }: { problems: FileProblem[] }) {
  if (problems.length === 0) return null;
  return (
    <ul className="problems" aria-label="Problems">
      {problems.map((p, i) => (
        <li key={i} className="problem" data-testid="problem">
          <strong>{p.file}</strong>
          {p.member ? <span className="muted"> ({p.member})</span> : null}: {p.message}
        </li>
      ))}
    </ul>
  );
}
