import type { Deal, DealReport, ProgressEntry } from '../../src/workflow/types.js';

/** One ordinary deal, for tests that need data rather than a story. Override what the test is about. */

export const SAMPLE_OWNER = 'U0REP01';

export function sampleReport(overrides: Partial<DealReport> = {}): DealReport {
  return {
    customer: '株式会社サンプル',
    title: '基幹システム更改',
    industry: '製造業',
    companySize: '300〜999名',
    amount: 12_000_000,
    expectedCloseDate: '2027-03-31',
    source: '展示会',
    contactName: '山田 部長',
    description: '老朽化した基幹システムの更改。',
    ownerId: SAMPLE_OWNER,
    ...overrides,
  };
}

export function sampleProgress(overrides: Partial<ProgressEntry> = {}): ProgressEntry {
  return {
    status: 'negotiating',
    activityType: '往訪',
    activityDate: '2026-11-26',
    amount: 10_000_000,
    content: '部長と面談。',
    nextAction: '見積書の提出',
    nextActionDue: '2026-12-04',
    lossReason: null,
    lossDetail: null,
    ...overrides,
  };
}

export function sampleDeal(overrides: Partial<Deal> = {}): Deal {
  return {
    ...sampleReport(),
    id: 42,
    status: 'negotiating',
    reporterId: SAMPLE_OWNER,
    externalId: null,
    createdAt: '2026-11-20T01:00:00.000Z',
    reportedAt: '2026-11-20T01:00:00.000Z',
    closedAt: null,
    adviceGiven: false,
    cardChannel: 'C0SALES',
    cardTs: '1764000000.000100',
    lastProgressId: null,
    ...overrides,
  };
}
