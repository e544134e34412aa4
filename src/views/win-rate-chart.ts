/**
 * 業種別の受注率 as horizontal bars: an SVG drawn here (pure), rasterised to PNG in a worker
 * (src/workers/render-png.ts) with a font that ships as an npm dependency.
 */

export interface ChartBar {
  label: string;
  won: number;
  lost: number;
  /** 0–1, null when nothing closed. */
  rate: number | null;
  tooFew: boolean;
}

export const CHART_FONT_FAMILY = 'BIZ UDPGothic';

const WIDTH = 960;
const ROW = 56;
const TOP = 110;
const LABEL_WIDTH = 250;
const BAR_MAX = 380;

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function cut(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

function bar(row: ChartBar, index: number): string {
  const y = TOP + index * ROW;
  const width = Math.round((row.rate ?? 0) * BAR_MAX);
  const percent = row.rate === null ? '—' : `${Math.round(row.rate * 100)}%`;
  const colour = row.tooFew ? '#c4c8cf' : '#2e7d5b';
  const note = `${percent}  (${row.won}/${row.won + row.lost})${row.tooFew ? '  件数少' : ''}`;
  return [
    `<text x="${LABEL_WIDTH - 16}" y="${y + 32}" text-anchor="end" font-size="26" fill="#1d1c1d">${escapeXml(cut(row.label, 12))}</text>`,
    `<rect x="${LABEL_WIDTH}" y="${y + 10}" width="${BAR_MAX}" height="32" rx="4" fill="#f1f2f4"/>`,
    width > 0 ? `<rect x="${LABEL_WIDTH}" y="${y + 10}" width="${width}" height="32" rx="4" fill="${colour}"/>` : '',
    `<text x="${LABEL_WIDTH + BAR_MAX + 16}" y="${y + 34}" font-size="24" fill="#1d1c1d">${escapeXml(note)}</text>`,
  ].join('');
}

/** The chart as SVG text, sized for a phone screen's width when Slack scales it down. */
export function buildWinRateChart(title: string, subtitle: string, rows: readonly ChartBar[]): string {
  const shown = rows.slice(0, 15);
  const height = TOP + Math.max(shown.length, 1) * ROW + 60;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="${CHART_FONT_FAMILY}">`,
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    `<text x="32" y="52" font-size="34" font-weight="bold" fill="#1d1c1d">${escapeXml(title)}</text>`,
    `<text x="32" y="88" font-size="22" fill="#616061">${escapeXml(subtitle)}</text>`,
    ...(shown.length === 0
      ? [`<text x="32" y="${TOP + 32}" font-size="26" fill="#616061">この期間にクローズした案件はありません</text>`]
      : shown.map(bar)),
    `<text x="32" y="${height - 24}" font-size="20" fill="#616061">受注率 = 受注 ÷ (受注 + 失注)。灰色はクローズ 5 件未満で、判断には少なすぎます。</text>`,
    '</svg>',
  ].join('\n');
}
