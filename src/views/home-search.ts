import type { KnownBlock } from '@slack/types';
import { ACTION } from '../ids.js';
import { plain } from './text.js';

/** The App Home's way into past deals. */
export function searchHomeBlocks(): KnownBlock[] {
  return [
    {
      type: 'actions',
      block_id: 'home_search',
      elements: [{ type: 'button', action_id: ACTION.openSearch, text: plain('🔍 案件を検索', 75), value: 'search' }],
    },
  ];
}
