import { escapeSvgText, formatCoordinate, renderLine, renderPolyline, renderSvgDocument, renderText } from '../render/svg-chart.js';
import type { ScaleFigures } from './bench-report.js';

/**
 * The recall–latency curves of the vector benchmark as an SVG line chart: median query
 * time (log scale) across, recall@10 up, one line per index size with a point per
 * efSearch, and each size's exact scan as a hollow point at recall 1.
 */

const WIDTH = 720;
const HEIGHT = 440;
const MARGIN = { left: 70, right: 150, top: 40, bottom: 60 };
const COLOURS = ['#1b9e77', '#d95f02', '#7570b3', '#e7298a', '#66a61e'];

export function renderRecallLatencySvg(scale: readonly ScaleFigures[], title: string): string {
  const times = scale.flatMap((entry) => [...entry.curve.map((point) => point.p50Ms), entry.bruteP50Ms]).filter((ms) => ms > 0);
  const recalls = scale.flatMap((entry) => entry.curve.map((point) => point.recall));
  const lowTime = 10 ** Math.floor(Math.log10(Math.min(...times)));
  const highTime = 10 ** Math.ceil(Math.log10(Math.max(...times)));
  const lowRecall = Math.max(0, Math.floor(Math.min(...recalls) * 10) / 10);
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = (ms: number): number => MARGIN.left + ((Math.log10(ms) - Math.log10(lowTime)) / (Math.log10(highTime) - Math.log10(lowTime))) * plotWidth;
  const y = (recall: number): number => MARGIN.top + (1 - (recall - lowRecall) / (1 - lowRecall)) * plotHeight;
  const parts: string[] = [];
  for (let decade = lowTime; decade <= highTime * 1.0001; decade *= 10) {
    parts.push(renderLine([x(decade), MARGIN.top], [x(decade), MARGIN.top + plotHeight], { colour: '#ddd' }));
    parts.push(renderText([x(decade), MARGIN.top + plotHeight + 18], decade >= 1 ? String(decade) : decade.toPrecision(1), { 'text-anchor': 'middle' }));
  }
  for (let recall = lowRecall; recall <= 1.0001; recall += 0.1) {
    parts.push(renderLine([MARGIN.left, y(recall)], [MARGIN.left + plotWidth, y(recall)], { colour: '#ddd' }));
    parts.push(renderText([MARGIN.left - 8, y(recall) + 4], recall.toFixed(1), { 'text-anchor': 'end' }));
  }
  parts.push(renderText([MARGIN.left + plotWidth / 2, HEIGHT - 18], 'median query time (ms, log scale)', { 'text-anchor': 'middle' }));
  parts.push(`<text transform="translate(20 ${formatCoordinate(MARGIN.top + plotHeight / 2)}) rotate(-90)" text-anchor="middle">recall@10</text>`);
  scale.forEach((entry, i) => {
    const colour = COLOURS[i % COLOURS.length]!;
    const points = [...entry.curve].sort((a, b) => a.ef - b.ef);
    parts.push(renderPolyline(points.map((point) => [x(point.p50Ms), y(point.recall)]), { colour, width: 2 }));
    for (const point of points) {
      const tip = `ef ${point.ef}: ${point.p50Ms.toFixed(3)} ms, recall ${point.recall.toFixed(3)}`;
      parts.push(`<circle cx="${formatCoordinate(x(point.p50Ms))}" cy="${formatCoordinate(y(point.recall))}" r="${point.ef === entry.efSearch ? 5 : 3}" fill="${colour}"><title>${escapeSvgText(tip)}</title></circle>`);
      parts.push(renderText([x(point.p50Ms) + 5, y(point.recall) - 6], String(point.ef), { 'font-size': 9, fill: colour }));
    }
    const exact = `exact scan: ${entry.bruteP50Ms.toFixed(2)} ms`;
    parts.push(`<circle cx="${formatCoordinate(x(entry.bruteP50Ms))}" cy="${formatCoordinate(y(1))}" r="5" fill="white" stroke="${colour}" stroke-width="2"><title>${escapeSvgText(exact)}</title></circle>`);
    const legendY = MARGIN.top + 10 + i * 36;
    parts.push(renderLine([WIDTH - MARGIN.right + 15, legendY], [WIDTH - MARGIN.right + 35, legendY], { colour, width: 2 }));
    parts.push(renderText([WIDTH - MARGIN.right + 40, legendY + 4], `${entry.n.toLocaleString('en-US')} × ${entry.dims}`));
    parts.push(renderText([WIDTH - MARGIN.right + 40, legendY + 18], '○ exact scan', { 'font-size': 10, fill: '#555' }));
  });
  parts.push(renderText([MARGIN.left, HEIGHT - 4], "Labels: efSearch; the larger dot is the project's default. Hollow: exact scan (recall 1).", { 'font-size': 10, fill: '#555' }));
  return renderSvgDocument({ width: WIDTH, height: HEIGHT, fontSize: 12, title: { text: title, at: [MARGIN.left, 22], fontSize: 14 } }, parts);
}
