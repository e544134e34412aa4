import { describe, expect, it } from 'vitest';
import { csvCell, csvLine } from '../../src/workers/csv-export.js';

describe('CSV cells', () => {
  it('quotes as RFC 4180 says: commas, quotes and line breaks', () => {
    expect(csvCell('株式会社サンプル')).toBe('株式会社サンプル');
    expect(csvCell('A, B')).toBe('"A, B"');
    expect(csvCell('5" 画面')).toBe('"5"" 画面"');
    expect(csvCell('一行目\n二行目')).toBe('"一行目\n二行目"');
    expect(csvCell('CR\rだけ')).toBe('"CR\rだけ"');
    expect(csvCell(null)).toBe('');
    expect(csvCell(12_000_000)).toBe('12000000');
  });

  it('neutralises formulas: text starting with = + - @ tab or CR is shown, not run', () => {
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(csvCell('+81 3 1234')).toBe("'+81 3 1234");
    expect(csvCell('-1+2')).toBe("'-1+2");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\t=1')).toBe("'\t=1");
    expect(csvCell('a=b')).toBe('a=b');
  });

  it('ends each record with CRLF', () => {
    expect(csvLine([1, '顧客, 名', null, 'x'])).toBe('1,"顧客, 名",,x\r\n');
  });
});
