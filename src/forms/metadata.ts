import { z } from 'zod';

/** private_metadata comes back from Slack as we sent it, but it is still input: parse, don't trust. */
const dealMetadata = z.object({ dealId: z.number().int().positive() });
const reportMetadata = z.object({ draftDealId: z.number().int().positive().optional() });

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

export function readDealMetadata(raw: string): { dealId: number } | null {
  const parsed = dealMetadata.safeParse(parseJson(raw));
  return parsed.success ? parsed.data : null;
}

export function readReportMetadata(raw: string): { draftDealId?: number } | null {
  const parsed = reportMetadata.safeParse(raw === '' ? {} : parseJson(raw));
  return parsed.success ? parsed.data : null;
}

/** A positive id (a deal, an outbox entry) carried in a button's value. */
export function readButtonId(value: string | undefined): number | null {
  if (value === undefined || !/^[1-9]\d{0,14}$/.test(value)) return null;
  return Number(value);
}

/** An overflow option's value, `<action_id>:<deal id>` (see menuValue): which action, on which deal. */
export function readMenuValue(value: string | undefined): { actionId: string; dealId: number } | null {
  const match = /^([a-z_]{1,100}):([1-9]\d{0,14})$/.exec(value ?? '');
  return match ? { actionId: match[1] as string, dealId: Number(match[2]) } : null;
}
