import { afterEach, describe, expect, it } from 'vitest';
import { IndexTextWorker, IndexTextWorkerError } from '../../src/search/index-text-worker.js';
import { indexText } from '../../src/search/minisearch-options.js';

let worker: IndexTextWorker | undefined;
afterEach(() => {
  worker?.close();
  worker = undefined;
});

describe('the tokenizer thread', () => {
  it('gives back each batch as this thread would tokenize it, in the order the batches were sent', () => {
    worker = new IndexTextWorker();
    const batches = [
      ['特斯拉上海储能超级工厂于2024年5月开工建设', '規劃年產能為1萬台Megapack'],
      ['铁路12306网站春运期间日均售票超过1500万张'],
      ['', '上海阶梯医疗科技有限公司宣布完成3.5亿元人民币B轮融资'],
    ];
    for (const batch of batches) worker.submit(batch);
    for (const batch of batches) expect(worker.take()).toEqual(batch.map(indexText));
  });

  it('reports a batch it could not tokenize instead of answering with nothing', () => {
    worker = new IndexTextWorker();
    worker.submit([42 as unknown as string]);
    expect(() => worker!.take()).toThrow(IndexTextWorkerError);
  });

  it('refuses to wait for an answer to nothing', () => {
    worker = new IndexTextWorker();
    expect(() => worker!.take()).toThrow(/nothing was submitted/);
  });
});
