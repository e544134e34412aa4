import { existsSync } from 'node:fs';
import { validate as isCronExpression } from 'node-cron';
import { z } from 'zod';
import { SLACK_USER_ID } from './forms/rules.js';

export type LogLevelName = 'debug' | 'info' | 'warn' | 'error';

export interface Config {
  slackBotToken: string;
  slackAppToken: string | undefined;
  slackSigningSecret: string | undefined;
  port: number;
  slackApiUrl: string | undefined;
  databasePath: string;
  salesChannelId: string;
  leaderIds: string[];
  adminIds: string[];
  commandNames: string[];
  logLevel: LogLevelName;
  timeZone: string;
  /** Bearer token of POST /api/deals; unset turns the API off. */
  apiToken: string | undefined;
  webhookUrls: string[];
  webhookSecret: string | undefined;
  backupDir: string;
  backupKeep: number;
  backupSchedule: string;
  reminderSchedule: string;
  /** Delivered outbox rows and handled-request records older than this many days are deleted. */
  retentionDays: number;
  retentionSchedule: string;
  chase: ChaseSettings;
}

/** When work counts as stalled, how it is chased, and when the leaders' digest goes out. */
export interface ChaseSettings {
  /** Advice waiting longer than this many business hours is stalled. */
  adviceStaleHours: number;
  /** A 商談中 deal without an entry for this many business days is stalled. */
  staleDays: number;
  /** After this many reminders without action the leaders are told. */
  escalateAfter: number;
  digestSchedule: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`設定に誤りがあります:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** "a, b,,c" → ['a', 'b', 'c'] */
const commaList = z.string().transform((raw) =>
  raw
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== ''),
);

const userIdList = commaList.pipe(
  z.array(z.string().regex(SLACK_USER_ID, 'Slack のユーザーID (U… または W…) を並べてください')),
);

const cronHint = 'cron 形式で設定してください (例: 0 3 * * * は毎日3時)';

/** A whole number ≥ 1: "abc", "0" and "1.5" stop start-up. */
const positiveInteger = (fallback: number, max: number) =>
  z.coerce
    .number({ error: '数値で設定してください' })
    .int('整数で設定してください')
    .min(1, '1 以上で設定してください')
    .max(max, `${max} 以下で設定してください`)
    .default(fallback);

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const schema = z
  .object({
    SLACK_BOT_TOKEN: z.string().startsWith('xoxb-', 'ボットトークン (xoxb-…) を設定してください'),
    SLACK_APP_TOKEN: z.string().startsWith('xapp-', 'アプリレベルトークン (xapp-…) を設定してください').optional(),
    SLACK_SIGNING_SECRET: z.string().min(1).optional(),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    SLACK_API_URL: z.url('http(s)://… の URL を設定してください').optional(),
    DATABASE_PATH: z.string().min(1).default('./data/anken.db'),
    SALES_CHANNEL_ID: z.string().regex(/^[CG][A-Z0-9]{2,}$/, 'チャンネルID (C…) を設定してください'),
    SALES_LEADER_IDS: userIdList.refine((ids) => ids.length > 0, '営業リーダのユーザーIDを1人以上設定してください'),
    ADMIN_USER_IDS: userIdList.optional(),
    ANKEN_COMMANDS: z
      .string()
      .default('/案件,/anken')
      .pipe(commaList)
      .pipe(z.array(z.string().regex(/^\/\S+$/, '「/」で始まるコマンド名をカンマ区切りで設定してください')).min(1)),
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
    ANKEN_TIMEZONE: z
      .string()
      .default('Asia/Tokyo')
      .refine(isTimeZone, 'IANA のタイムゾーン名で設定してください (例: Asia/Tokyo)'),
    ANKEN_API_TOKEN: z
      .string()
      .min(24, '24文字以上のランダムな文字列を設定してください (例: openssl rand -hex 24)')
      .optional(),
    ANKEN_WEBHOOK_URLS: z
      .string()
      .default('')
      .pipe(commaList)
      .pipe(z.array(z.url({ protocol: /^https?$/, error: 'http(s):// の URL をカンマ区切りで設定してください' }))),
    ANKEN_WEBHOOK_SECRET: z.string().min(16, '16文字以上の署名用シークレットを設定してください').optional(),
    BACKUP_DIR: z.string().min(1).default('./data/backups'),
    BACKUP_KEEP: z.coerce.number().int().min(1).max(365).default(14),
    BACKUP_SCHEDULE: z.string().default('0 3 * * *').refine(isCronExpression, cronHint),
    REMINDER_SCHEDULE: z.string().default('0 10 * * 1-5').refine(isCronExpression, cronHint),
    RETENTION_DAYS: positiveInteger(30, 3650),
    RETENTION_SCHEDULE: z.string().default('30 4 * * *').refine(isCronExpression, cronHint),
    ADVICE_STALE_HOURS: positiveInteger(24, 24 * 60),
    STALE_DAYS: positiveInteger(10, 365),
    ESCALATE_AFTER: positiveInteger(3, 100),
    DIGEST_SCHEDULE: z.string().default('0 9 * * 1').refine(isCronExpression, cronHint),
  })
  .refine((env) => env.ANKEN_WEBHOOK_URLS.length === 0 || env.ANKEN_WEBHOOK_SECRET !== undefined, {
    path: ['ANKEN_WEBHOOK_SECRET'],
    message: 'ANKEN_WEBHOOK_URLS を使うときは署名用シークレットが必要です',
  })
  .refine((env) => env.SLACK_APP_TOKEN !== undefined || env.SLACK_SIGNING_SECRET !== undefined, {
    path: ['SLACK_SIGNING_SECRET'],
    message: 'HTTP モードでは署名シークレットが必要です (Socket Mode なら SLACK_APP_TOKEN を設定してください)',
  });

const hints: Record<string, string> = {
  SLACK_BOT_TOKEN: 'Slack アプリの「OAuth & Permissions」にある Bot User OAuth Token',
  SLACK_APP_TOKEN: '「Basic Information」→「App-Level Tokens」(connections:write)',
  SLACK_SIGNING_SECRET: '「Basic Information」→「Signing Secret」',
  SALES_CHANNEL_ID: 'チャンネル名を右クリック →「チャンネル詳細」の一番下にある ID',
  SALES_LEADER_IDS: 'プロフィール →「︙」→「メンバーIDをコピー」で得た ID をカンマ区切りで',
};

export function loadConfig(env: Record<string, string | undefined>): Config {
  const blankAsUnset = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = schema.safeParse(blankAsUnset);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = String(issue.path[0] ?? '');
        const hint = hints[name] ? ` (${hints[name]})` : '';
        const message = issue.code === 'invalid_type' && blankAsUnset[name] === undefined ? '必須です' : issue.message;
        return `${name}: ${message}${hint}`;
      }),
    );
  }
  const e = parsed.data;
  return {
    slackBotToken: e.SLACK_BOT_TOKEN,
    slackAppToken: e.SLACK_APP_TOKEN,
    slackSigningSecret: e.SLACK_SIGNING_SECRET,
    port: e.PORT,
    slackApiUrl: e.SLACK_API_URL === undefined ? undefined : withTrailingSlash(e.SLACK_API_URL),
    databasePath: e.DATABASE_PATH,
    salesChannelId: e.SALES_CHANNEL_ID,
    leaderIds: e.SALES_LEADER_IDS,
    adminIds: e.ADMIN_USER_IDS && e.ADMIN_USER_IDS.length > 0 ? e.ADMIN_USER_IDS : e.SALES_LEADER_IDS,
    commandNames: e.ANKEN_COMMANDS,
    logLevel: e.LOG_LEVEL,
    timeZone: e.ANKEN_TIMEZONE,
    apiToken: e.ANKEN_API_TOKEN,
    webhookUrls: e.ANKEN_WEBHOOK_URLS,
    webhookSecret: e.ANKEN_WEBHOOK_SECRET,
    backupDir: e.BACKUP_DIR,
    backupKeep: e.BACKUP_KEEP,
    backupSchedule: e.BACKUP_SCHEDULE,
    reminderSchedule: e.REMINDER_SCHEDULE,
    retentionDays: e.RETENTION_DAYS,
    retentionSchedule: e.RETENTION_SCHEDULE,
    chase: {
      adviceStaleHours: e.ADVICE_STALE_HOURS,
      staleDays: e.STALE_DAYS,
      escalateAfter: e.ESCALATE_AFTER,
      digestSchedule: e.DIGEST_SCHEDULE,
    },
  };
}

/** Reads `.env` into process.env when the file exists; variables already set win. */
export function loadDotEnv(path = '.env'): void {
  if (existsSync(path)) process.loadEnvFile(path);
}

export function configFromProcessEnv(): Config {
  loadDotEnv();
  return loadConfig(process.env);
}

function withTrailingSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}
