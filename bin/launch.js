// Runs one of the package's entry points (src/cli.ts, src/bot.ts, …) as compiled JavaScript from dist/ (built by
// `npm run build`, which `npm install` runs), so a start never spends seconds transpiling. When a source file is
// newer than the build (you edited src/ since), it says so and runs the TypeScript through tsx instead, so an
// edit is never silently ignored.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SOURCES = ['src', 'commands'];

/** Newest modification time (ms) of the TypeScript sources, or Infinity when one cannot be read. */
function newestSource() {
  let newest = 0;
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(ts|mjs)$/.test(entry.name)) newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  try {
    for (const dir of SOURCES) if (existsSync(join(ROOT, dir))) walk(join(ROOT, dir));
  } catch {
    return Number.POSITIVE_INFINITY;
  }
  return newest;
}

/**
 * Runs `entry` (a path under the package root without extension, e.g. 'src/cli') with `args` in place of
 * process.argv's own, from `dist/<bundle>` when given and built, else from tsc's `dist/<entry>.js`. Resolves once
 * the compiled module has been imported; a tsx fallback exits with its status.
 */
export async function launch(entry, args = process.argv.slice(2), bundle = undefined) {
  const built = join(ROOT, 'dist', `${entry}.js`);
  // The bundle (one file instead of hundreds of modules) when there is one, as fresh as tsc's output.
  const compiled = bundle && existsSync(join(ROOT, 'dist', bundle)) ? join(ROOT, 'dist', bundle) : built;
  if (existsSync(compiled) && statSync(compiled).mtimeMs >= newestSource()) {
    process.argv = [process.argv[0], compiled, ...args];
    await import(pathToFileURL(compiled).href);
    return;
  }
  process.stderr.write(
    existsSync(compiled)
      ? `newsdesk: src/ changed since the last build, running it through tsx (slower to start); \`npm run build\` compiles it.\n`
      : `newsdesk: no compiled build in dist/, running the TypeScript through tsx (slower to start); \`npm run build\` compiles it.\n`,
  );
  const tsx = createRequire(import.meta.url).resolve('tsx/cli');
  const result = spawnSync(process.execPath, [tsx, join(ROOT, `${entry}.ts`), ...args], { stdio: 'inherit' });
  process.exit(result.status ?? 1);
}

// `node bin/launch.js src/bot [args…]`: what the npm scripts run.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [entry, ...args] = process.argv.slice(2);
  if (!entry) {
    process.stderr.write('usage: node bin/launch.js <entry, e.g. src/bot> [args…]\n');
    process.exit(2);
  }
  await launch(entry, args);
}
