import type { Db } from './db.js';

export interface UserFacts {
  id: string;
  teamId: string | null;
  isBot: boolean;
  isGuest: boolean;
  deleted: boolean;
  fetchedAt: string;
}

interface UserRow {
  id: string;
  team_id: string | null;
  is_bot: number;
  is_guest: number;
  deleted: number;
  fetched_at: string;
}

export type UserCache = ReturnType<typeof createUserCache>;

/** What Slack told us about a person, kept so permission checks need no Web API call each time. */
export function createUserCache(db: Db) {
  const get = db.prepare('SELECT * FROM users WHERE id = ?');
  const put = db.prepare(
    `INSERT INTO users (id, team_id, is_bot, is_guest, deleted, fetched_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET team_id = excluded.team_id, is_bot = excluded.is_bot,
       is_guest = excluded.is_guest, deleted = excluded.deleted, fetched_at = excluded.fetched_at`,
  );
  return {
    get(id: string): UserFacts | null {
      const row = get.get(id) as UserRow | undefined;
      if (!row) return null;
      return {
        id: row.id,
        teamId: row.team_id,
        isBot: row.is_bot === 1,
        isGuest: row.is_guest === 1,
        deleted: row.deleted === 1,
        fetchedAt: row.fetched_at,
      };
    },
    put(user: UserFacts): void {
      put.run(user.id, user.teamId, user.isBot ? 1 : 0, user.isGuest ? 1 : 0, user.deleted ? 1 : 0, user.fetchedAt);
    },
  };
}
