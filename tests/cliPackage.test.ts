/**
 * The published package: `npm pack` (of the CLI built by `npm run build:cli`, which `npm run
 * test:unit` runs first), installed from the tarball into an empty folder with no dev
 * dependencies, runs `npx ckptview inspect` on a zipped run folder and `--version`.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { zipSync, type Zippable } from 'fflate';
import { OWN, ROOT, walk } from './support/fixtures';

let dir = '';
const app = (): string => join(dir, 'app');
const run = (cmd: string, args: string[], cwd: string) => spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: 120_000, env: { ...process.env, npm_config_update_notifier: 'false' } });

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ckptview-pack-'));
  mkdirSync(app());
  writeFileSync(join(app(), 'package.json'), '{ "name": "consumer", "private": true }\n');
  const tree: Zippable = {};
  for (const p of walk(join(OWN, 'enstack_run'))) tree[relative(OWN, p)] = new Uint8Array(readFileSync(p));
  writeFileSync(join(app(), 'run.zip'), zipSync(tree));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('npm pack -> install the tarball -> npx ckptview inspect a zipped run folder', () => {
  expect(existsSync(join(ROOT, 'dist-cli', 'ckptview.mjs'))).toBe(true); // built by npm run build:cli
  // --ignore-scripts: the CLI is built already; rebuilding would empty dist-cli under the other tests
  const pack = run('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', dir], ROOT);
  expect(pack.status, pack.stderr).toBe(0);
  const tgz = readdirSync(dir).find((n) => n.endsWith('.tgz'));
  expect(tgz).toBeDefined();
  const install = run('npm', ['install', '--no-audit', '--no-fund', '--omit=dev', join(dir, tgz!)], app());
  expect(install.status, install.stderr).toBe(0);
  // nothing but the package itself: it needs no dependencies at run time
  expect(readdirSync(join(app(), 'node_modules')).filter((n) => !n.startsWith('.'))).toEqual(['ckptview']);
  expect(existsSync(join(app(), 'node_modules', 'ckptview', 'src'))).toBe(false);

  const version = run('npx', ['--no', '--', 'ckptview', '--version'], app());
  expect(version.stdout.trim()).toBe((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version);

  const r = run('npx', ['--no', '--', 'ckptview', 'inspect', 'run.zip'], app());
  expect(r.stderr).toBe('');
  expect(r.status).toBe(1); // the run's findings include a lost end-of-epoch save (an error)
  const last = r.stdout.split('\n\n').find((b) => b.startsWith('last_checkpoint  (enstack_run/last_checkpoint)'));
  expect(last).toMatch(/^ {2}epoch +2$/m);
  expect(last).toMatch(/^ {2}step +800$/m);
  expect(r.stdout).toContain('TensorBoard enstack_run/logs/events.out.tfevents.1764398800.colab-vm.2817.0: 65 records');
  expect(r.stdout).toContain('[error] The end-of-epoch save was lost.');
}, 120_000);
