import { createRequire } from 'node:module';
import { CHART_FONT_FAMILY } from '../views/win-rate-chart.js';
import { runInWorker } from './run-in-worker.js';

const require = createRequire(import.meta.url);

/** The chart font ships with the app (an npm dependency), so Japanese renders the same on any server. */
const FONT_FILES = [
  require.resolve('@expo-google-fonts/biz-udpgothic/400Regular/BIZUDPGothic_400Regular.ttf'),
  require.resolve('@expo-google-fonts/biz-udpgothic/700Bold/BIZUDPGothic_700Bold.ttf'),
];

interface RenderInput {
  svg: string;
  resvg: string;
  fontFiles: string[];
  fontFamily: string;
}

/** In the worker: SVG → PNG with resvg and only the bundled fonts (none from the machine). */
function renderJob(input: RenderInput): Uint8Array {
  const { Resvg } = require(input.resvg);
  const font = { fontFiles: input.fontFiles, loadSystemFonts: false, defaultFontFamily: input.fontFamily };
  return new Resvg(input.svg, { font, background: '#ffffff' }).render().asPng();
}

/** Rasterising loads a 4 MB font and takes a few hundred ms: it runs off the event loop. */
export async function renderPng(svg: string): Promise<Buffer> {
  const input = {
    svg,
    resvg: require.resolve('@resvg/resvg-js'),
    fontFiles: FONT_FILES,
    fontFamily: CHART_FONT_FAMILY,
  };
  return Buffer.from(await runInWorker(renderJob, input));
}
