import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../helpers/temp-dir.js';

const tempDir = useTempDir();

/** The real command line with the given language settings (every other one cleared). */
function newsdesk(args: string[], dataDir: string, lang: { NEWSDESK_LOCALE?: string; LANG?: string; LC_ALL?: string }) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    encoding: 'utf8',
    env: { ...process.env, NEWSDESK_DATA_DIR: dataDir, LOG_LEVEL: '', NEWSDESK_LOCALE: '', LC_ALL: '', LC_MESSAGES: '', LANG: '', ...lang },
  });
  return { stdout: result.stdout, stderr: result.stderr, status: result.status };
}

describe('the command line’s language', () => {
  it('speaks English by default and on a system in a language it does not write', () => {
    const dir = tempDir();
    for (const LANG of ['', 'fr_FR.UTF-8']) {
      const { stdout, status } = newsdesk(['ask', '量子计算机'], dir, { LANG });
      expect(status).toBe(1);
      expect(stdout).toMatch(/^No passage mentions "量子", "计算机"\./);
    }
  }, 180_000);

  it('follows LANG, and NEWSDESK_LOCALE over it, for the messages from the shared catalogue; passages stay as written', () => {
    const dir = tempDir();
    expect(newsdesk(['ask', '量子计算机'], dir, { LANG: 'zh_CN.UTF-8' }).stdout).toMatch(/^没有段落提到“量子”、“计算机”。/);
    expect(newsdesk(['ask', '量子計算機'], dir, { LANG: 'zh_HK.UTF-8', NEWSDESK_LOCALE: 'zh-TW' }).stdout).toMatch(/^沒有段落提到「量子」、「計算機」。/);

    const answer = newsdesk(['ask', '--samples', '特斯拉上海储能超级工厂用了多久建成?'], dir, { NEWSDESK_LOCALE: 'zh-TW' });
    expect(answer.status).toBe(0);
    expect(answer.stdout).toMatch(/7个月即竣工/);
  }, 240_000);

  it('refuses a NEWSDESK_LOCALE it does not write, saying which it does', () => {
    const { stderr, status } = newsdesk(['sources'], tempDir(), { NEWSDESK_LOCALE: 'fr' });
    expect(status).toBe(2);
    expect(stderr).toMatch(/NEWSDESK_LOCALE must be en, zh-CN or zh-TW/);
  }, 60_000);
});
