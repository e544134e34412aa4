import { describe, expect, it } from 'vitest';
import { applyOptionLines, optionLines } from '../../src/workflow/option-edits.js';
import {
  DEFAULT_OPTION_LISTS,
  findOfferedOption,
  type ListOption,
  offeredOptions,
  optionLabel,
} from '../../src/workflow/options.js';
import { readTunable, TUNABLES } from '../../src/workflow/tunables.js';

const sizes = DEFAULT_OPTION_LISTS.companySize;

function edit(text: string, current: readonly ListOption[] = sizes) {
  const result = applyOptionLines(current, text);
  if (!result.ok) throw new Error(result.message);
  return result;
}

function refusal(text: string, current: readonly ListOption[] = sizes): string {
  const result = applyOptionLines(current, text);
  if (result.ok) throw new Error('expected a refusal');
  return result.message;
}

describe('option ids and labels', () => {
  it('gives the default options their labels as ids, so stored rows stay valid', () => {
    expect(DEFAULT_OPTION_LISTS.industry.map((option) => option.id)).toContain('製造業');
    expect(DEFAULT_OPTION_LISTS.industry.every((option) => option.id === option.label && !option.retired)).toBe(true);
  });

  it('shows a stored id as its current label, and an unknown id as stored', () => {
    const renamed = edit(optionLines(sizes).replace('〜49名', '〜49名 → 50名未満')).options;
    const lists = { ...DEFAULT_OPTION_LISTS, companySize: renamed };
    expect(optionLabel(lists, 'companySize', '〜49名')).toBe('50名未満');
    expect(optionLabel(lists, 'companySize', '昔の区分')).toBe('昔の区分');
  });

  it('names an offered option by id or label for other systems, never a retired one', () => {
    const options = edit('50名未満\n50〜299名').options;
    const lists = { ...DEFAULT_OPTION_LISTS, companySize: options };
    expect(findOfferedOption(lists, 'companySize', '50〜299名')).toBe('50〜299名');
    expect(findOfferedOption(lists, 'companySize', '50名未満')).toBe('50名未満');
    expect(findOfferedOption(lists, 'companySize', '5,000名以上')).toBeNull();
  });
});

describe('applyOptionLines', () => {
  it('keeps ids through a rename, a reorder, an addition and a retirement', () => {
    const result = edit('5,000名以上\n〜49名 → 50名未満\n50〜299名\n300名以上');
    expect(result.options).toEqual([
      { id: '5,000名以上', label: '5,000名以上', retired: false },
      { id: '〜49名', label: '50名未満', retired: false },
      { id: '50〜299名', label: '50〜299名', retired: false },
      { id: '300名以上', label: '300名以上', retired: false },
      { id: '300〜999名', label: '300〜999名', retired: true },
      { id: '1,000〜4,999名', label: '1,000〜4,999名', retired: true },
    ]);
    expect(result.changes).toEqual([
      '追加: 300名以上',
      '名前の変更: 〜49名 → 50名未満',
      '廃止: 300〜999名、1,000〜4,999名',
      '並べ替え',
    ]);
  });

  it('brings a retired option back by its name, with its id', () => {
    const retired = edit('〜49名\n50〜299名').options;
    const back = edit('〜49名\n50〜299名\n300〜999名', retired);
    expect(back.options.find((option) => option.label === '300〜999名')).toEqual({
      id: '300〜999名',
      label: '300〜999名',
      retired: false,
    });
    expect(back.changes).toEqual(['再開: 300〜999名']);
  });

  it('gives a new option whose name was once another id a fresh id', () => {
    const renamed = edit(optionLines(sizes).replace('〜49名', '〜49名 → 小規模')).options;
    const added = edit(`${optionLines(renamed)}\n〜49名`, renamed);
    const ids = added.options.map((option) => option.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(added.options.find((option) => option.label === '〜49名')?.id).toBe('〜49名#2');
  });

  it('reports nothing changed for the same lines, blank lines and spaces aside', () => {
    expect(edit(`\n ${optionLines(sizes).split('\n').join(' \n\n')}\n`).changes).toEqual([]);
  });

  it('lets two options swap names', () => {
    const result = edit('〜49名 → 50〜299名\n50〜299名 → 〜49名\n300〜999名\n1,000〜4,999名\n5,000名以上');
    expect(result.options.slice(0, 2)).toEqual([
      { id: '〜49名', label: '50〜299名', retired: false },
      { id: '50〜299名', label: '〜49名', retired: false },
    ]);
  });

  it.each([
    ['an empty list', '\n  \n', '選択肢を1つ以上入力してください (1行に1つ)。'],
    ['a duplicate', '〜49名\n50〜299名\n〜49名', '3行目: 「〜49名」が重複しています (1行目と同じ)。'],
    [
      'an option over 75 characters',
      `〜49名\n${'あ'.repeat(76)}`,
      '2行目: 選択肢は75文字以内にしてください (いま76文字)。',
    ],
    [
      'more than 100 options',
      Array.from({ length: 101 }, (_, i) => `区分${i + 1}`).join('\n'),
      '101行目: 選択肢は100個までです (いま101個)。',
    ],
    ['a rename of an unknown option', '〜49名\n小規模 → 零細', '2行目: 「小規模」という選択肢はありません。'],
    [
      'a rename without a new name',
      '〜49名 → ',
      '1行目: 名前を変えるときは「今の名前 → 新しい名前」と書いてください。',
    ],
    ['a rename onto another option', '〜49名 → 50〜299名', '1行目: 「50〜299名」はすでに別の選択肢の名前です。'],
    ['a control character', '〜49名\n50\u0007名', '2行目: 使えない文字 (制御文字) が含まれています。'],
  ])('refuses %s, naming the line', (_name, text, message) => {
    expect(refusal(text)).toBe(message);
  });

  it('offers only what is not retired, in the order given', () => {
    const options = edit('50〜299名\n〜49名').options;
    expect(offeredOptions({ ...DEFAULT_OPTION_LISTS, companySize: options }, 'companySize').map((o) => o.id)).toEqual([
      '50〜299名',
      '〜49名',
    ]);
  });
});

describe('readTunable', () => {
  const schedule = TUNABLES.find((spec) => spec.kind === 'schedule')!;
  const days = TUNABLES.find((spec) => spec.kind === 'integer')!;

  it('reads a cron schedule and a number in range, full-width digits too', () => {
    expect(readTunable(schedule, ' 0  9 * * 1-5 ')).toEqual({ ok: true, value: '0 9 * * 1-5' });
    expect(readTunable(days, '１４')).toEqual({ ok: true, value: 14 });
  });

  it.each([
    [schedule, '毎朝9時'],
    [schedule, '0 25 * * *'],
    [days, '0'],
    [days, '91'],
    [days, '7.5'],
    [days, ''],
  ])('refuses %#', (spec, raw) => {
    expect(readTunable(spec, raw).ok).toBe(false);
  });
});
