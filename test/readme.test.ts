import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../src/cli/exit-codes.js';
import { SMALL_NEWS, writeJsonl } from './helpers/articles.js';
import { runCli } from './helpers/run-cli.js';
import { useTempDir } from './helpers/temp-dir.js';

const tempDir = useTempDir();
const SLOW = 180_000;
const README = readFileSync('README.md', 'utf8');
const PACKAGE = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> };

/** The first fenced block after `marker` in the README, without its fences. */
function blockAfter(marker: string): string {
  const at = README.indexOf(marker);
  expect(at, `README has "${marker}"`).toBeGreaterThanOrEqual(0);
  const match = /```[a-z]*\n([\s\S]*?)```/.exec(README.slice(at));
  return match![1]!;
}

/** `$ npx newsdesk …` lines of a README block, each with the output printed under it. */
function transcript(block: string): Array<{ args: string[]; output: string }> {
  const steps: Array<{ args: string[]; output: string }> = [];
  for (const line of block.split('\n')) {
    const command = /^\$ npx newsdesk (.*)$/.exec(line);
    if (command) steps.push({ args: [...command[1]!.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!), output: '' });
    else if (line !== '' || steps.at(-1)?.output) steps.at(-1)!.output += `${line}\n`;
  }
  return steps;
}

describe('the README', () => {
  it('quick start: `npm run demo` prints exactly what the README shows', async () => {
    expect(README).toContain('npm install && npm run demo');
    const script = PACKAGE.scripts['demo']!;
    const args = [...script.replace(/^(tsx src\/cli\.ts|node bin\/newsdesk\.js) /, '').matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!);
    expect(README).toContain(`\`npm run demo\` is \`newsdesk ${script.replace(/^(tsx src\/cli\.ts|node bin\/newsdesk\.js) /, '')}\``);
    const { stdout, stderr, status } = await runCli(args, { dataDir: tempDir() });
    expect(status).toBe(0);
    expect(stderr).toMatch(/^Indexed the bundled sample news into .*demo/);
    expect(stdout).toBe(blockAfter('then it prints:'));
  }, SLOW);

  it('the refused option and the removal and correction examples print what the README shows', async () => {
    const dir = tempDir();
    const dataDir = join(dir, 'data');
    expect((await runCli(['ingest', writeJsonl(dir, SMALL_NEWS)], { dataDir })).status).toBe(0);
    const steps = [...transcript(blockAfter('one line saying what is accepted:')), ...transcript(blockAfter('### Removing and correcting news'))];
    expect(steps).toHaveLength(3);
    for (const step of steps) {
      const r = await runCli(step.args, { dataDir });
      expect((r.stdout + r.stderr).trimEnd()).toBe(step.output.trimEnd());
    }
  }, SLOW);

  it('lists the exit statuses the command line uses, and only those', () => {
    const table = README.slice(README.indexOf('| status | meaning |'));
    const rows = [...table.matchAll(/^\| (\d+) \| /gm)].map((m) => Number(m[1]));
    expect(rows).toEqual(Object.values(EXIT));
  });

  it('names every command `newsdesk --help` lists', async () => {
    const { stdout } = await runCli(['--help'], { dataDir: tempDir() });
    const commands = [...stdout.matchAll(/^ {2}([a-z-]+) /gm)].map((m) => m[1]!).filter((c) => c !== 'help');
    expect(commands.length).toBeGreaterThan(10);
    for (const c of commands) expect(README).toMatch(new RegExp(`^\\| \`${c}\\b`, 'm'));
  }, SLOW);
});
