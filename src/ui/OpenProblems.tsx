/** The entries of drops that could not be opened, each with its path and why, until dismissed; the rest of a drop shows as usual. */
import { useState } from 'react';
import { useCheckpoints } from '../store/checkpointStore';

/** Problems listed before "Show all" is needed. */
const FIRST = 5;

export function OpenProblems() {
  const problems = useCheckpoints((s) => s.openProblems);
  const dismiss = useCheckpoints((s) => s.dismissOpenProblems);
  const [all, setAll] = useState(false);
  if (problems.length === 0) return null;
  const shown = all ? problems : problems.slice(0, FIRST);
  return (
    <div className="problem" role="alert" data-testid="open-problems">
      <p>
        {problems.length === 1 ? 'One entry' : `${problems.length.toLocaleString('en-US')} entries`} of what was dropped could not be opened:
      </p>
      <ul className="problems">
        {shown.map((p) => (
          <li key={p.path}>
            <code>{p.path}</code>: {p.message}
          </li>
        ))}
      </ul>
      {problems.length > shown.length ? (
        <button type="button" className="subtle" onClick={() => setAll(true)}>
          Show all {problems.length.toLocaleString('en-US')}
        </button>
      ) : null}{' '}
      <button type="button" className="subtle" onClick={dismiss}>
        Dismiss
      </button>
    </div>
  );
}
