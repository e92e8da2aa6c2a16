import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import nodejieba from 'nodejieba';
import { describe, expect, it } from 'vitest';

const packageDir = dirname(createRequire(import.meta.url).resolve('nodejieba/package.json'));

describe('the installed nodejieba', () => {
  it('was compiled from the patched source that leaves out the unused TextRank dictionary copy', () => {
    const source = readFileSync(join(packageDir, 'lib', 'nodejieba.cpp'), 'utf8');
    // The patch (patches/nodejieba+3.5.8.patch) moves the extractor's construction out of load().
    expect(source).toContain('_text_rank_extractor_handle = nullptr;');
    const stampFile = join(packageDir, 'build', 'newsdesk-source.sha256');
    expect(existsSync(stampFile), 'run `node scripts/rebuild-nodejieba.mjs` (npm install does)').toBe(true);
    const hash = createHash('sha256');
    for (const file of ['lib/nodejieba.cpp', 'lib/nodejieba.h']) hash.update(readFileSync(join(packageDir, file)));
    expect(readFileSync(stampFile, 'utf8').trim()).toBe(hash.digest('hex'));
  });

  it('still extracts TextRank keywords for a caller that asks, building the extractor then', () => {
    const words = (nodejieba.textRankExtract('南京市长江大桥很长。南京市长江大桥的白岳峰说，长江大桥的桥很长。', 2) as Array<{ word: string }>)
      .map((w) => w.word);
    expect(words).toContain('长江大桥');
  });

  it('keeps cutting and TF-IDF keywords (the digest) as before', () => {
    expect(nodejieba.cut('南京市长江大桥', false)).toEqual(['南京市', '长江大桥']);
    expect((nodejieba.extract('特斯拉上海储能超级工厂投产，特斯拉Megapack', 1) as Array<{ word: string }>)[0]?.word).toBe('特斯拉');
  });
});
