import iconv from 'iconv-lite';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeText } from '../../src/ingest/decode.js';
import { isNewsdeskError } from '../../src/errors.js';

const article = readFileSync('data/samples/newspaper-page-shanghai.txt', 'utf8').slice(0, 2000);

describe('decodeText', () => {
  it('reads UTF-8 with and without a byte-order mark', () => {
    expect(decodeText(Buffer.from(article, 'utf8'), 'a.txt').text).toBe(article);
    expect(decodeText(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(article)]), 'a.txt').text).toBe(article);
  });

  it('detects GBK / GB18030 text', () => {
    const decoded = decodeText(iconv.encode(article, 'gbk'), 'gbk.txt');
    expect(decoded.text).toBe(article);
    expect(decoded.encoding).toBe('gb18030');
  });

  it('detects Big5 text', () => {
    const traditional = '特斯拉上海儲能超級工廠投產，首台超大型商用電化學儲能系統從工廠成功下線，標誌著特斯拉在華業務正式步入了新階段。'.repeat(5);
    const decoded = decodeText(iconv.encode(traditional, 'big5'), 'big5.txt');
    expect(decoded.text).toBe(traditional);
  });

  it('refuses an empty file with a message that names it', () => {
    expect(() => decodeText(new Uint8Array(), 'empty.txt')).toThrow(/empty\.txt is empty/);
  });

  it('refuses a binary file', () => {
    const bytes = new Uint8Array(4096).map((_, i) => (i * 7) % 256);
    try {
      decodeText(bytes, 'photo.txt');
      expect.fail('should have thrown');
    } catch (error) {
      expect(isNewsdeskError(error, 'FILE_BINARY')).toBe(true);
      expect((error as Error).message).toMatch(/photo\.txt looks like a binary file/);
    }
  });

  it('refuses bytes that are no known Chinese encoding and says how to fix it', () => {
    const bytes = Buffer.from(Array.from({ length: 3000 }, (_, i) => 0x80 + ((i * 37) % 0x7f)));
    expect(() => decodeText(bytes, 'garbled.txt')).toThrow(/garbled\.txt .*Convert it to UTF-8/);
  });
});
