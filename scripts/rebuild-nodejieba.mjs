#!/usr/bin/env node
/**
 * Run by `npm install` after patch-package (postinstall): compiles nodejieba again from its patched source
 * (patches/nodejieba+*.patch), because nodejieba's own install script compiled it before the patch was applied.
 *
 * The patch builds nodejieba's TextRank extractor on first use instead of in `load()`: that extractor keeps a second
 * copy of the main dictionary (about 110 MB resident, 0.35 s of the load) and newsdesk never calls it.
 *
 * Skips the compile when build/newsdesk-source.sha256 already names the current source. When the compile fails
 * (no compiler on this machine), the binary nodejieba installed is put back and the install goes on: everything
 * works, with about 110 MB more memory, and this prints how to retry.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const packageDir = dirname(require.resolve('nodejieba/package.json'));
const binary = join(packageDir, 'build', 'Release', 'nodejieba.node');
const stampFile = join(packageDir, 'build', 'newsdesk-source.sha256');

const sourceHash = createHash('sha256');
for (const file of ['lib/nodejieba.cpp', 'lib/nodejieba.h']) sourceHash.update(readFileSync(join(packageDir, file)));
const stamp = sourceHash.digest('hex');

if (existsSync(binary) && existsSync(stampFile) && readFileSync(stampFile, 'utf8').trim() === stamp) {
  console.log('nodejieba: already built from the patched source');
  process.exit(0);
}

/** npm sets npm_config_node_gyp for lifecycle scripts; outside npm, use the node-gyp npm ships with. */
function nodeGyp() {
  const fromNpm = process.env.npm_config_node_gyp;
  if (fromNpm && existsSync(fromNpm)) return fromNpm;
  const bundled = join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
  return existsSync(bundled) ? bundled : undefined;
}

const gyp = nodeGyp();
const backupDir = mkdtempSync(join(tmpdir(), 'newsdesk-nodejieba-'));
const backup = join(backupDir, 'nodejieba.node');
if (existsSync(binary)) copyFileSync(binary, backup);

const started = Date.now();
const result = gyp
  ? spawnSync(process.execPath, [gyp, 'rebuild'], { cwd: packageDir, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' })
  : undefined;

if (result?.status === 0 && existsSync(binary)) {
  writeFileSync(stampFile, `${stamp}\n`);
  console.log(`nodejieba: rebuilt from the patched source in ${((Date.now() - started) / 1000).toFixed(1)} s`);
} else {
  if (existsSync(backup)) {
    mkdirSync(dirname(binary), { recursive: true });
    copyFileSync(backup, binary);
  }
  const why = gyp ? (result?.stderr ?? '').trim().split('\n').slice(-5).join('\n') : 'node-gyp was not found';
  console.warn(
    `nodejieba: could not rebuild it from the patched source, so the stock build stays in use ` +
      `(everything works; the bot holds about 110 MB more memory).\n${why}\n` +
      'To retry once a C++ compiler and Python are installed: node scripts/rebuild-nodejieba.mjs',
  );
}
rmSync(backupDir, { recursive: true, force: true });
