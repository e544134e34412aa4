/** Domain errors: a code for logs and tests, a short Japanese message for the person who acted. */
export type DomainErrorCode =
  | 'foreign_workspace'
  | 'guest'
  | 'bot'
  | 'not_found'
  | 'not_reported'
  | 'already_reported'
  | 'closed'
  | 'not_owner_or_leader'
  | 'not_leader'
  | 'already_advised'
  | 'not_admin'
  | 'leaders_only'
  | 'nothing_to_retry'
  | 'invalid_input'
  | 'not_negotiating'
  | 'leaders_act'
  | 'same_owner'
  | 'not_snoozed';

const messages: Record<DomainErrorCode, string> = {
  foreign_workspace: 'この操作は社内のメンバーだけが行えます。',
  guest: 'ゲストアカウントではこの操作を行えません。',
  bot: 'ボットはこの操作を行えません。',
  not_found: '案件が見つかりません。削除されたか、リンクが正しくありません。',
  not_reported: 'この案件はまだ案件発生報告が入力されていません。',
  already_reported: 'この案件の案件発生報告はすでに入力されています。',
  closed: 'この案件はすでにクローズしています。これ以上は記録できません。',
  not_owner_or_leader: '進捗を記録できるのは担当営業と営業リーダだけです。',
  not_leader: '助言・戦略の指示ができるのは営業リーダだけです。',
  already_advised: 'この案件にはすでに助言が入力されています。',
  not_admin: 'この操作は管理者だけが行えます。',
  leaders_only: '分析と書き出しは営業リーダだけが使えます。',
  nothing_to_retry: 'この通知はすでに再送されたか、配信済みです。',
  invalid_input: '入力内容を確認してください。',
  not_negotiating: 'この案件は商談中ではありません。',
  leaders_act: 'この操作は営業リーダだけが行えます。',
  same_owner: 'すでにその人が担当営業です。',
  not_snoozed: 'この案件は保留中ではありません。',
};

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string = messages[code],
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}
