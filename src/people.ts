import type { Logger } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { UserCache, UserFacts } from './store/user-cache.js';
import type { Actor } from './workflow/types.js';

/** Facts about a person older than this are fetched again (guests can be converted, people leave). */
const MAX_AGE_MS = 12 * 60 * 60 * 1_000;

export interface PeopleDeps {
  client: WebClient;
  cache: UserCache;
  logger: Logger;
  now: () => Date;
}

export type People = ReturnType<typeof createPeople>;

/** Turns the user id of a Slack request into an Actor the workflow can judge. */
export function createPeople(deps: PeopleDeps) {
  async function fetchFacts(userId: string): Promise<UserFacts | null> {
    return (await fetchPerson(userId))?.facts ?? null;
  }

  /** users.info, with the name people know the person by (for messages about them). */
  async function fetchPerson(userId: string): Promise<{ facts: UserFacts; name: string } | null> {
    try {
      const result = await deps.client.users.info({ user: userId });
      const user = result.user;
      if (!user) return null;
      const facts: UserFacts = {
        id: userId,
        teamId: user.team_id ?? null,
        isBot: user.is_bot === true || userId === 'USLACKBOT',
        isGuest: user.is_restricted === true || user.is_ultra_restricted === true,
        deleted: user.deleted === true,
        fetchedAt: deps.now().toISOString(),
      };
      deps.cache.put(facts);
      return { facts, name: user.profile?.display_name || user.real_name || user.name || userId };
    } catch (error) {
      deps.logger.warn('anken: users.info failed; judging by the request alone', { userId }, error);
      return null;
    }
  }

  async function factsOf(userId: string): Promise<UserFacts | null> {
    const cached = deps.cache.get(userId);
    if (cached && deps.now().getTime() - Date.parse(cached.fetchedAt) < MAX_AGE_MS) return cached;
    return (await fetchFacts(userId)) ?? cached;
  }

  /** Why a person cannot take a role (a bot, a guest, another workspace's member, gone), or null when they can. */
  async function roleRefusal(userId: string, workspaceTeamId: string | null): Promise<string | null> {
    const person = await fetchPerson(userId);
    if (person === null) return `${userId} の情報を Slack から取得できませんでした。`;
    const { facts } = person;
    const who = `「${person.name}」`;
    if (facts.deleted) return `${who} はすでに無効になったアカウントです。`;
    if (facts.isBot) return `${who} はボットのため選べません。`;
    if (facts.isGuest) return `${who} はゲストのため選べません。`;
    if (workspaceTeamId !== null && facts.teamId !== null && facts.teamId !== workspaceTeamId) {
      return `${who} は他のワークスペースのメンバーのため選べません。`;
    }
    return null;
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
