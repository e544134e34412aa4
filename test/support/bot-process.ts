/**
 * The built bot (`node main.js`, HTTP mode or Socket Mode) as a child process against the fake Slack, for the drivers
 * that kill and restart it (the crash test and the soak): build it, start it on a free port and wait for
 * /healthz, read its health, stop it.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { appendFileSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { sleep } from './driving.js';
import type { FakeSlack } from './fake-slack.js';
import { createSlackSender, type SlackSender } from './slack-requests.js';

export const PROJECT_ROOT = join(import.meta.dirname, '..', '..');

/** What `npm run build` writes: the entry point `npm start` runs. */
export const BUILT_ENTRY = join(PROJECT_ROOT, 'dist', 'main.js');

/**
 * The Node options `npm start` runs the bot with (package.json's start script: `node <options>
 * dist/main.js`), so that tests and benches run the built bot as production does.
 */
export function startOptions(): string[] {
  const manifest = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
    scripts: { start: string };
  };
  const [command, ...words] = manifest.scripts.start.trim().split(/\s+/);
  if (command !== 'node') throw new Error(`the start script does not run node: ${manifest.scripts.start}`);
  return words.filter((word) => word.startsWith('--'));
}

/**
 * Compiles the bot with the project's build config into `<dir>/build/dist` (a package.json with
 * "type": "module" and a link to node_modules beside it), so that another test file's `npm run build`
 * cannot rewrite dist/ while a child starts. Returns the entry point.
 */
export function buildBotInto(dir: string): string {
  const build = join(dir, 'build');
  mkdirSync(build);
  writeFileSync(join(build, 'package.json'), '{"type":"module"}\n');
  symlinkSync(join(PROJECT_ROOT, 'node_modules'), join(build, 'node_modules'), 'dir');
  const tsc = join(PROJECT_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  try {
    execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', join(build, 'dist')], {
      cwd: PROJECT_ROOT,
      stdio: 'pipe',
    });
  } catch (error) {
    const output = (error as { stdout?: Buffer }).stdout?.toString() ?? '';
    throw new Error(`the build (tsconfig.build.json) failed:\n${output}`);
  }
  return join(build, 'dist', 'main.js');
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

export interface Health {
  ok: boolean;
  pendingEffects: number;
}

/** The bot's /healthz; null while it does not answer (or answers other than 2xx). */
export async function health(port: number): Promise<Health | null> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/healthz`);
    return response.ok ? ((await response.json()) as Health) : null;
  } catch {
    return null;
  }
}

/** True once the bot reports no effect waiting in its outbox. */
export async function outboxDrained(port: number): Promise<boolean> {
  return (await health(port))?.pendingEffects === 0;
}

export interface Bot {
  child: ChildProcess;
  port: number;
  /** Signs requests as Slack does and sends them to the bot (through the proxy when there is one). */
  sender: SlackSender;
  exited: Promise<number | null>;
  /** What the bot wrote to stdout and stderr (only the end, when the runner keeps a limited amount). */
  output: () => string;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

export interface BotRunnerOptions {
  fake: FakeSlack;
  /** The built main.js to run. */
  entry: string;
  /** Scratch folder: the child's working directory; the database is `data/anken.db` below it. */
  dir: string;
  signingSecret: string;
  /** Runs the bot in Socket Mode with this app token (the fake's Socket Mode server must be attached). */
  appToken?: string;
  salesChannel: string;
  leaders: readonly string[];
  /** LOG_LEVEL of the bot; `error` by default. */
  logLevel?: string;
  /** How many times /healthz is asked (50 ms apart) before the start is given up. */
  startAttempts: number;
  /** Put before the messages of the errors thrown (`soak: `). */
  errorPrefix?: string;
  /** Keep only the last this many characters of each bot's output; all of it by default. */
  keepOutput?: number;
  /** Append every bot's output to this file as well. */
  logFile?: string;
  /** Requests go through this proxy; its target becomes the bot's port once the bot listens. */
  proxy?: { readonly port: number; target: number };
}

export interface BotRunner {
  /** The database every bot of this runner uses, so that a restarted bot carries on. */
  readonly dbPath: string;
  /** Starts a bot and waits until it answers /healthz. */
  start(): Promise<Bot>;
  /** SIGKILLs every bot of this runner that is still running. */
  killAll(): void;
}

export function createBotRunner(options: BotRunnerOptions): BotRunner {
  const { fake } = options;
  const prefix = options.errorPrefix ?? '';
  const dbPath = join(options.dir, 'data', 'anken.db');
  const children = new Set<ChildProcess>();

  async function start(): Promise<Bot> {
    const port = await freePort();
    const child = spawn(process.execPath, [...startOptions(), options.entry], {
      cwd: options.dir,
      env: {
        PATH: process.env.PATH ?? '',
        SLACK_BOT_TOKEN: fake.botToken,
        SLACK_SIGNING_SECRET: options.signingSecret,
        ...(options.appToken ? { SLACK_APP_TOKEN: options.appToken } : {}),
        SLACK_API_URL: fake.url,
        PORT: String(port),
        DATABASE_PATH: dbPath,
        SALES_CHANNEL_ID: options.salesChannel,
        SALES_LEADER_IDS: options.leaders.join(','),
        LOG_LEVEL: options.logLevel ?? 'error',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.add(child);
    let output = '';
    const keep = (chunk: unknown) => {
      output = `${output}${String(chunk)}`;
      if (options.keepOutput !== undefined) output = output.slice(-options.keepOutput);
      if (options.logFile) appendFileSync(options.logFile, String(chunk));
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    let gone = false;
    const exited = new Promise<number | null>((resolve) =>
      child.on('exit', (code) => {
        gone = true;
        children.delete(child);
        resolve(code);
      }),
    );
    for (let i = 0; i < options.startAttempts; i += 1) {
      if (gone) throw new Error(`${prefix}the bot exited at start-up:\n${output}`);
      if (await health(port)) {
        if (options.proxy) options.proxy.target = port;
        const sender = createSlackSender({
          baseUrl: `http://127.0.0.1:${options.proxy ? options.proxy.port : port}`,
          signingSecret: options.signingSecret,
          teamId: fake.teamId,
          botUserId: fake.botUserId,
          botId: fake.botId,
          responseUrlBase: fake.responseUrlBase,
        });
        const stop = () => {
          child.kill('SIGTERM');
          return exited;
        };
        return { child, port, sender, exited, output: () => output, stop };
      }
      await sleep(50);
    }
    child.kill('SIGKILL');
    throw new Error(`${prefix}the bot did not start listening:\n${output}`);
  }

  return {
    dbPath,
    start,
    killAll() {
      for (const child of children) child.kill('SIGKILL');
    },
  };
}
