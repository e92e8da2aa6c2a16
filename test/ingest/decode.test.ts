import iconv from 'iconv-lite';
import * as OpenCC from 'opencc-js';
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

describe('decodeText on short text, where a detector has nothing to go on', () => {
  it('reads one-line GBK flash headlines as GBK, not as Big5 mojibake, and says it guessed', () => {
    // Case 13: chardet's guesses for these are KOI8-R and ISO-8859-6, and Big5 decodes them without an error.
    for (const [file, headline] of [
      ['flash-1.txt', '快讯：央行宣布降准'],
      ['flash-2.txt', '台风登陆广东'],
    ] as const) {
      const decoded = decodeText(readFileSync(`test/fixtures/encoding/${file}`), file);
      expect(decoded.text.trim()).toBe(headline);
      expect(decoded.encoding).toBe('gb18030');
      expect(decoded.guessed).toMatch(/Chinese characters common; as Big5/);
    }
  });

  it('reads ten more GBK headlines of four to twelve characters as written', () => {
    const headlines = ['央行降息', '中国队夺得金牌', '北京地铁新线开通运营', '广州塔灯光秀今晚上演', '深圳发布暴雨橙色预警', '外交部发言人答记者问',
      '国务院常务会议研究部署稳外资政策措施', '上海今日最高气温十二度', '教育部部署高考安全工作', '联通'];
    for (const headline of headlines) expect(decodeText(iconv.encode(headline, 'gbk'), 'h.txt').text).toBe(headline);
  });

  it('keeps short Big5 headlines Big5', () => {
    for (const headline of ['颱風登陸廣東', '快訊：央行宣布降準', '立法院三讀通過', '香港特區政府今日公佈', '衞生署發出警告']) {
      const decoded = decodeText(iconv.encode(headline, 'big5'), 'tw.txt');
      expect(decoded.text).toBe(headline);
      expect(decoded.encoding).toBe('big5');
    }
  });

  it('reads GB18030 four-byte characters (Mongolian script, CJK extension A) that GBK lacks', () => {
    const text = '内蒙古发布蒙古文新闻：ᠮᠣᠩᠭᠣᠯ ᠪᠢᠴᠢᠭ 与汉字并列，䶮字也可显示。';
    expect(decodeText(iconv.encode(text, 'gb18030'), 'nmg.txt')).toMatchObject({ text, encoding: 'gb18030' });
  });

  it('reads UTF-8 without a byte-order mark as UTF-8 even when it is a few characters a detector takes for Latin text', () => {
    for (const text of ['台风登陆广东', '联通', 'Café 咖啡', '颱風']) {
      const decoded = decodeText(Buffer.from(text, 'utf8'), 'u.txt');
      expect(decoded).toEqual({ text, encoding: 'utf-8' });
    }
  });

  it('names the encoding from a page declaration without guessing', () => {
    const decoded = decodeText(iconv.encode('央行降息', 'gbk'), 'p.html', 'GB2312');
    expect(decoded).toEqual({ text: '央行降息', encoding: 'gb18030' });
  });
});

describe('decodeText on text in an encoding newsdesk does not read', () => {
  const refusal = (bytes: Uint8Array, declared?: string) => {
    try {
      const decoded = decodeText(bytes, 'foreign.txt', declared);
      return `read as ${decoded.encoding}: ${decoded.text}`;
    } catch (error) {
      expect(isNewsdeskError(error, 'DECODE_FAILED')).toBe(true);
      return (error as Error).message;
    }
  };

  it('skips Shift_JIS Japanese instead of storing it as GBK mojibake', () => {
    const message = refusal(iconv.encode('東京都で地震が発生しました。気象庁によると、震源の深さは約10キロ。', 'shift_jis'));
    expect(message).toMatch(/^foreign\.txt looks like Japanese \(Shift_JIS\) text, which newsdesk does not read .*skipped/);
  });

  it('skips EUC-JP Japanese, whose bytes are valid GB2312', () => {
    expect(refusal(iconv.encode('東京都で地震が発生しました。気象庁によると、震源の深さは約10キロ。', 'euc-jp'))).toMatch(/Japanese .*skipped/);
  });

  it('skips EUC-KR Korean, whose bytes are valid GB2312', () => {
    const message = refusal(iconv.encode('서울에서 지진이 발생했습니다. 기상청에 따르면 진원의 깊이는 약 10킬로미터입니다.', 'euc-kr'));
    expect(message).toMatch(/Korean \(EUC-KR\) text.*skipped/);
  });

  it('skips a page that declares an encoding newsdesk does not read', () => {
    expect(refusal(iconv.encode('<p>東京で地震</p>', 'shift_jis'), 'Shift_JIS')).toMatch(/declares Shift_JIS, which newsdesk does not read/);
  });
});

describe('decodeText over many short runs of real news', () => {
  // Every run of 4 to 10 Chinese characters in the bundled samples, saved as GBK and (converted by OpenCC) as Big5.
  const samples = readFileSync('data/samples/newspaper-page-shanghai.txt', 'utf8') + readFileSync('data/samples/web-page-tesla.txt', 'utf8');
  const runs = samples.split(/[^\p{Script=Han}]+/u).filter((r) => r.length >= 4).map((r) => r.slice(0, 4 + (r.length % 7)));
  const toTraditional = OpenCC.Converter({ from: 'cn', to: 'tw' });
  const share = (texts: string[], encoding: string) => {
    let right = 0;
    for (const text of texts) {
      try {
        if (decodeText(iconv.encode(text, encoding), 'run.txt').text === text) right++;
      } catch {
        // refused: not right
      }
    }
    return right / texts.length;
  };

  it('reads at least 99% of them back as written, in GBK and in Big5', { timeout: 60_000 }, () => {
    expect(runs.length).toBeGreaterThan(500);
    expect(share(runs, 'gbk')).toBeGreaterThanOrEqual(0.99);
    expect(share(runs.map((r) => toTraditional(r)), 'big5')).toBeGreaterThanOrEqual(0.99);
  });
});

describe('decodeText with a wrong declaration', () => {
  it("reads a GBK page served as ISO-8859-1 (a web server's default) by its bytes", () => {
    expect(decodeText(iconv.encode('台风登陆广东', 'gbk'), 'feed.xml', 'ISO-8859-1')).toMatchObject({ text: '台风登陆广东', encoding: 'gb18030' });
  });

  it('reads a page saved as UTF-8 that still declares gbk as UTF-8', () => {
    expect(decodeText(Buffer.from('<meta charset="gbk"><p>台风登陆广东</p>', 'utf8'), 'page.html', 'gbk')).toEqual({
      text: '<meta charset="gbk"><p>台风登陆广东</p>',
      encoding: 'utf-8',
    });
  });

  it('reads a page that declares UTF-8 but was saved as Big5 by its bytes', () => {
    expect(decodeText(iconv.encode('立法院三讀通過', 'big5'), 'page.html', 'utf-8')).toMatchObject({ text: '立法院三讀通過', encoding: 'big5' });
  });
});
