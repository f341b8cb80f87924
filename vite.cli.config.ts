import { readFileSync } from 'node:fs';
import { defineConfig } from 'vite';

/**
 * Build of the `ckptview` command line: `src/cli/main.ts` bundled for Node 20 into
 * `dist-cli/ckptview.mjs` (the package's bin loads it), with every dependency inlined, so the
 * installed package starts without TypeScript tooling or a module search. The commands are split
 * into chunks loaded on use: `--version` and `--help` parse only the entry.
 */
const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

export default defineConfig({
  // no public/ copy, no index.html: a Node build
  publicDir: false,
  logLevel: 'warn',
  define: { __CKPTVIEW_VERSION__: JSON.stringify(pkg.version) },
  ssr: { noExternal: true, target: 'node' },
  build: {
    ssr: 'src/cli/main.ts',
    outDir: 'dist-cli',
    emptyOutDir: true,
    target: 'node20',
    minify: false,
    sourcemap: false,
    copyPublicDir: false,
    reportCompressedSize: false,
    rollupOptions: {
      output: { format: 'es', entryFileNames: 'ckptview.mjs', chunkFileNames: 'chunks/[name]-[hash].mjs' },
    },
  },
});
