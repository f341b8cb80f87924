/**
 * Issue 7: "Open live folder" keeps a directory handle; "Reload" reads the folder again. The
 * browser's folder picker is a native dialog, so the test gives the page a stand-in
 * `showDirectoryPicker` whose folder holds the shipped sample files and can change between reads.
 */
import { expect, test } from '@playwright/test';

test('a live folder is read again on Reload and shows what changed', async ({ page }) => {
  await page.addInitScript(() => {
    type Node = { kind: 'file'; name: string; file: File } | { kind: 'directory'; name: string; children: Map<string, Node> };
    const root: Node = { kind: 'directory', name: 'checkpoints', children: new Map() };
    const handle = (n: Node): unknown =>
      n.kind === 'file'
        ? { kind: 'file', name: n.name, getFile: async () => n.file }
        : {
            kind: 'directory',
            name: n.name,
            async *values() {
              for (const c of n.children.values()) yield handle(c);
            },
          };
    const put = (path: string, file: File): void => {
      const parts = path.split('/');
      let dir = root;
      for (const p of parts.slice(0, -1)) {
        let next = dir.children.get(p);
        if (!next) dir.children.set(p, (next = { kind: 'directory', name: p, children: new Map() }));
        dir = next as typeof root;
      }
      dir.children.set(parts[parts.length - 1], { kind: 'file', name: parts[parts.length - 1], file });
    };
    const w = window as unknown as Record<string, unknown>;
    w.__fakeFolderReady = (async () => {
      const base = new URL('sample/', document.baseURI);
      const m = (await (await fetch(new URL('manifest.json', base))).json()) as { files: { path: string; file: string }[] };
      for (const f of m.files) put(f.path, new File([await (await fetch(new URL(f.file, base))).blob()], f.path.split('/').pop() as string, { lastModified: 1 }));
      return m.files;
    })();
    // the training job "saves": last_checkpoint becomes a copy of best_model
    w.__saveEpochEnd = async () => {
      const files = (await w.__fakeFolderReady) as { path: string }[];
      const best = files.find((f) => f.path === 'best_model/training_state.pth');
      const dir = root.children.get('best_model') as typeof root;
      const file = (dir.children.get('training_state.pth') as { file: File }).file;
      if (best) put('last_checkpoint/training_state.pth', new File([file], 'training_state.pth', { lastModified: 2 }));
    };
    w.showDirectoryPicker = async () => {
      await w.__fakeFolderReady;
      return handle(root);
    };
  });
  await page.goto('./');
  await page.getByRole('button', { name: 'Open live folder' }).click();
  const row = page.getByTestId('checkpoint-table').locator('tr[data-row="checkpoints/last_checkpoint"]');
  await expect(row.locator('td[data-col="status"]')).toHaveText('incomplete');
  await page.evaluate(() => (window as unknown as { __saveEpochEnd: () => Promise<void> }).__saveEpochEnd());
  await page.getByTestId('reload-folder').click();
  await expect(row.locator('td[data-col="status"]')).toHaveText('complete');
  await expect(page.getByTestId('checkpoint-table').locator('tbody tr')).toHaveCount(5);
  await expect(page.getByTestId('live-status')).toContainText('Read 17 files from checkpoints');
});
