import { expect } from 'vitest';
import { ACTION, ADVICE_BLOCK, CALLBACK, inputActionId, PROGRESS_BLOCK, REPORT_BLOCK } from '../../src/ids.js';
import { todayIn } from '../../src/workflow/dates.js';
import type { FakeMessage, FakeView } from './fake-slack.js';
import { type Harness, SALES_CHANNEL as SALES_CHANNEL_FOR_STALE } from './harness.js';
import type { SlackHttpResponse } from './slack-requests.js';

/** Today in the team's time zone (the tests run with the default, Asia/Tokyo). */
export function teamToday(): string {
  return todayIn('Asia/Tokyo', new Date());
}

/** state.values as Slack sends them: every input block present, unset ones null. */
export type FormValues = Record<string, Record<string, unknown>>;

export const text = (value: string | null) => ({ type: 'plain_text_input', value });
export const select = (value: string | null) => ({
  type: 'static_select',
  selected_option: value === null ? null : { text: { type: 'plain_text', text: value, emoji: true }, value },
});
export const radio = (value: string) => ({
  type: 'radio_buttons',
  selected_option: { text: { type: 'plain_text', text: value, emoji: true }, value },
});
export const date = (value: string | null) => ({ type: 'datepicker', selected_date: value });
export const user = (value: string | null) => ({ type: 'users_select', selected_user: value });

function values(entries: Record<string, unknown>): FormValues {
  return Object.fromEntries(
    Object.entries(entries).map(([blockId, state]) => [blockId, { [inputActionId(blockId)]: state }]),
  );
}

export interface ReportInput {
  customer?: string | null;
  title?: string | null;
  industry?: string | null;
  companySize?: string | null;
  amount?: string | null;
  expectedCloseDate?: string | null;
  source?: string | null;
  contactName?: string | null;
  description?: string | null;
  owner?: string | null;
}

export function reportValues(input: ReportInput, reporter: string): FormValues {
  return values({
    [REPORT_BLOCK.customer]: text(input.customer === undefined ? '株式会社サンプル' : input.customer),
    [REPORT_BLOCK.title]: text(input.title === undefined ? '基幹システム更改' : input.title),
    [REPORT_BLOCK.industry]: select(input.industry ?? null),
    [REPORT_BLOCK.companySize]: select(input.companySize ?? null),
    [REPORT_BLOCK.amount]: text(input.amount ?? null),
    [REPORT_BLOCK.expectedCloseDate]: date(input.expectedCloseDate ?? null),
    [REPORT_BLOCK.source]: select(input.source ?? null),
    [REPORT_BLOCK.contactName]: text(input.contactName ?? null),
    [REPORT_BLOCK.description]: text(input.description ?? null),
    [REPORT_BLOCK.owner]: user(input.owner === undefined ? reporter : input.owner),
  });
}

export interface ProgressInput {
  status?: 'negotiating' | 'won' | 'lost';
  activityType?: string | null;
  activityDate?: string | null;
  amount?: string | null;
  content?: string | null;
  nextAction?: string | null;
  nextActionDue?: string | null;
  lossReason?: string | null;
  lossDetail?: string | null;
}

export function progressValues(input: ProgressInput, today: string): FormValues {
  return values({
    [PROGRESS_BLOCK.status]: radio(input.status ?? 'negotiating'),
    [PROGRESS_BLOCK.activityType]: select(input.activityType ?? null),
    [PROGRESS_BLOCK.activityDate]: date(input.activityDate === undefined ? today : input.activityDate),
    [PROGRESS_BLOCK.amount]: text(input.amount ?? null),
    [PROGRESS_BLOCK.content]: text(input.content === undefined ? '訪問してヒアリングしました' : input.content),
    [PROGRESS_BLOCK.nextAction]: text(input.nextAction ?? null),
    [PROGRESS_BLOCK.nextActionDue]: date(input.nextActionDue ?? null),
    [PROGRESS_BLOCK.lossReason]: select(input.lossReason ?? null),
    [PROGRESS_BLOCK.lossDetail]: text(input.lossDetail ?? null),
  });
}

export function adviceValues(advice: string | null): FormValues {
  return values({ [ADVICE_BLOCK.text]: text(advice) });
}

/** The modal the app opened most recently for this trigger, or fails the test. */
function viewOpenedAfter(h: Harness, countBefore: number): FakeView {
  const opened = h.fake.okCallsTo('views.open');
  expect(opened.length, 'the app should have opened a modal').toBeGreaterThan(countBefore);
  const call = opened[opened.length - 1];
  const id = (call?.response as { view?: { id?: string } } | null)?.view?.id;
  const view = id ? h.fake.viewById(id) : undefined;
  if (!view) throw new Error('opened view not found in the fake');
  return view;
}

export async function runCommand(h: Harness, userId: string, command = '/案件', teamId?: string) {
  const before = h.fake.okCallsTo('views.open').length;
  const response = await h.sender.slashCommand({
    command,
    userId,
    channelId: 'C0RANDOM',
    triggerId: h.fake.issueTriggerId({ userId }),
    ...(teamId ? { teamId } : {}),
  });
  const opened = h.fake.okCallsTo('views.open').length > before ? viewOpenedAfter(h, before) : null;
  return { response, view: opened };
}

