import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../helpers/temp-dir.js';

const tempDir = useTempDir();

/**
 * A package laid out like this one (bin/newsdesk.js and bin/launch.js copied, node_modules linked) whose
 * src/cli.ts and compiled forms say which of them ran.
 */
function fakePackage(): { root: string; run: (...args: string[]) => { stdout: string; stderr: string; status: number | null } } {
  const root = tempDir();
  mkdirSync(join(root, 'bin'));
  mkdirSync(join(root, 'src'));
  for (const f of ['newsdesk.js', 'launch.js']) copyFileSync(resolve('bin', f), join(root, 'bin', f));
  symlinkSync(resolve('node_modules'), join(root, 'node_modules'), 'dir');
  writeFileSync(join(root, 'package.json'), '{ "type": "module" }\n');
  writeFileSync(join(root, 'src', 'cli.ts'), "const from: string = 'typescript';\nconsole.log(from, process.argv.slice(2).join(' '));\n");
  const run = (...args: string[]) => {
    const r = spawnSync(process.execPath, [join(root, 'bin', 'newsdesk.js'), ...args], { encoding: 'utf8', timeout: 60_000 });
    return { stdout: r.stdout, stderr: r.stderr, status: r.status };
  };
  return { root, run };
}

const at = (path: string, seconds: number) => utimesSync(path, seconds, seconds);

describe('bin/newsdesk.js', () => {
  it('runs the TypeScript through tsx, saying so, when nothing is compiled', () => {
    const { run } = fakePackage();
    const r = run('ask', '上海');
    expect(r.stdout).toBe('typescript ask 上海\n');
    expect(r.stderr).toMatch(/no compiled build in dist\/.*npm run build/);
    expect(r.status).toBe(0);
  }, 60_000);

  it('runs the bundle without a word when it is newer than every source, and tsx again once a source changes', () => {
    const { root, run } = fakePackage();
    mkdirSync(join(root, 'dist', 'src'), { recursive: true });
    writeFileSync(join(root, 'dist', 'src', 'cli.js'), "console.log('tsc output', process.argv.slice(2).join(' '));\n");
    writeFileSync(join(root, 'dist', 'newsdesk-cli.mjs'), "console.log('bundle', process.argv.slice(2).join(' '));\n");
    at(join(root, 'src', 'cli.ts'), 1_700_000_000);
    at(join(root, 'dist', 'newsdesk-cli.mjs'), 1_700_000_100);
    expect(run('sources')).toEqual({ stdout: 'bundle sources\n', stderr: '', status: 0 });

    at(join(root, 'src', 'cli.ts'), 1_700_000_200);
    const stale = run('sources');
    expect(stale.stdout).toBe('typescript sources\n');
    expect(stale.stderr).toMatch(/src\/ changed since the last build/);
  }, 60_000);
});
