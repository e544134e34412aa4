import { personFactsOf, type SlackUserFields } from '../people.js';
import { platformError } from '../slack-errors.js';
import { snapshotOf } from '../workflow/deal-events.js';
import { type NotAMember, whyNotMember } from '../workflow/permissions.js';
import { type FieldError, type OwnerRef, parseDealRequest } from './deal-request.js';
import type { ApiDeps } from './routes.js';

/** What the API answers; `reason` goes to the log when the request is refused. */
export interface ApiReply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  reason?: string;
}

/** The fields of users.info / users.lookupByEmail that decide whether someone may own a deal. */
interface SlackUser extends SlackUserFields {
  id?: string;
}

const OWNER_REFUSALS: Record<NotAMember, { message: (who: string) => string; reason: string }> = {
  deleted: { message: (who) => `${who} の Slack ユーザーは無効化されています。`, reason: 'deleted owner' },
  bot: { message: () => '担当営業にボットは指定できません。', reason: 'bot owner' },
  guest: { message: () => '担当営業にゲストアカウントは指定できません。', reason: 'guest owner' },
  foreign_workspace: { message: () => '担当営業には社内のメンバーを指定してください。', reason: 'foreign owner' },
};

function ownerRefused(ref: OwnerRef, message: string, reason: string): ApiReply {
  const field = 'email' in ref ? 'owner.email' : 'owner.slackUserId';
  return { status: 422, body: { error: 'invalid_owner', message, details: [{ field, message }] }, reason };
}

/** POST /api/deals once the request is authenticated and its body parsed: validate → owner → start. */
export function createDealsApi(deps: ApiDeps) {
  let workspaceTeam: Promise<string | undefined> | undefined;

  /** The bot's own workspace, asked once (people of other workspaces cannot own a deal). */
  function workspaceTeamId(): Promise<string | undefined> {
    workspaceTeam ??= deps
      .client()
      .auth.test()
      .then((result) => result.team_id)
      .catch((error: unknown) => {
        workspaceTeam = undefined;
        throw error;
      });
    return workspaceTeam;
  }

  async function fetchUser(ref: OwnerRef): Promise<SlackUser | undefined> {
    const client = deps.client();
    const result =
      'email' in ref
        ? await client.users.lookupByEmail({ email: ref.email })
        : await client.users.info({ user: ref.slackUserId });
    return result.user;
  }

  /** The Slack user the deal goes to, or why they cannot take it. */
  async function resolveOwner(ref: OwnerRef): Promise<{ userId: string } | ApiReply> {
    const who = 'email' in ref ? `メールアドレス ${ref.email}` : `ユーザーID ${ref.slackUserId}`;
    let user: SlackUser | undefined;
    try {
      user = await fetchUser(ref);
    } catch (error) {
      const code = platformError(error);
      if (code !== 'users_not_found' && code !== 'user_not_found') throw error;
    }
    if (!user?.id) {
      return ownerRefused(
        ref,
        `${who} の Slack ユーザーが見つかりません。担当営業を確認してください。`,
        'unknown owner',
      );
    }
    const reason = whyNotMember(personFactsOf(user.id, user), (await workspaceTeamId()) ?? null);
    if (reason !== null) return ownerRefused(ref, OWNER_REFUSALS[reason].message(who), OWNER_REFUSALS[reason].reason);
    return { userId: user.id };
  }

  async function start(body: unknown): Promise<ApiReply> {
    const request = parseDealRequest(body, deps.lists());
    if (!request.ok) return invalidRequest(request.details);
    // A retrying sender gets its deal back even if the owner has since left or changed.
    const started = request.value.externalId === null ? null : deps.system().findStartedDeal(request.value.externalId);
    if (started) return { status: 200, body: { deal: snapshotOf(started), created: false } };
    let owner: { userId: string } | ApiReply;
    try {
      owner = await resolveOwner(request.value.owner);
    } catch (error) {
      deps.logger().error('anken: API could not look up the owner in Slack', { code: platformError(error) }, error);
      const message = 'Slack に担当営業を問い合わせられませんでした。しばらくしてから再試行してください。';
      return { status: 502, body: { error: 'slack_error', message } };
    }
    if ('status' in owner) return owner;

    const { deal, duplicate } = deps.system().startDeal({
      report: { ...request.value.report, ownerId: owner.userId },
      externalId: request.value.externalId,
    });
    deps.logger().info('anken: API started a deal', { dealId: deal.id, externalId: deal.externalId, duplicate });
    const reply = { deal: snapshotOf(deal), created: !duplicate };
    if (duplicate) return { status: 200, body: reply };
    return { status: 201, body: reply };
  }

  return { start };
}

export function invalidRequest(details: FieldError[]): ApiReply {
  const reason = `invalid request (${details.map((detail) => detail.field).join(', ')})`;
  return { status: 400, body: { error: 'invalid_request', details }, reason };
}
