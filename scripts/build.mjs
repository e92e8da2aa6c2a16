// `npm run build`, which `npm install` runs (`prepare`): compiles src/ and commands/ to dist/ with tsc (keeping
// their layout: dist/src, dist/commands), then bundles the compiled command line into one file,
// dist/newsdesk-cli.mjs, that bin/newsdesk.js runs. Resolving and evaluating about 950 small modules (linkedom,
// zod, chrono-node's files) took about 510 ms of CPU at every start; the one file takes about 230 ms.
// Without the dev dependencies (an install with --omit=dev) there is nothing to build with: it says so and the
// commands run the TypeScript through tsx instead (bin/launch.js).
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
let tsc;
try {
  tsc = require.resolve('typescript/bin/tsc');
  require.resolve('esbuild');
} catch {
  process.stderr.write('newsdesk: typescript or esbuild is not installed (dev dependencies): not building dist/; the commands run through tsx.\n');
  process.exit(0);
}

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
const compiled = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
if (compiled.status !== 0) process.exit(compiled.status ?? 1);

const { build } = await import('esbuild');
await build({
  absWorkingDir: root,
  entryPoints: ['dist/src/cli.js'],
  outfile: 'dist/newsdesk-cli.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // Native addons stay outside, and pino, whose transports load files by path at run time.
  external: ['nodejieba', 'better-sqlite3', 'pino', 'pino-pretty'],
  // CommonJS dependencies inside an ES module bundle still call require (for Node's built-ins).
  banner: { js: "import { createRequire as __newsdeskRequire } from 'node:module'; const require = __newsdeskRequire(import.meta.url);" },
  logLevel: 'warning',
});
