import type { InputBlock, KnownBlock, ModalView } from '@slack/types';
import { CALLBACK, inputActionId, SETTINGS_BLOCK, settingsTunableBlock } from '../ids.js';
import { optionLines } from '../workflow/option-edits.js';
import { OPTION_LABEL_MAX, OPTION_LIST_NAMES, OPTIONS_MAX, type OptionListKey } from '../workflow/options.js';
import type { SettingsAuditEntry } from '../workflow/ports.js';
import type { SettingsSection, TeamSettings } from '../workflow/settings.js';
import { TUNABLES } from '../workflow/tunables.js';
import { textInput } from './inputs.js';
import { formatInstant, mention, plain, truncate, userText, userTextWithMentions } from './text.js';

/** What a settings modal carries to its submission: which part it edits, and the version it was built from. */
export interface SettingsModalMetadata {
  section: SettingsSection;
  version: number;
}

/** Slack's limit for a plain_text_input. */
const TEXT_INPUT_MAX = 3_000;
const AUDIT_SECTION_MAX = 2_900;

function modal(callbackId: string, title: string, metadata: SettingsModalMetadata, blocks: KnownBlock[]): ModalView {
  return {
    type: 'modal',
    callback_id: callbackId,
    title: plain(title, 24),
    submit: plain('保存', 24),
    close: plain('キャンセル', 24),
    private_metadata: JSON.stringify(metadata),
    blocks,
  };
}

function note(text: string): KnownBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: truncate(text, 3_000) }] };
}

/** An option list, one option per line. */
export function buildOptionListModal(settings: TeamSettings, list: OptionListKey, version: number): ModalView {
  const options = settings.lists[list];
  const retired = options.filter((option) => option.retired).map((option) => userText(option.label, 75));
  const name = OPTION_LIST_NAMES[list];
  return modal(CALLBACK.settingsListModal, `${name}の選択肢`, { section: `list:${list}`, version }, [
    textInput({
      blockId: SETTINGS_BLOCK.lines,
      label: `${name} (1行に1つ、表示する順に)`,
      multiline: true,
      maxLength: TEXT_INPUT_MAX,
      initial: optionLines(options),
      hint: `名前を変えるときは「今の名前 → 新しい名前」。行を消すと廃止 (これまでの案件には残ります)。${OPTION_LABEL_MAX}文字・${OPTIONS_MAX}個まで。`,
    }),
    note(
      retired.length > 0
        ? `廃止中: ${retired.join('、')} (名前を行に戻すと再開します)`
        : '廃止中の選択肢はありません。',
    ),
  ]);
}

function usersInput(blockId: string, label: string, initial: readonly string[], hint: string): InputBlock {
  return {
    type: 'input',
    block_id: blockId,
    label: plain(label, 2_000),
    hint: plain(hint, 2_000),
    element: {
      type: 'multi_users_select',
      action_id: inputActionId(blockId),
      placeholder: plain('メンバーを選択', 150),
      ...(initial.length > 0 ? { initial_users: [...initial] } : {}),
    },
  };
}

/** 営業リーダ and 管理者. */
export function buildPeopleModal(settings: TeamSettings, version: number): ModalView {
  return modal(CALLBACK.settingsPeopleModal, 'リーダーと管理者', { section: 'people', version }, [
    usersInput(
      SETTINGS_BLOCK.leaders,
      '営業リーダ',
      settings.leaderIds,
      '助言の依頼と失注の報告が届き、どの案件も記録できます。',
    ),
    usersInput(
      SETTINGS_BLOCK.admins,
      '管理者',
      settings.adminIds,
      'この設定を変更でき、配信できなかった通知を受け取ります。',
    ),
    note('ゲスト、ボット、他のワークスペースの人は選べません。'),
  ]);
}

/** The sales channel new deal cards are posted in. */
export function buildChannelModal(settings: TeamSettings, version: number): ModalView {
  return modal(CALLBACK.settingsChannelModal, '営業チャンネル', { section: 'channel', version }, [
    {
      type: 'input',
      block_id: SETTINGS_BLOCK.channel,
      label: plain('案件カードを投稿するチャンネル', 2_000),
      hint: plain('先に、そのチャンネルで /invite @anken を実行してください。', 2_000),
      element: {
        type: 'conversations_select',
        action_id: inputActionId(SETTINGS_BLOCK.channel),
        placeholder: plain('チャンネルを選択', 150),
        initial_conversation: settings.salesChannelId,
        filter: { include: ['public', 'private'], exclude_external_shared_channels: true, exclude_bot_users: true },
      },
    },
    note('これまでの案件のスレッドは、元のチャンネルに残ります。新しい案件から、このチャンネルに投稿されます。'),
  ]);
}

/** Thresholds and schedules of reminders and digests. */
export function buildTunablesModal(settings: TeamSettings, version: number): ModalView {
  return modal(
    CALLBACK.settingsTunablesModal,
    'リマインドとしきい値',
    { section: 'tunables', version },
    TUNABLES.map((spec) =>
      textInput({
        blockId: settingsTunableBlock(spec.key),
        label: spec.kind === 'integer' ? `${spec.label} (${spec.min}〜${spec.max}${spec.unit})` : spec.label,
        maxLength: 100,
        initial: String(settings.tunables[spec.key]),
        hint: spec.hint,
      }),
    ),
  );
}

function auditLine(entry: SettingsAuditEntry, timeZone: string): string {
  const summary = userTextWithMentions(entry.summary, 1_000).replace(/&lt;#([CG][A-Z0-9]+)&gt;/g, '<#$1>');
  return `*${formatInstant(entry.at, timeZone)}* ${mention(entry.actorId)}\n${summary}`;
}

/** The newest changes, packed into as few sections as fit. */
export function buildAuditModal(entries: readonly SettingsAuditEntry[], timeZone: string): ModalView {
  const sections: string[] = [];
  for (const line of entries.map((entry) => auditLine(entry, timeZone))) {
    const last = sections.at(-1);
    if (last !== undefined && [...last].length + [...line].length + 2 <= AUDIT_SECTION_MAX) {
      sections[sections.length - 1] = `${last}\n\n${line}`;
    } else sections.push(truncate(line, AUDIT_SECTION_MAX));
  }
  const blocks: KnownBlock[] =
    sections.length === 0
      ? [note('まだ変更はありません。いまの設定は環境変数の値です。')]
      : [
          note(`新しい順に ${entries.length} 件`),
          ...sections.map((text): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text } })),
        ];
  return {
    type: 'modal',
    callback_id: CALLBACK.settingsAuditModal,
    title: plain('設定の変更履歴', 24),
    close: plain('閉じる', 24),
    blocks,
  };
}
