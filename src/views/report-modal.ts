import type { ModalView } from '@slack/types';
import { CALLBACK, REPORT_BLOCK } from '../ids.js';
import { LIMITS } from '../workflow/catalog.js';
import type { OptionLists } from '../workflow/options.js';
import type { DealReport } from '../workflow/types.js';
import { dateInput, listChoices, selectInput, textInput, userInput } from './inputs.js';
import { plain } from './text.js';

export interface ReportModalMetadata {
  /** The deal another system started, which this report completes. */
  draftDealId?: number;
}

export interface ReportModalInput {
  ownerId: string;
  /** The option lists in force: the modal offers what is not retired. */
  lists: OptionLists;
  prefill?: Partial<DealReport>;
  metadata?: ReportModalMetadata;
}

/** 1. 案件発生報告 */
export function buildReportModal(input: ReportModalInput): ModalView {
  const prefill = input.prefill ?? {};
  const amount = prefill.amount === null || prefill.amount === undefined ? null : String(prefill.amount);
  return {
    type: 'modal',
    callback_id: CALLBACK.reportModal,
    title: plain('案件発生報告', 24),
    submit: plain('登録', 24),
    close: plain('キャンセル', 24),
    private_metadata: JSON.stringify(input.metadata ?? {}),
    blocks: [
      textInput({
        blockId: REPORT_BLOCK.customer,
        label: '顧客名',
        maxLength: LIMITS.shortText,
        placeholder: '例: 株式会社サンプル',
        initial: prefill.customer,
      }),
      textInput({
        blockId: REPORT_BLOCK.title,
        label: '案件名',
        maxLength: LIMITS.shortText,
        placeholder: '例: 基幹システム更改',
        initial: prefill.title,
      }),
      selectInput({
        blockId: REPORT_BLOCK.industry,
        label: '業種',
        optional: true,
        choices: listChoices(input.lists, 'industry', prefill.industry),
        initial: prefill.industry,
      }),
      selectInput({
        blockId: REPORT_BLOCK.companySize,
        label: '会社規模 (従業員数)',
        optional: true,
        choices: listChoices(input.lists, 'companySize', prefill.companySize),
        initial: prefill.companySize,
      }),
      textInput({
        blockId: REPORT_BLOCK.amount,
        label: '見込み金額 (円)',
        optional: true,
        maxLength: 30,
        placeholder: '例: 1200万、1.2億、12,000,000',
        initial: amount,
      }),
      dateInput({
        blockId: REPORT_BLOCK.expectedCloseDate,
        label: '受注予定時期',
        optional: true,
        initial: prefill.expectedCloseDate,
      }),
      selectInput({
        blockId: REPORT_BLOCK.source,
        label: '案件発生経路',
        optional: true,
        choices: listChoices(input.lists, 'source', prefill.source),
        initial: prefill.source,
      }),
      textInput({
        blockId: REPORT_BLOCK.contactName,
        label: '顧客担当者',
        optional: true,
        maxLength: LIMITS.shortText,
        initial: prefill.contactName,
      }),
      textInput({
        blockId: REPORT_BLOCK.description,
        label: '案件概要',
        optional: true,
        multiline: true,
        maxLength: LIMITS.longText,
        placeholder: '顧客の課題、提案内容、競合など',
        initial: prefill.description,
      }),
      userInput({
        blockId: REPORT_BLOCK.owner,
        label: '担当営業',
        initial: prefill.ownerId ?? input.ownerId,
      }),
    ],
  };
}
