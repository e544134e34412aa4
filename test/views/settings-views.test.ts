import { describe, expect, it } from 'vitest';
import { REPORT_BLOCK } from '../../src/ids.js';
import { buildHome } from '../../src/views/home.js';
import { buildReportModal } from '../../src/views/report-modal.js';
import {
  buildAuditModal,
  buildChannelModal,
  buildOptionListModal,
  buildPeopleModal,
  buildTunablesModal,
} from '../../src/views/settings-modals.js';
import { applyOptionLines } from '../../src/workflow/option-edits.js';
import { DEFAULT_OPTION_LISTS, OPTION_LIST_KEYS } from '../../src/workflow/options.js';
import type { SettingsAuditEntry } from '../../src/workflow/ports.js';
import type { TeamSettings } from '../../src/workflow/settings.js';
import { validateView } from '../support/block-kit-rules.js';
import { parsedTexts, readable } from '../support/flows.js';
import { DEFAULT_TUNABLES } from '../support/tunables.js';

const settings: TeamSettings = {
  lists: DEFAULT_OPTION_LISTS,
  leaderIds: ['U0LEAD1'],
  adminIds: ['U0LEAD1', 'U0LEAD2'],
  salesChannelId: 'C0SALES',
  tunables: DEFAULT_TUNABLES,
  versions: {},
};

const HOSTILE = '<!channel> <https://evil.example|押して>';

function entry(id: number, summary: string): SettingsAuditEntry {
  return { id, section: 'list:industry', actorId: 'U0LEAD1', at: '2026-11-29T01:00:00.000Z', summary };
}

describe('settings views', () => {
  it('builds every settings modal within Slack limits, the biggest list included', () => {
    const big = applyOptionLines([], Array.from({ length: 100 }, (_, i) => `${i}${'長'.repeat(25)}`).join('\n'));
    if (!big.ok) throw new Error(big.message);
    const withBig = { ...settings, lists: { ...settings.lists, industry: big.options } };
    const views = [
      ...OPTION_LIST_KEYS.map((key) => buildOptionListModal(withBig, key, 3)),
      buildPeopleModal(settings, 0),
      buildChannelModal(settings, 0),
      buildTunablesModal(settings, 0),
      buildAuditModal(
        Array.from({ length: 50 }, (_, i) => entry(i, `業種: 追加: ${'長'.repeat(900)}`)),
        'Asia/Tokyo',
      ),
      buildAuditModal([], 'Asia/Tokyo'),
    ];
    for (const view of views) {
      expect(validateView(view)).toEqual([]);
      expect(view.blocks.length).toBeLessThanOrEqual(100);
    }
  });

  it('lists retired options apart, and carries the version it was built from', () => {
    const edit = applyOptionLines(DEFAULT_OPTION_LISTS.source, '紹介\n展示会');
    if (!edit.ok) throw new Error(edit.message);
    const view = buildOptionListModal({ ...settings, lists: { ...settings.lists, source: edit.options } }, 'source', 4);
    expect(readable(view)).toContain('廃止中: Web問い合わせ、既存顧客、新規開拓、外部システム、その他');
    expect(JSON.parse(view.private_metadata ?? '')).toEqual({ section: 'list:source', version: 4 });
  });

  it('never lets an option label ping the channel or forge a link', () => {
    const edit = applyOptionLines(DEFAULT_OPTION_LISTS.source, `紹介\n${HOSTILE}`);
    if (!edit.ok) throw new Error(edit.message);
    const hostile = { ...settings, lists: { ...settings.lists, source: edit.options } };
    const texts = [
      parsedTexts({ blocks: buildAuditModal([entry(1, `案件発生経路: 追加: ${HOSTILE}`)], 'Asia/Tokyo').blocks }),
      parsedTexts({ blocks: buildOptionListModal(hostile, 'source', 1).blocks }),
    ].join('\n');
    expect(texts).not.toContain('<!channel>');
    expect(texts).not.toContain('<https://');
  });

  it('keeps a draft deal’s option that was retired since, and offers it to no one else', () => {
    const edit = applyOptionLines(DEFAULT_OPTION_LISTS.industry, '建設業\n情報通信業');
    if (!edit.ok) throw new Error(edit.message);
    const lists = { ...DEFAULT_OPTION_LISTS, industry: edit.options };
    const industryOf = (view: ReturnType<typeof buildReportModal>) =>
      JSON.stringify(view.blocks.find((block) => block.block_id === REPORT_BLOCK.industry));
    const draft = buildReportModal({ lists, ownerId: 'U0REP01', prefill: { industry: '製造業' } });
    expect(industryOf(draft)).toContain('"initial_option":{"text":{"type":"plain_text","text":"製造業"');
    expect(industryOf(buildReportModal({ lists, ownerId: 'U0REP01' }))).not.toContain('製造業');
  });

  it('shows the 設定 section on the home tab only when given the settings (admins)', () => {
    const home = {
      userId: 'U0LEAD1',
      isLeader: true,
      today: '2026-11-29',
      tasks: [],
      adviceWaiting: [],
      ownDeals: [],
      pipeline: { negotiating: 0, negotiatingAmount: 0, wonThisMonth: 0, wonAmountThisMonth: 0, lostThisMonth: 0 },
      timeZone: 'Asia/Tokyo',
    };
    expect(readable(buildHome(home))).not.toContain('設定');
    const admin = buildHome({ ...home, settings });
    expect(validateView(admin)).toEqual([]);
    expect(readable(admin)).toContain('営業チャンネル: <#C0SALES> ・ 営業リーダ 1人 ・ 管理者 2人');
  });
});
