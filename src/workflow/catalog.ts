/** The choices the report and progress forms offer. Stored as the labels themselves. */
import type { DealStatus } from './types.js';

export const INDUSTRIES = [
  '製造業',
  '建設業',
  '情報通信業',
  '卸売業・小売業',
  '金融業・保険業',
  '不動産業',
  '運輸業・郵便業',
  '医療・福祉',
  '教育・学習支援業',
  'サービス業',
  '官公庁・自治体',
  'その他',
] as const;

export const COMPANY_SIZES = ['〜49名', '50〜299名', '300〜999名', '1,000〜4,999名', '5,000名以上'] as const;

export const SOURCES = ['紹介', 'Web問い合わせ', '展示会', '既存顧客', '新規開拓', '外部システム', 'その他'] as const;

export const ACTIVITY_TYPES = ['往訪', '見積提出', '電話・Web会議', 'メール', 'その他'] as const;

export const LOSS_REASONS = [
  '価格',
  '競合に敗退',
  '機能・要件不適合',
  '予算・時期の見送り',
  '顧客都合',
  'その他',
] as const;

export const STATUS_LABELS: Record<DealStatus, string> = {
  draft: '入力待ち',
  negotiating: '商談中',
  won: '受注',
  lost: '失注',
};

/** Text limits of the forms, in characters. */
export const LIMITS = {
  shortText: 100,
  longText: 2_000,
  advice: 2_000,
} as const;
