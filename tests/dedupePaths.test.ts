/** Dropping a second file under an already-loaded path keeps both, unless it is the same file again. */
import { expect, test } from 'vitest';
import { dedupePaths } from '../src/ui/dedupePaths';

const file = (name: string, body: string, lastModified = 1): File => new File([body], name, { lastModified });

test('a different folder of the same name gets [2]; the same file again replaces', () => {
  const loaded = new Map<string, Blob>([['last_checkpoint/training_state.pth', file('training_state.pth', 'run A')]]);
  const other = dedupePaths([{ path: 'last_checkpoint/training_state.pth', file: file('training_state.pth', 'run B!') }, { path: 'last_checkpoint/config.json', file: file('config.json', '{}') }], loaded);
  expect(other.map((f) => f.path)).toEqual(['last_checkpoint [2]/training_state.pth', 'last_checkpoint [2]/config.json']);
  const again = dedupePaths([{ path: 'last_checkpoint/training_state.pth', file: file('training_state.pth', 'run A') }], loaded);
  expect(again.map((f) => f.path)).toEqual(['last_checkpoint/training_state.pth']);
});

test('two loose files of the same name in one pick are both kept', () => {
  const out = dedupePaths([{ path: 'training_state.pth', file: file('training_state.pth', 'a') }, { path: 'training_state.pth', file: file('training_state.pth', 'bb') }], new Map());
  expect(out.map((f) => f.path)).toEqual(['training_state.pth', 'dropped [2]/training_state.pth']);
});
