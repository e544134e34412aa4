import { REPORT_BLOCK as B } from '../ids.js';
import { LIMITS } from '../workflow/catalog.js';
import { type OptionLists, optionIds } from '../workflow/options.js';
import type { DealReport } from '../workflow/types.js';
import { FormReader, type FormResult, type StateValues } from './fields.js';

export function readReportForm(values: StateValues, lists: OptionLists): FormResult<DealReport> {
  const form = new FormReader(values);
  const report: DealReport = {
    customer: form.text(B.customer, { required: true, max: LIMITS.shortText, label: '顧客名' }) ?? '',
    title: form.text(B.title, { required: true, max: LIMITS.shortText, label: '案件名' }) ?? '',
    industry: form.choice(B.industry, optionIds(lists, 'industry'), { required: false, label: '業種' }),
    companySize: form.choice(B.companySize, optionIds(lists, 'companySize'), { required: false, label: '会社規模' }),
    amount: form.amount(B.amount, { label: '見込み金額' }),
    expectedCloseDate: form.date(B.expectedCloseDate, { required: false, label: '受注予定時期' }),
    source: form.choice(B.source, optionIds(lists, 'source'), { required: false, label: '案件発生経路' }),
    contactName: form.text(B.contactName, { required: false, max: LIMITS.shortText, label: '顧客担当者' }),
    description: form.text(B.description, {
      required: false,
      max: LIMITS.longText,
      multiline: true,
      label: '案件概要',
    }),
    ownerId: form.user(B.owner, { label: '担当営業' }) ?? '',
  };
  return form.result(report);
}
