import type { KnownBlock } from '@slack/types';
import { formatAmount } from '../workflow/amount.js';
import { type OptionListKey, type OptionLists, optionLabel } from '../workflow/options.js';
import type { Deal } from '../workflow/types.js';
import { formatDate, mention, quote, truncate, userText } from './text.js';

/** "株式会社サンプル / 基幹システム更改" with user text escaped. */
export function dealName(deal: Deal, max = 200): string {
  return userText(`${deal.customer} / ${deal.title}`, max);
}

/** A stored option id as its label in force, escaped; null when the item is empty. */
export function optionText(lists: OptionLists, list: OptionListKey, id: string | null, max = 100): string | null {
  return id === null ? null : userText(optionLabel(lists, list, id), max);
}

/** The report's key items as mrkdwn fields (label, value), skipping what is empty. */
export function dealFields(deal: Deal, lists: OptionLists): string[] {
  const fields: Array<[string, string | null]> = [
    ['顧客', userText(deal.customer, 200)],
    ['担当営業', mention(deal.ownerId)],
    ['見込み金額', deal.amount === null ? null : formatAmount(deal.amount)],
    ['受注予定', deal.expectedCloseDate === null ? null : formatDate(deal.expectedCloseDate)],
    ['業種', optionText(lists, 'industry', deal.industry)],
    ['会社規模', optionText(lists, 'companySize', deal.companySize)],
    ['発生経路', optionText(lists, 'source', deal.source)],
    ['顧客担当者', deal.contactName === null ? null : userText(deal.contactName, 200)],
  ];
  return fields.flatMap(([label, value]) => (value === null ? [] : [`*${label}*\n${value}`]));
}

export function dealNumber(deal: Deal): string {
  return `案件 #${deal.id}`;
}

/** The key items as one section of fields. */
export function dealFieldsBlock(deal: Deal, lists: OptionLists): KnownBlock {
  return {
    type: 'section',
    fields: dealFields(deal, lists).map((text) => ({ type: 'mrkdwn', text: truncate(text, 2_000) })),
  };
}

/** 案件概要 as a block quote of at most `max` characters, or nothing when there is none. */
export function descriptionBlocks(deal: Deal, max: number): KnownBlock[] {
  return deal.description ? [{ type: 'section', text: { type: 'mrkdwn', text: quote(deal.description, max) } }] : [];
}