export async function submit(
  h: Harness,
  userId: string,
  view: FakeView,
  state: FormValues,
  teamId?: string,
): Promise<SlackHttpResponse> {
  return h.sender.viewSubmission({
    userId,
    view: { ...view, state: { values: state } },
    ...(teamId ? { teamId } : {}),
  });
}

/** Taps a button in a message (card, thread reply or DM); returns the modal it opened, if any. */
export async function tapButton(
  h: Harness,
  userId: string,
  message: FakeMessage,
  actionId: string,
  teamId?: string,
): Promise<{ response: SlackHttpResponse; view: FakeView | null }> {
  const before = h.fake.okCallsTo('views.open').length;
  const element = findButton(message.blocks, actionId);
  const response = await h.sender.blockAction({
    userId,
    actionId,
    value: element.value,
    triggerId: h.fake.issueTriggerId({ userId }),
    container: { type: 'message', channel_id: message.channel, message_ts: message.ts },
    message,
    ...(teamId ? { teamId } : {}),
  });
  const view = h.fake.okCallsTo('views.open').length > before ? viewOpenedAfter(h, before) : null;
  return { response, view };
}

/** Taps a button on the person's App Home. */
export async function tapHomeButton(h: Harness, userId: string, actionId: string, value: string) {
  const before = h.fake.okCallsTo('views.open').length;
  const home = h.fake.homeOf(userId);
  const response = await h.sender.blockAction({
    userId,
    actionId,
    value,
    triggerId: h.fake.issueTriggerId({ userId }),
    ...(home
      ? { container: { type: 'view' as const, view_id: home.id }, view: home }
      : { container: { type: 'view' as const, view_id: 'V0HOMENOTYET' } }),
  });
  const view = h.fake.okCallsTo('views.open').length > before ? viewOpenedAfter(h, before) : null;
  return { response, view };
}

/** Sends a button tap by value alone, as from a message that has since been updated (a stale button). */
export async function pressStaleButton(h: Harness, userId: string, actionId: string, value: string, teamId?: string) {
  const before = h.fake.okCallsTo('views.open').length;
  const response = await h.sender.blockAction({
    ...(teamId ? { teamId } : {}),
    userId,
    actionId,
    value,
    triggerId: h.fake.issueTriggerId({ userId }),
    container: { type: 'message', channel_id: SALES_CHANNEL_FOR_STALE, message_ts: '1700000000.000100' },
  });
  const view = h.fake.okCallsTo('views.open').length > before ? viewOpenedAfter(h, before) : null;
  return { response, view };
}

/** The rep reports a deal (株式会社サンプル / 基幹更改) and a leader advises on it; returns its id. */
export async function reportAndAdvise(h: Harness, rep: string, leader: string): Promise<number> {
  const { view } = await runCommand(h, rep);
  const response = await submit(h, rep, view!, reportValues({ customer: '株式会社サンプル', title: '基幹更改' }, rep));
  await h.settle();
  const dealId = Number(/案件 #(\d+)/.exec(readable((response.body as { view?: unknown }).view))?.[1]);
  const advice = await pressStaleButton(h, leader, ACTION.openAdvice, String(dealId));
  await submit(h, leader, advice.view!, adviceValues('決裁者に会いましょう'));
  await h.settle();
  return dealId;
}

export function findButton(blocks: unknown, actionId: string): { value: string } {
  for (const block of (blocks as Array<Record<string, unknown>>) ?? []) {
    const elements = [block.accessory, ...((block.elements as unknown[]) ?? [])] as Array<
      Record<string, unknown> | undefined
    >;
    const found = elements.find((element) => element?.action_id === actionId);
    if (found) return { value: String(found.value) };
  }
  throw new Error(`no button ${actionId} in the message`);
}

export function hasButton(blocks: unknown, actionId: string): boolean {
  try {
    findButton(blocks, actionId);
    return true;
  } catch {
    return false;
  }
}

/** Everything a person can read in a message: its text and every text in its blocks. */
export function readable(message: unknown): string {
  if (!message || typeof message !== 'object') return '';
  const { text, blocks } = message as { text?: unknown; blocks?: unknown };
  const texts: string[] = [typeof text === 'string' ? text : ''];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === 'text' && typeof value === 'string') texts.push(value);
        else walk(value);
      }
    }
  };
  walk(blocks);
  return texts.join('\n');
}

/**
 * The texts Slack parses for mentions and links: a message's `text` and every mrkdwn text object.
 * (plain_text is shown literally, so `<!channel>` there pings nobody.)
 */
export function parsedTexts(message: unknown): string {
  if (!message || typeof message !== 'object') return '';
  const { text, blocks } = message as { text?: unknown; blocks?: unknown };
  const texts: string[] = [typeof text === 'string' ? text : ''];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const record = node as Record<string, unknown>;
      if (record.type === 'mrkdwn' && typeof record.text === 'string') texts.push(record.text);
      for (const value of Object.values(record)) walk(value);
    }
  };
  walk(blocks);
  return texts.join('\n');
}

export { ACTION, CALLBACK };
