import type { Logger } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { UserCache, UserFacts } from './store/user-cache.js';
import { type PersonFacts, whyNotMember } from './workflow/permissions.js';
import type { Actor } from './workflow/types.js';

/** The users.info / users.lookupByEmail fields that decide whether someone takes part. */
export interface SlackUserFields {
  team_id?: string;
  deleted?: boolean;
  is_bot?: boolean;
  is_restricted?: boolean;
  is_ultra_restricted?: boolean;
}

/** Slack's user object as the facts the workflow judges (Slackbot is a bot; restricted accounts are guests). */
export function personFactsOf(userId: string, user: SlackUserFields): Required<PersonFacts> {
  return {
    teamId: user.team_id ?? null,
    isBot: user.is_bot === true || userId === 'USLACKBOT',
    isGuest: user.is_restricted === true || user.is_ultra_restricted === true,
    deleted: user.deleted === true,
  };
}

/** Facts about a person older than this are fetched again (guests can be converted, people leave). */
const MAX_AGE_MS = 12 * 60 * 60 * 1_000;

export interface PeopleDeps {
  client: WebClient;
  cache: UserCache;
  logger: Logger;
  now: () => Date;
}

export type People = ReturnType<typeof createPeople>;

const ROLE_REFUSALS = {
  deleted: 'はすでに無効になったアカウントです。',
  foreign_workspace: 'は他のワークスペースのメンバーのため選べません。',
  bot: 'はボットのため選べません。',
  guest: 'はゲストのため選べません。',
} as const;

/** Turns the user id of a Slack request into an Actor the workflow can judge. */
export function createPeople(deps: PeopleDeps) {
  /** users.info calls under way: a burst of requests from one person makes one call. */
  const fetching = new Map<string, Promise<UserFacts | null>>();

  async function fetchFacts(userId: string): Promise<UserFacts | null> {
    return (await fetchPerson(userId))?.facts ?? null;
  }

  /** users.info, with the name people know the person by (for messages about them). */
  async function fetchPerson(userId: string): Promise<{ facts: UserFacts; name: string } | null> {
    try {
      const result = await deps.client.users.info({ user: userId });
      const user = result.user;
      if (!user) return null;
      const facts: UserFacts = { id: userId, ...personFactsOf(userId, user), fetchedAt: deps.now().toISOString() };
      deps.cache.put(facts);
      return { facts, name: user.profile?.display_name || user.real_name || user.name || userId };
    } catch (error) {
      deps.logger.warn('anken: users.info failed; judging by the request alone', { userId }, error);
      return null;
    }
  }

  function fetchOnce(userId: string): Promise<UserFacts | null> {
    let pending = fetching.get(userId);
    if (!pending) {
      pending = fetchFacts(userId).finally(() => fetching.delete(userId));
      fetching.set(userId, pending);
    }
    return pending;
  }

  /**
   * Only someone never seen waits for users.info (their request cannot be judged without it). Facts past
   * their age judge once more while they are fetched again, so no request of a known person waits for Slack.
   */
  async function factsOf(userId: string): Promise<UserFacts | null> {
    const cached = deps.cache.get(userId);
    if (!cached) return fetchOnce(userId);
    // fetchFacts never rejects: a failed refresh is logged and the facts are kept.
    if (deps.now().getTime() - Date.parse(cached.fetchedAt) >= MAX_AGE_MS) void fetchOnce(userId);
    return cached;
  }

  /** Why a person cannot take a role (a bot, a guest, another workspace's member, gone), or null when they can. */
  async function roleRefusal(userId: string, workspaceTeamId: string | null): Promise<string | null> {
    const person = await fetchPerson(userId);
    if (person === null) return `${userId} の情報を Slack から取得できませんでした。`;
    const reason = whyNotMember(person.facts, workspaceTeamId);
    return reason === null ? null : `「${person.name}」${ROLE_REFUSALS[reason]}`;
  }

  return {
    roleRefusal,
    /** `requestTeamId` is the team Slack says the request came from (user.team_id of the payload). */
    async actor(userId: string, requestTeamId: string | null | undefined, isBot = false): Promise<Actor> {
      const facts = await factsOf(userId);
      return {
        userId,
        teamId: requestTeamId ?? facts?.teamId ?? null,
        isBot: isBot || (facts?.isBot ?? false),
        isGuest: facts?.isGuest ?? false,
      };
    },
  };
}
