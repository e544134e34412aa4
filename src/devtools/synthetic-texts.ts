/**
 * Japanese texts for synthetic deals: customer names, titles, descriptions, progress notes, advice
 * and thread comments, built from a varied vocabulary. Common words (保守, 更改, 価格, 物流 …) appear
 * in many deals, rare ones (製品型番, 地名) in few, so searches of every selectivity have something to find.
 */
import type { Random } from './random.js';

const words = (list: string): readonly string[] => list.split(' ');

const NAME_STEMS = words(
  '東和 北斗 三協 大和 日進 光洋 丸紅 昭栄 旭 富士 中央 西日本 関東 新星 協和 平和 太陽 青葉 若松 白鳥 朝日 山陽 東邦 明治 大成 双葉 千代田 港南 桜井 松風 高砂 菱和 栄光 東洋 湘南 北陸 九州 信州 瀬戸 琵琶湖',
);
const NAME_BUSINESSES = words(
  '物産 工業 製作所 商事 電機 システム 運輸 建設 ホールディングス 精機 化学 食品 不動産 倉庫 医療サービス 総研 印刷 薬品 観光 エンジニアリング',
);
const NAME_FORMS = words('株式会社{n} {n}株式会社 有限会社{n} {n}グループ 医療法人{n}会 学校法人{n}学園');

const SYSTEMS = words(
  '基幹システム 販売管理システム 生産管理システム 物流倉庫 会計システム 人事給与システム 電子カルテ ネットワーク機器 サーバー 複合機 監視カメラ 勤怠管理 顧客管理 ECサイト 受発注システム 在庫管理 配送管理 予約システム コールセンター データ基盤 工場設備 空調設備 業務端末',
);
const ACTIONS = words(
  '更改 保守契約更新 新規導入 増設 クラウド移行 リプレース 価格改定 追加開発 運用委託 保守 入れ替え 統合 刷新 拡張 点検',
);
const PHASES = ['', '', '', ' 第2期', ' 第3期', ' (全社展開)', ' (試行)', ' 追加分', ' 来期分'] as const;

const BACKGROUNDS = words(
  '老朽化した{s}の{a}を検討中。 現行の{s}の保守期限が来年度末で切れる。 物流拠点の統合に合わせて{s}を見直したいとのこと。 価格と納期を重視。競合は{k}社。 情報システム部主導で{s}の{a}を進めている。 予算は上期に確保済み。稟議は{m}月の予定。 展示会で当社の{s}に関心を持っていただいた。 既存顧客からの紹介。{s}の{a}で相談を受けた。 Webからの問い合わせ。{s}の価格を知りたいとのこと。 働き方改革で{s}の更改が急務。',
);
const DETAILS = [
  '決裁者は{p}。',
  '現場の要望は操作性と保守の手厚さ。',
  '他社製品との比較表を求められている。',
  '導入時期は{m}月を希望。',
  '複数拠点 ({k}拠点) での展開を想定。',
  'セキュリティ要件が厳しい。',
  '物流部門と情報システム部門の調整が必要。',
  '前回は価格で他社に決まった経緯あり。',
  '保守費用の削減が主な狙い。',
  '型番{x}の後継機を検討中。',
] as const;
const PEOPLE = words('情報システム部長 総務部長 工場長 経営企画室長 代表取締役 物流部長 事務長 購買課長');
const PROGRESS_NOTES = words(
  '{p}と打ち合わせ。{s}の要件を確認した。 見積書を提出。価格について再検討の依頼あり。 現地調査を実施。{k}拠点の配線状況を確認。 デモを実施。操作性の評価は高い。 競合との比較資料を送付。保守体制を強調した。 稟議に回るとのこと。{m}月に結論が出る見込み。 価格交渉。保守込みで{k}%の値引きを打診された。 物流部門へのヒアリング。更改の優先順位を整理。 Web会議で提案内容を説明。追加の質問を受けた。 導入スケジュール案を提示。 型番{x}の在庫と納期を確認して回答。',
);
const WIN_NOTES = words(
  '正式発注をいただきました。 内示をいただき、注文書を受領。 保守契約を含めて受注。 価格を調整して受注。納品は{m}月。',
);
const LOSS_NOTES = words(
  '価格で他社に決定。 予算が見送りになった。 要件に合わず辞退。 競合の保守体制が評価された。 計画そのものが中止。',
);
const NEXT_ACTIONS = words('見積の再提出 現地調査 デモの日程調整 稟議結果の確認 契約書案の送付 保守条件の提示');
const ADVICE = [
  '価格だけで勝負しないこと。保守と物流面の支援を前面に。',
  '決裁者に早めに会うこと。{p}へのアポを取ってください。',
  '競合は値引きで来るはず。更改後の運用コストで比較表を。',
  '過去の類似案件 (型番{x}) の事例を持っていくと良い。',
  '導入時期の前倒しを提案。上期予算を使い切りたいはず。',
  '技術部門を同行させて要件を詰めること。',
] as const;
const COMMENTS = words(
  '了解です。 見積の価格、もう少し下げられますか? 保守の条件を確認しておきます。 物流センターの件、先方から連絡ありました。 更改の時期は来期にずれそうです。 来週の訪問に同行します。 類似案件の資料を共有します。 先方の{p}が異動になったそうです。 型番{x}は在庫ありとのこと。 競合が{k}割引を出してきたようです。 ありがとうございます! この件、支援します。',
);
/** Rare words: product codes and places, each in few deals. */
const MODELS = Array.from({ length: 400 }, (_, i) => `AX-${(1000 + i * 7).toString()}`);
const CONTACTS = words('山田 佐藤 鈴木 高橋 田中 伊藤 渡辺 中村 小林 加藤 吉田 山口');
const TITLES = words('部長 課長 主任 様 係長');

export function createTexts(random: Random) {
  const { pick, between } = random;

  function fill(template: string): string {
    return template
      .replace('{s}', pick(SYSTEMS))
      .replace('{a}', pick(ACTIONS))
      .replace('{p}', pick(PEOPLE))
      .replace('{k}', String(between(2, 9)))
      .replace('{m}', String(between(1, 12)))
      .replace('{x}', pick(MODELS));
  }

  return {
    customer: () => pick(NAME_FORMS).replace('{n}', `${pick(NAME_STEMS)}${pick(NAME_BUSINESSES)}`),
    title: () => `${pick(SYSTEMS)}${pick(ACTIONS)}${pick(PHASES)}`,
    contact: () => `${pick(CONTACTS)} ${pick(TITLES)}`,
    description: () =>
      `${fill(pick(BACKGROUNDS))}${fill(pick(DETAILS))}${random.chance(0.5) ? fill(pick(DETAILS)) : ''}`,
    progressNote: () => `${fill(pick(PROGRESS_NOTES))}${random.chance(0.3) ? fill(pick(DETAILS)) : ''}`,
    winNote: () => fill(pick(WIN_NOTES)),
    lossNote: () => fill(pick(LOSS_NOTES)),
    nextAction: () => pick(NEXT_ACTIONS),
    advice: () => fill(pick(ADVICE)),
    comment: () => fill(pick(COMMENTS)),
  };
}

export type Texts = ReturnType<typeof createTexts>;
