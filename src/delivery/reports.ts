import type { DealFilters } from '../workflow/deal-search.js';
import { type ReportDeps, sendAnalysis } from './analysis-report.js';
import { sendCsv } from './csv-report.js';

const FAILED = 'うまく作成できませんでした。少し時間をおいて、もう一度お試しください。';

/** Reports a person asked for, made and sent to their DM after Slack has had its answer. */
export interface Reports {
  analysis(userId: string, filters: DealFilters): void;
  csv(userId: string, filters: DealFilters): void;
  /** Resolves when every report under way has been sent (or has failed). */
  idle(): Promise<void>;
}

export function createReports(deps: ReportDeps): Reports {
  const running = new Set<Promise<void>>();

  async function tellFailure(userId: string): Promise<void> {
    try {
      await deps.client.chat.postMessage({ channel: userId, text: `⚠️ ${FAILED}` });
    } catch (error) {
      deps.logger.warn('anken: could not tell about a failed report', error);
    }
  }

  function run(what: string, userId: string, work: () => Promise<void>): void {
    const task: Promise<void> = work()
      .catch(async (error: unknown) => {
        deps.logger.error(`anken: ${what} failed`, { userId }, error);
        await tellFailure(userId);
      })
      .finally(() => running.delete(task));
    running.add(task);
  }

  return {
    analysis: (userId, filters) => run('analysis', userId, () => sendAnalysis(deps, userId, filters)),
    csv: (userId, filters) => run('csv export', userId, () => sendCsv(deps, userId, filters)),
    idle: async () => {
      await Promise.all([...running]);
    },
  };
}
