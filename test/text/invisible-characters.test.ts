import { describe, expect, it } from 'vitest';
import { withoutInvisibleControls } from '../../src/text/invisible-characters.js';

describe('withoutInvisibleControls', () => {
  it('removes what would reorder, hide or drive the text around it', () => {
    expect(withoutInvisibleControls('文件\u202egnp.exe\u202c 与 \u2066隔离\u2069 \u200f')).toBe('文件gnp.exe 与 隔离 ');
    expect(withoutInvisibleControls('零\u200b宽\u2060字\ufeff符\u3164')).toBe('零宽字符');
    expect(withoutInvisibleControls('\u001b[31m红\u009b2J\u0007')).toBe('[31m红2J');
  });

  it('keeps line breaks (as \\n), tabs, emoji sequences and the joiners scripts need', () => {
    expect(withoutInvisibleControls('一\r\n二\r三\u2028四\t五')).toBe('一\n二\n三\n四\t五');
    expect(withoutInvisibleControls('👨\u200d👩\u200d👧 می\u200cخواهم')).toBe('👨\u200d👩\u200d👧 می\u200cخواهم');
  });
});
