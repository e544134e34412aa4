import type { WebClient } from '@slack/web-api';
import {
  readChannel,
  readLines,
  readListKey,
  readPeople,
  readSettingsMetadata,
  readTunables,
  type SettingsStateValues,
} from '../forms/settings-form.js';
import { ACTION, CALLBACK, SETTINGS_BLOCK, settingsTunableBlock } from '../ids.js';
import { platformError } from '../slack-errors.js';
import { buildDoneModal } from '../views/notice.js';
import {
  buildAuditModal,
  buildChannelModal,
  buildOptionListModal,
  buildPeopleModal,
  buildTunablesModal,
} from '../views/settings-modals.js';
import { DomainError } from '../workflow/errors.js';
import { listSection, type SettingsSection, versionOf } from '../workflow/settings.js';
import type { SaveResult } from '../workflow/settings-commands.js';
import { TUNABLES } from '../workflow/tunables.js';
import type { Actor } from '../workflow/types.js';
import { tapHandler } from './deal-buttons.js';
import type { HandlerDeps } from './deps.js';
import { logFailure, noticeFor } from './respond.js';
import type { Routes, ViewArgs } from './routes.js';

interface SettingsSubmission {
  actor: Actor;
  section: SettingsSection;
  version: number;
  values: SettingsStateValues;
  client: WebClient;
}

/** Inline errors, or what was saved. */
type Outcome = SaveResult | { saved: false; errors: Record<string, string> };

/** Where a refusal that is not about one field is shown: the first input of the modal. */
const FIRST_BLOCK: Record<string, string> = {
  people: SETTINGS_BLOCK.leaders,
  channel: SETTINGS_BLOCK.channel,
  tunables: settingsTunableBlock(TUNABLES[0]?.key ?? ''),
};

function errorsOf(outcome: Exclude<Outcome, { saved: true }>, section: SettingsSection): Record<string, string> {
  if ('errors' in outcome) return outcome.errors;
  const blockId =
    outcome.field === 'leaders'
      ? SETTINGS_BLOCK.leaders
      : outcome.field === 'admins'
        ? SETTINGS_BLOCK.admins
        : (FIRST_BLOCK[section] ?? SETTINGS_BLOCK.lines);
  return { [blockId]: outcome.message };
}

/**
 * A settings modal's submission: authority is judged again now (an admin may have been removed since
 * the modal opened), then the form; problems go back inline and nothing is stored.
 */
function settingsSubmission(deps: HandlerDeps, what: string, save: (input: SettingsSubmission) => Promise<Outcome>) {
  return async ({ ack, body, view, client }: ViewArgs): Promise<void> => {
    const userId = body.user.id;
    const metadata = readSettingsMetadata(view.private_metadata);
    if (metadata === null) {
      await ack(noticeFor(new DomainError('not_found', 'この設定画面は古くなっています。開き直してください。')));
      return;
    }
    try {
      const actor = await deps.people.actor(userId, body.user.team_id);
      deps.settingsCommands.assertAdmin(actor);
      const values = (view.state?.values ?? {}) as SettingsStateValues;
      const outcome = await save({ actor, ...metadata, values, client });
      if (outcome.saved) await ack({ response_action: 'update', view: buildDoneModal(outcome.summary) });
      else await ack({ response_action: 'errors', errors: errorsOf(outcome, metadata.section) });
    } catch (error) {
      logFailure(deps.logger, what, error, { userId, section: metadata.section });
      await ack(noticeFor(error));
    }
  };
}

/** Why the bot cannot post in a channel, or null when it can. */
async function channelProblem(deps: HandlerDeps, client: WebClient, channelId: string): Promise<string | null> {
  const invite = 'そのチャンネルで /invite @anken を実行してから、もう一度保存してください。';
  try {
    const { channel } = await client.conversations.info({ channel: channelId });
    if (!channel || channel.is_im || channel.is_mpim) return 'チャンネルを選んでください。';
    if (channel.is_archived) return 'アーカイブされたチャンネルは選べません。';
    if (channel.is_ext_shared) return '他の組織と共有しているチャンネルは選べません。';
    return channel.is_member ? null : `anken がこのチャンネルに参加していません。${invite}`;
  } catch (error) {
    if (platformError(error) === 'channel_not_found') {
      return `anken からこのチャンネルが見えません (非公開チャンネルなど)。${invite}`;
    }
    deps.logger.warn('anken: conversations.info failed while checking the sales channel', { channelId }, error);
    return 'Slack にチャンネルを確かめられませんでした。少し時間をおいて、もう一度保存してください。';
  }
}

