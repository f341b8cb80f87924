import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

/**
 * Vite build for the static site. `base: './'` makes every asset URL relative, so the built
 * `dist/` works from any host and any sub-path (GitHub Pages style) with no server code.
 */
export default defineConfig({
  base: './',
  plugins: [react()],
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: true },
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 60_000,
  },
});
