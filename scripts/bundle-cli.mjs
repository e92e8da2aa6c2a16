// Second half of `npm run build`: bundles the compiled command line (dist/src/cli.js, from tsc) into one file,
// dist/newsdesk-cli.mjs, that bin/newsdesk.js runs. Resolving and evaluating about 950 small modules (linkedom,
// zod, chrono-node's files) cost about 510 ms of CPU at every start; the one file costs about 230 ms.
// Kept outside the bundle: native addons, and pino, whose transports load files by path at run time.
import { build } from 'esbuild';

await build({
  entryPoints: ['dist/src/cli.js'],
  outfile: 'dist/newsdesk-cli.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['nodejieba', 'better-sqlite3', 'pino', 'pino-pretty'],
  // CommonJS dependencies inside an ES module bundle still call require (for Node's built-ins).
  banner: { js: "import { createRequire as __newsdeskRequire } from 'node:module'; const require = __newsdeskRequire(import.meta.url);" },
  logLevel: 'warning',
});