export function registerSettings(routes: Routes, deps: HandlerDeps): void {
  const commands = deps.settingsCommands;

  function opener(
    what: string,
    build: (value: string | undefined) => Parameters<WebClient['views']['open']>[0]['view'],
  ) {
    return tapHandler(deps, what, async ({ actor, value, triggerId, client }) => {
      commands.assertAdmin(actor);
      await client.views.open({ trigger_id: triggerId, view: build(value) });
    });
  }

  routes.action(
    new RegExp(`^${ACTION.openSettingsList}_`),
    opener('open settings list', (value) => {
      const list = readListKey(value);
      if (list === null) throw new DomainError('not_found', 'この設定は見つかりません。');
      const settings = deps.settings();
      return buildOptionListModal(settings, list, versionOf(settings, listSection(list)));
    }),
  );
  routes.action(
    ACTION.openSettingsPeople,
    opener('open settings people', () => buildPeopleModal(deps.settings(), versionOf(deps.settings(), 'people'))),
  );
  routes.action(
    ACTION.openSettingsChannel,
    opener('open settings channel', () => buildChannelModal(deps.settings(), versionOf(deps.settings(), 'channel'))),
  );
  routes.action(
    ACTION.openSettingsTunables,
    opener('open settings tunables', () => buildTunablesModal(deps.settings(), versionOf(deps.settings(), 'tunables'))),
  );
  routes.action(
    ACTION.openSettingsAudit,
    tapHandler(deps, 'open settings audit', async ({ actor, triggerId, client }) => {
      const view = buildAuditModal(commands.auditLog(actor), deps.timeZone);
      await client.views.open({ trigger_id: triggerId, view });
    }),
  );

  routes.view(
    CALLBACK.settingsListModal,
    settingsSubmission(deps, 'settings list', async ({ actor, section, version, values }) => {
      const list = readListKey(section);
      if (list === null) throw new DomainError('not_found', 'この設定は見つかりません。');
      return commands.saveOptionList(actor, list, version, readLines(values));
    }),
  );
  routes.view(
    CALLBACK.settingsPeopleModal,
    settingsSubmission(deps, 'settings people', async ({ actor, version, values }) => {
      const people = readPeople(values);
      if (!people.ok) return { saved: false, errors: people.errors };
      const errors: Record<string, string> = {};
      const check = async (blockId: string, ids: readonly string[]) => {
        const refusals = await Promise.all(ids.map((id) => deps.people.roleRefusal(id, deps.roles.workspaceTeamId)));
        const first = refusals.find((refusal) => refusal !== null);
        if (first) errors[blockId] = first;
      };
      await Promise.all([
        check(SETTINGS_BLOCK.leaders, people.value.leaderIds),
        check(SETTINGS_BLOCK.admins, people.value.adminIds),
      ]);
      if (Object.keys(errors).length > 0) return { saved: false, errors };
      return commands.savePeople(actor, version, people.value.leaderIds, people.value.adminIds);
    }),
  );
  routes.view(
    CALLBACK.settingsChannelModal,
    settingsSubmission(deps, 'settings channel', async ({ actor, version, values, client }) => {
      const channel = readChannel(values);
      if (!channel.ok) return { saved: false, errors: channel.errors };
      const problem = await channelProblem(deps, client, channel.value);
      if (problem) return { saved: false, errors: { [SETTINGS_BLOCK.channel]: problem } };
      return commands.saveChannel(actor, version, channel.value);
    }),
  );
  routes.view(
    CALLBACK.settingsTunablesModal,
    settingsSubmission(deps, 'settings tunables', async ({ actor, version, values }) => {
      const tunables = readTunables(values, deps.settings().tunables);
      if (!tunables.ok) return { saved: false, errors: tunables.errors };
      return commands.saveTunables(actor, version, tunables.value);
    }),
  );
}
