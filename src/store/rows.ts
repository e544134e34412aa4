import type { Deal, Task, TimelineData, TimelineEntry } from '../workflow/types.js';

export interface DealRow {
  id: number;
  status: Deal['status'];
  customer: string;
  title: string;
  industry: string | null;
  company_size: string | null;
  amount: number | null;
  expected_close_date: string | null;
  source: string | null;
  contact_name: string | null;
  description: string | null;
  owner_id: string;
  reporter_id: string;
  external_id: string | null;
  created_at: string;
  reported_at: string | null;
  closed_at: string | null;
  advice_given: number;
  card_channel: string | null;
  card_ts: string | null;
  last_progress_id: number | null;
}

export function toDeal(row: DealRow): Deal {
  return {
    id: row.id,
    status: row.status,
    customer: row.customer,
    title: row.title,
    industry: row.industry,
    companySize: row.company_size,
    amount: row.amount,
    expectedCloseDate: row.expected_close_date,
    source: row.source,
    contactName: row.contact_name,
    description: row.description,
    ownerId: row.owner_id,
    reporterId: row.reporter_id,
    externalId: row.external_id,
    createdAt: row.created_at,
    reportedAt: row.reported_at,
    closedAt: row.closed_at,
    adviceGiven: row.advice_given === 1,
    cardChannel: row.card_channel,
    cardTs: row.card_ts,
    lastProgressId: row.last_progress_id,
  };
}

/** Named parameters for the deals table's columns. */
export function dealParams(deal: Omit<Deal, 'id'>) {
  return {
    status: deal.status,
    customer: deal.customer,
    title: deal.title,
    industry: deal.industry,
    company_size: deal.companySize,
    amount: deal.amount,
    expected_close_date: deal.expectedCloseDate,
    source: deal.source,
    contact_name: deal.contactName,
    description: deal.description,
    owner_id: deal.ownerId,
    reporter_id: deal.reporterId,
    external_id: deal.externalId,
    created_at: deal.createdAt,
    reported_at: deal.reportedAt,
    closed_at: deal.closedAt,
    advice_given: deal.adviceGiven ? 1 : 0,
    card_channel: deal.cardChannel,
    card_ts: deal.cardTs,
    last_progress_id: deal.lastProgressId,
  };
}

export interface TimelineRow {
  id: number;
  deal_id: number;
  kind: string;
  author_id: string;
  at: string;
  data: string;
}

export function toTimelineEntry(row: TimelineRow): TimelineEntry {
  const data = JSON.parse(row.data) as TimelineData;
  return { ...data, id: row.id, dealId: row.deal_id, authorId: row.author_id, at: row.at };
}

export interface TaskRow {
  id: number;
  deal_id: number;
  kind: Task['kind'];
  assignee_id: string | null;
  state: Task['state'];
  due_on: string | null;
  created_at: string;
  completed_by: string | null;
  completed_at: string | null;
}

export function toTask(row: TaskRow): Task {
  return {
    id: row.id,
    dealId: row.deal_id,
    kind: row.kind,
    assigneeId: row.assignee_id,
    state: row.state,
    dueOn: row.due_on,
    createdAt: row.created_at,
    completedBy: row.completed_by,
    completedAt: row.completed_at,
  };
}
