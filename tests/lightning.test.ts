import { test } from 'vitest';
import { join } from 'node:path';
import { openFileSource } from '../src/node/fileSource';
import { loadTorchFile } from '../src/core/torch/loadTorchFile';
import type { PyValue } from '../src/core/pickle/values';

function show(v: PyValue, depth = 0): unknown {
  if (depth > 7) return '...';
  switch (v.kind) {
    case 'dict': return Object.fromEntries(v.entries.map(([k, x]) => [k.kind === 'str' ? k.value : k.kind === 'int' ? String(k.value) : JSON.stringify(show(k)), show(x, depth + 1)]));
    case 'list': case 'tuple': return { [v.kind]: v.items.slice(0, 10).map((x) => show(x, depth + 1)), n: v.items.length };
    case 'tensor': return `tensor ${v.dtype} [${v.shape}] ${v.storage.location}`;
    case 'int': return typeof v.value === 'bigint' ? `${v.value}n` : v.value;
    case 'float': case 'str': case 'bool': return v.value;
    case 'none': return null;
    case 'object': return { object: v.callee ? `${v.callee.module}.${v.callee.name}` : '?', via: v.via, args: v.args.map((x) => show(x, depth + 1)), state: v.state && show(v.state, depth + 1) };
    case 'global': return `global ${v.ref.module}.${v.ref.name}`;
    case 'ndarray': return `ndarray ${v.dtype} [${v.shape}]`;
    case 'numpy-scalar': return `np ${v.dtype} ${v.value}`;
    default: return v.kind;
  }
}

const files = (process.env.DUMP ?? '').split(',').filter(Boolean);
for (const f of files) {
  test(f, async () => {
    const src = await openFileSource(f);
    const tf = await loadTorchFile(src);
    console.log(f, tf.format, JSON.stringify(show(tf.value), null, 1));
  });
}
test('noop', () => {});
void join;
