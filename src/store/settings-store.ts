import type { SettingsAuditEntry, SettingsChange, SettingsRepository } from '../workflow/ports.js';
import type { SettingsSection, StoredSection, StoredSettings } from '../workflow/settings.js';
import type { Db } from './db.js';

interface SettingsRow {
  section: string;
  value: string;
  version: number;
}

interface AuditRow {
  id: number;
  section: string;
  actor_id: string;
  at: string;
  summary: string;
}

function parseValue(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

/**
 * Settings saved from Slack, one row per section, with an audit row per change. Reads are cached
 * until the database changes: by our own save, or by another connection (PRAGMA data_version), so
 * a value put back by hand with the sqlite3 shell is seen without a restart.
 */
export function createSettingsStore(db: Db): SettingsRepository {
  const statements = {
    all: db.prepare('SELECT section, value, version FROM settings ORDER BY section'),
    insert: db.prepare(
      `INSERT INTO settings (section, value, version, updated_by, updated_at) VALUES (?, ?, 1, ?, ?)
       ON CONFLICT (section) DO NOTHING`,
    ),
    update: db.prepare(
      `UPDATE settings SET value = ?, version = version + 1, updated_by = ?, updated_at = ?
       WHERE section = ? AND version = ?`,
    ),
    audit: db.prepare('INSERT INTO settings_audit (section, actor_id, at, summary) VALUES (?, ?, ?, ?)'),
    auditLog: db.prepare('SELECT * FROM settings_audit ORDER BY id DESC LIMIT ?'),
    // Prepared once: db.pragma() would prepare it again on every read of the settings (every request).
    dataVersion: db.prepare('PRAGMA data_version').pluck(),
  };
  let cached: { key: string; rows: string; settings: StoredSettings } | null = null;
  let ownWrites = 0;

  function cacheKey(): string {
    return `${statements.dataVersion.get() as number}:${ownWrites}`;
  }

  function toSettings(rows: readonly SettingsRow[]): StoredSettings {
    return new Map(
      rows.map((row): [SettingsSection, StoredSection] => [
        row.section as SettingsSection,
        { value: parseValue(row.value), version: row.version },
      ]),
    );
  }

  return {
    stored() {
      const key = cacheKey();
      if (cached?.key === key) return cached.settings;
      // Any other connection's commit changes data_version (a tool writing another table, say): the
      // same rows keep the same object, so nothing downstream is worked out again.
      const rows = statements.all.all() as SettingsRow[];
      const raw = rows.map((row) => `${row.section}\u0000${row.version}\u0000${row.value}`).join('\u0001');
      cached = { key, rows: raw, settings: cached?.rows === raw ? cached.settings : toSettings(rows) };
      return cached.settings;
    },
    save(change: SettingsChange) {
      const value = JSON.stringify(change.value);
      const saved =
        change.expectedVersion === 0
          ? statements.insert.run(change.section, value, change.actorId, change.at).changes === 1
          : statements.update.run(value, change.actorId, change.at, change.section, change.expectedVersion).changes ===
            1;
      if (!saved) return false;
      statements.audit.run(change.section, change.actorId, change.at, change.summary);
      ownWrites += 1;
      return true;
    },
    auditLog(limit: number): SettingsAuditEntry[] {
      return (statements.auditLog.all(limit) as AuditRow[]).map((row) => ({
        id: row.id,
        section: row.section as SettingsSection,
        actorId: row.actor_id,
        at: row.at,
        summary: row.summary,
      }));
    },
  };
}
