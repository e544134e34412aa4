import type { KnownBlock } from '@slack/types';
import { ACTION, settingsListActionId } from '../ids.js';
import { OPTION_LIST_KEYS, OPTION_LIST_NAMES, offeredOptions } from '../workflow/options.js';
import type { TeamSettings } from '../workflow/settings.js';
import { formatTunable, TUNABLES } from '../workflow/tunables.js';
import { plain, truncate } from './text.js';

function button(actionId: string, label: string, value: string) {
  return { type: 'button' as const, action_id: actionId, text: plain(label, 75), value };
}

/** The admins' 設定 on the App Home: what is in force now, and a button per part to change it. */
export function buildSettingsSection(settings: TeamSettings): KnownBlock[] {
  const counts = OPTION_LIST_KEYS.map(
    (key) => `${OPTION_LIST_NAMES[key]} ${offeredOptions(settings.lists, key).length}`,
  );
  const tunables = TUNABLES.map((spec) => `${spec.label}: ${formatTunable(spec, settings.tunables[spec.key])}`);
  const summary = [
    `営業チャンネル: <#${settings.salesChannelId}> ・ 営業リーダ ${settings.leaderIds.length}人 ・ 管理者 ${settings.adminIds.length}人`,
    `選択肢: ${counts.join(' ・ ')}`,
    tunables.join(' ・ '),
  ].join('\n');
  return [
    { type: 'header', text: plain('⚙️ 設定 (管理者)', 150) },
    { type: 'context', elements: [{ type: 'mrkdwn', text: truncate(summary, 3_000) }] },
    {
      type: 'actions',
      block_id: 'settings_lists',
      elements: OPTION_LIST_KEYS.map((key) => button(settingsListActionId(key), OPTION_LIST_NAMES[key], key)),
    },
    {
      type: 'actions',
      block_id: 'settings_more',
      elements: [
        button(ACTION.openSettingsPeople, 'リーダーと管理者', 'people'),
        button(ACTION.openSettingsChannel, '営業チャンネル', 'channel'),
        button(ACTION.openSettingsTunables, 'リマインドとしきい値', 'tunables'),
        button(ACTION.openSettingsAudit, '変更履歴', 'audit'),
      ],
    },
  ];
}
