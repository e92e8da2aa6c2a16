import { describe, expect, it } from 'vitest';
import { indexTerms, queryTerms, tokenize, tokenizeWithSpans } from '../../src/text/tokenize.js';

describe('tokenize', () => {
  it('keeps Latin names and numbers whole instead of cutting them into letters', () => {
    const terms = tokenize('特斯拉Tesla上海储能超级工厂的Megapack储能规模近40GWh,12306和2024年');
    expect(terms).toContain('tesla');
    expect(terms).toContain('megapack');
    expect(terms).toContain('12306');
    expect(terms).toContain('2024');
    expect(terms).not.toContain('t');
    expect(terms).not.toContain('2');
  });

  it('makes the parts of a mixed run like 40GWh findable by themselves', () => {
    const terms = tokenize('储能规模近40GWh');
    expect(terms).toEqual(expect.arrayContaining(['40gwh', '40', 'gwh']));
  });

  it('segments Chinese into words with jieba', () => {
    expect(tokenize('特斯拉上海储能超级工厂')).toEqual(['特斯拉', '上海', '储能', '超级', '工厂']);
  });

  it('normalises full-width characters, case and traditional script the same way for every text', () => {
    expect(tokenize('ＴＥＳＬＡ 儲能超級工廠')).toEqual(tokenize('tesla 储能超级工厂'));
  });

  it('drops punctuation, spaces and emoji', () => {
    expect(tokenize('“特斯拉”！？ 😀 ……')).toEqual(['特斯拉']);
  });

  it('keeps decimals together', () => {
    expect(tokenize('收入达100.86亿美元,方案迭代到8.0版本')).toEqual(expect.arrayContaining(['100.86', '8.0']));
  });
});

describe('tokenizeWithSpans', () => {
  it('points each term at its place in the original text, even when normalisation changed it', () => {
    const text = 'ＴＥＳＬＡ的40GWh儲能';
    const spans = tokenizeWithSpans(text);
    const tesla = spans.find((s) => s.term === 'tesla');
    expect(text.slice(tesla!.start, tesla!.end)).toBe('ＴＥＳＬＡ');
    const storage = spans.find((s) => s.term === '储能');
    expect(text.slice(storage!.start, storage!.end)).toBe('儲能');
  });

  it('yields the same terms as tokenize', () => {
    const text = '特斯拉公司能源与充电业务副总裁麦克·斯耐德(Mike Snyder)表示,预计2025年装机量增长50%。';
    expect(tokenizeWithSpans(text).map((s) => s.term)).toEqual(tokenize(text));
  });
});

describe('queryTerms', () => {
  it('drops question words and particles from questions only', () => {
    const { terms, ignored } = queryTerms('特斯拉上海储能超级工厂用了多久建成?');
    expect(terms).toEqual(expect.arrayContaining(['特斯拉', '储能', '建成']));
    expect(terms).not.toContain('多久');
    expect(ignored).toContain('多久');
    // the index keeps them: a passage is indexed as written
    expect(tokenize('用了多久')).toContain('多久');
  });

  it('leaves nothing to search for in a question made only of question words and punctuation', () => {
    expect(queryTerms('是什么？？').terms).toEqual([]);
    expect(queryTerms('😀😀😀').terms).toEqual([]);
  });
});

describe('names with symbols', () => {
  it('keeps C#, C++ and F# apart instead of reducing them to one letter', () => {
    expect(tokenize('C#和C++以及F#')).toEqual(['c#', '和', 'c++', '以及', 'f#']);
    expect(queryTerms('C#').terms).toEqual(['c#']);
    expect(queryTerms('C++').terms).toEqual(['c++']);
  });

  it('keeps a version number after C++ findable by itself', () => {
    expect(tokenize('C++26标准草案完成')).toEqual(expect.arrayContaining(['c++', '26']));
  });

  it('keeps .NET, Wi-Fi and COVID-19 as terms, with the parts of a hyphenated name findable too', () => {
    expect(tokenize('微软.NET框架')).toContain('.net');
    expect(tokenize('支持Wi-Fi 7')).toEqual(expect.arrayContaining(['wi-fi', 'wi', 'fi', '7']));
    expect(tokenize('COVID-19疫情')).toEqual(expect.arrayContaining(['covid-19', 'covid', '19', '疫情']));
    expect(tokenize('ＣＯＶＩＤ－１９')).toContain('covid-19');
  });

  it('reads A股, B股 and H股 as share classes, not as a letter and 股', () => {
    expect(tokenize('A股市场和B股、H股')).toEqual(['a股', '市场', '和', 'b股', 'h股']);
  });

  it('points a symbol name at its place in the original text', () => {
    const text = '新版Ｃ＃语言';
    const span = tokenizeWithSpans(text).find((s) => s.term === 'c#');
    expect(text.slice(span!.start, span!.end)).toBe('Ｃ＃');
  });
});

describe('names jieba does not know', () => {
  it('indexes and asks a name cut into single characters by its character bigrams as well', () => {
    expect(indexTerms('白岳峰是一名演员')).toEqual(expect.arrayContaining(['白岳', '岳峰']));
    expect(queryTerms('白岳峰的职业是什么？').terms).toEqual(expect.arrayContaining(['白岳', '岳峰']));
  });

  it('finds a name cut into single characters in the passage and kept whole in the question, and the reverse', () => {
    // jieba cuts 吴晓华 as 吴/晓/华 in a passage; the question's bigrams are the passage's.
    expect(indexTerms('吴晓华出席会议')).toEqual(expect.arrayContaining(['吴晓', '晓华']));
    expect(queryTerms('吴晓华是谁').terms).toEqual(expect.arrayContaining(['吴晓', '晓华']));
    expect(indexTerms('赫伯罗特公司')).toEqual(expect.arrayContaining(['赫伯', '伯罗']));
  });

  it('takes no string of function words for a name', () => {
    for (const text of ['他才又去了北京', '但他也就走了', '我们却又都来了']) expect(indexTerms(text)).toEqual(tokenize(text));
  });

  it('adds no bigram across a particle or for words jieba knows', () => {
    expect(queryTerms('白岳峰的职业').terms).not.toContain('峰的');
    expect(indexTerms('特斯拉上海储能超级工厂')).toEqual(tokenize('特斯拉上海储能超级工厂'));
  });
});
