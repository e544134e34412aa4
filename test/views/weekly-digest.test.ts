import { describe, expect, it } from 'vitest';
import { buildWeeklyDigest } from '../../src/views/weekly-digest.js';
import { DIGEST_STALLED_LIMIT, digestPeriod, summariseDigest } from '../../src/workflow/digest.js';
import { DEFAULT_OPTION_LISTS } from '../../src/workflow/options.js';
import { buildPipelineBoard } from '../../src/workflow/pipeline-board.js';
import { type OpenDealFacts, stallCutoffs } from '../../src/workflow/stalled.js';
import { validateBlocks } from '../support/block-kit-rules.js';
import { readable } from '../support/flows.js';

const ZONE = 'Asia/Tokyo';
const NOW = new Date('2030-04-08T00:00:00Z');
const HOSTILE = '<!channel> & <https://evil.example|here>';

function stalledFacts(i: number): OpenDealFacts {
  return {
    dealId: i + 1,
    ownerId: 'U0REP01',
    customer: `${HOSTILE} ${'株'.repeat(300)}`,
    title: `案件 ${i}`,
    amount: 1_000_000,
    adviceAskedAt: null,
    progressDueOn: '2030-03-01',
    lastEntryAt: '2030-02-01T01:00:00.000Z',
    snoozedUntil: null,
    snoozeReason: null,
  };
}

describe('the weekly digest message', () => {
  it('fits one message with the ten oldest stalled deals and many loss reasons, escaped', () => {
    const board = buildPipelineBoard(
      Array.from({ length: 500 }, (_, i) => stalledFacts(i)),
      stallCutoffs(NOW, { adviceStaleHours: 24, staleDays: 10, timeZone: ZONE }),
      ZONE,
      DIGEST_STALLED_LIMIT,
    );
    const digest = summariseDigest(
      digestPeriod(NOW, ZONE),
      {
        newDeals: { count: 3, amount: 0 },
        won: { count: 0, amount: 0 },
        lost: { count: 40, amount: 0 },
        lossReasons: Array.from({ length: 40 }, (_, i) => ({ reason: `理由${i} ${HOSTILE}`, deals: 1 })),
        durations: [],
      },
      board,
    );
    const message = buildWeeklyDigest(digest, DEFAULT_OPTION_LISTS);
    expect(validateBlocks(message.blocks, 'message')).toEqual([]);
    const text = readable(message);
    expect(text).not.toContain('<!channel>');
    expect(text).toContain('止まっている案件 (500)');
    expect(text).toContain('ほか 490 件 (古い順)');
    expect(text).toContain('ほか 30 種類');
    expect(text).toContain('報告→クローズ — ・ 助言待ち — ・ 商談中 —');
  });
});
