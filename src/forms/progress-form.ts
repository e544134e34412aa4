import { PROGRESS_BLOCK as B } from '../ids.js';
import { LIMITS } from '../workflow/catalog.js';
import { type OptionLists, optionIds } from '../workflow/options.js';
import type { ProgressEntry, ProgressStatus } from '../workflow/types.js';
import { FormReader, type FormResult, type StateValues } from './fields.js';

const STATUSES: readonly ProgressStatus[] = ['negotiating', 'won', 'lost'];

export function readProgressForm(values: StateValues, today: string, lists: OptionLists): FormResult<ProgressEntry> {
  const form = new FormReader(values);
  const status = form.choice(B.status, STATUSES, { required: true, label: '状況' }) ?? 'negotiating';
  const entry: ProgressEntry = {
    status,
    activityType: form.choice(B.activityType, optionIds(lists, 'activityType'), { required: false, label: '活動種別' }),
    activityDate: form.date(B.activityDate, { required: true, label: '活動日' }) ?? today,
    amount: form.amount(B.amount, { label: '金額' }),
    content: form.text(B.content, { required: true, max: LIMITS.longText, multiline: true, label: '内容' }) ?? '',
    nextAction: form.text(B.nextAction, {
      required: false,
      max: LIMITS.shortText * 2,
      label: '次のアクション',
    }),
    nextActionDue: form.date(B.nextActionDue, { required: false, label: '次のアクションの期日' }),
    lossReason: form.choice(B.lossReason, optionIds(lists, 'lossReason'), { required: false, label: '失注理由' }),
    lossDetail: form.text(B.lossDetail, {
      required: false,
      max: LIMITS.longText,
      multiline: true,
      label: '失注理由の詳細',
    }),
  };
  if (entry.activityDate > today) form.reject(B.activityDate, '活動日に未来の日付は選べません。');
  if (entry.nextActionDue !== null && entry.nextActionDue < today) {
    form.reject(B.nextActionDue, '次のアクションの期日は今日以降の日付を選んでください。');
  }
  if (status === 'lost' && entry.lossReason === null) {
    form.reject(B.lossReason, '失注のときは失注理由を選んでください。');
  }
  if (status === 'lost' && entry.lossReason === 'その他' && entry.lossDetail === null) {
    form.reject(B.lossDetail, '失注理由が「その他」のときは詳細を入力してください。');
  }
  if (status !== 'lost' && (entry.lossReason !== null || entry.lossDetail !== null)) {
    form.reject(B.lossReason, '失注理由は状況が「失注」のときだけ入力してください。');
  }
  return form.result(entry);
}
