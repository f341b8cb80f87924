import { defineConfig } from '@playwright/test';
import { existsSync } from 'node:fs';

/**
 * End-to-end tests in real Chromium against the built site (`dist/`, served by `vite preview`).
 * Chromium: $CHROMIUM_PATH, else Debian's /usr/bin/chromium when present (Playwright's own browser
 * download is not available on our machines), else Playwright's managed browser.
 */
const chromium = process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
const port = Number(process.env.E2E_PORT ?? 4173);
/** A second server of the same build under a sub-path, as GitHub Pages serves a project site. */
export const SUBPATH_PORT = port + 1;

export default defineConfig({
  testDir: 'e2e',
  timeout: 60_000,
  workers: 2,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}/`,
    launchOptions: {
      executablePath: chromium,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
  },
  webServer: [
    {
      command: `npx vite preview --host 127.0.0.1 --port ${port} --strictPort`,
      url: `http://127.0.0.1:${port}/`,
      reuseExistingServer: !process.env.CI,
      timeout: 60_000,
    },
    {
      command: `npx vite preview --host 127.0.0.1 --port ${SUBPATH_PORT} --strictPort --base /ckptview/`,
      url: `http://127.0.0.1:${SUBPATH_PORT}/ckptview/`,
      reuseExistingServer: !process.env.CI,
      timeout: 60_000,
    },
  ],
});
