import type { KnownBlock } from '@slack/types';
import { ACTION } from '../ids.js';
import { plain } from './text.js';

/** The App Home's way into past deals: 検索 for everyone, 分析 for the leaders. */
export function searchHomeBlocks(isLeader: boolean): KnownBlock[] {
  return [
    {
      type: 'actions',
      block_id: 'home_search',
      elements: [
        { type: 'button', action_id: ACTION.openSearch, text: plain('🔍 案件を検索', 75), value: 'search' },
        ...(isLeader
          ? [{ type: 'button' as const, action_id: ACTION.openAnalysis, text: plain('📊 分析', 75), value: 'analysis' }]
          : []),
      ],
    },
  ];
}
