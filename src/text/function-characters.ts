/**
 * Single characters that are function words rather than parts of names: the single-character words of jieba's
 * own dictionary (nodejieba 3.x, `submodules/cppjieba/dict/jieba.dict.utf8`) tagged as a preposition (p),
 * conjunction (c), particle (u), adverb (d), pronoun (r), numeral (m), measure word (q), modal particle (y),
 * interjection (e), onomatopoeia (o) or direction (f), or counted at least {@link FUNCTION_CHARACTER_MIN_FREQUENCY}
 * times (了, 是, 在, 和, 有, 他 …). Fixed here rather than read from the dictionary at start (a 5 MB file);
 * test/text/function-characters.test.ts derives the list again from the installed dictionary.
 *
 * Why: a run of single characters jieba leaves is a name or a new word it does not know (白岳峰, 赫伯罗特, 脑机)
 * or a string of function words (才/一/高/走, 他/乖/只): only the first kind needs bigrams. Breaking a run at
 * these characters, as at a stopword, keeps half the bigrams of real text (CMRC and the samples) and a fifth of
 * those of the bench corpus, whose random strings of frequent words are mostly the second kind (README,
 * "Names jieba does not know").
 */
export const FUNCTION_CHARACTER_MIN_FREQUENCY = 50_000;

/** The tags of jieba's dictionary that mark a function word (see above). */
export const FUNCTION_WORD_TAGS: ReadonlySet<string> = new Set(['p', 'c', 'u', 'd', 'r', 'm', 'q', 'y', 'e', 'o', 'f']);

/** The characters, in code point order. */
export const FUNCTION_CHARACTERS: ReadonlySet<string> = new Set(
  '一七万三上下不与丝两个中为乇么之乓九也乱了二于互五些亦亩人亿什仅从他仞仟代以仨任份仿会似但位何余你佰使依便俩俺倍倘做偶傥元兆先克八六兮共其内册再况几凡凭出则刚初别到前务勺勿匝匹十千半却卷厘厥去叁又及口句另只叭可台右号各同名后向吗吧吨吱吾呀呃呐呔呖呗呜呢呦呱呵呸咋和咕咚咝咣咦咯咱咿哇哉哎哐哞哧哩哪唔唧啁啥啦啧啪啵喃喔喵嗄嗒嗖嗨嗬嗯嗳嗵嗷嘁嘎嘘嘛嘞嘟嘣嘤嘭嘿噔噢噫噼嚓嚯四因囫圈在地场均垧堂壬壶外多大天太套她好如始孰它家寸对封将尊小尚尤就尺层届屡岁岂左己已帐帖帙帧常幕幢年并底座廿张彼很徒得必忒忽怎怦恐恰悄悻想愈慨我或户所扇才批把按挺捌据敝斛斤新旁既日时是暂暗曲更曾替最月有未末本朵杆来杯极枚枝架某柒株根桩棵楹榀樘橐次欤欲欹款正殊段比毫汩没沿泓淙渐炷点然爿片特犋犹狠猗猛玖瓣用甫甭由畈略畦番的皆盅盎盏盒盘直盾看真着砉砰确碗磅磴种秒究竟章竭第等筒箱篇米类粒繇约级纷终给绝绺缕缗而肆股能腔自至般艘芈若茬莫蓦蔸虚蛮衷袋被西要见让讵许该说诶诸谁谨贰走起越跟辆辑边过还这迭逐遂道遽那都里鉴针钧铛铢铿锭锵锾镑镒镗间阕除集零霎靶页顺须顿颇颗飕首骤高',
);
