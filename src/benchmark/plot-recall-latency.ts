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
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="white"/>`,
    `<text x="${MARGIN.left}" y="22" font-size="14" font-weight="bold">${escape(title)}</text>`,
  ];
  for (let decade = lowTime; decade <= highTime * 1.0001; decade *= 10) {
    parts.push(`<line x1="${x(decade)}" y1="${MARGIN.top}" x2="${x(decade)}" y2="${MARGIN.top + plotHeight}" stroke="#ddd"/>`);
    parts.push(`<text x="${x(decade)}" y="${MARGIN.top + plotHeight + 18}" text-anchor="middle">${decade >= 1 ? decade : decade.toPrecision(1)}</text>`);
  }
  for (let recall = lowRecall; recall <= 1.0001; recall += 0.1) {
    parts.push(`<line x1="${MARGIN.left}" y1="${y(recall)}" x2="${MARGIN.left + plotWidth}" y2="${y(recall)}" stroke="#ddd"/>`);
    parts.push(`<text x="${MARGIN.left - 8}" y="${y(recall) + 4}" text-anchor="end">${recall.toFixed(1)}</text>`);
  }
  parts.push(`<text x="${MARGIN.left + plotWidth / 2}" y="${HEIGHT - 18}" text-anchor="middle">median query time (ms, log scale)</text>`);
  parts.push(`<text transform="translate(20 ${MARGIN.top + plotHeight / 2}) rotate(-90)" text-anchor="middle">recall@10</text>`);
  scale.forEach((entry, i) => {
    const colour = COLOURS[i % COLOURS.length]!;
    const points = [...entry.curve].sort((a, b) => a.ef - b.ef);
    parts.push(`<polyline fill="none" stroke="${colour}" stroke-width="2" points="${points.map((point) => `${x(point.p50Ms).toFixed(1)},${y(point.recall).toFixed(1)}`).join(' ')}"/>`);
    for (const point of points) {
      parts.push(`<circle cx="${x(point.p50Ms).toFixed(1)}" cy="${y(point.recall).toFixed(1)}" r="${point.ef === entry.efSearch ? 5 : 3}" fill="${colour}"><title>ef ${point.ef}: ${point.p50Ms.toFixed(3)} ms, recall ${point.recall.toFixed(3)}</title></circle>`);
      parts.push(`<text x="${(x(point.p50Ms) + 5).toFixed(1)}" y="${(y(point.recall) - 6).toFixed(1)}" font-size="9" fill="${colour}">${point.ef}</text>`);
    }
    parts.push(`<circle cx="${x(entry.bruteP50Ms).toFixed(1)}" cy="${y(1).toFixed(1)}" r="5" fill="white" stroke="${colour}" stroke-width="2"><title>exact scan: ${entry.bruteP50Ms.toFixed(2)} ms</title></circle>`);
    const legendY = MARGIN.top + 10 + i * 36;
    parts.push(`<line x1="${WIDTH - MARGIN.right + 15}" y1="${legendY}" x2="${WIDTH - MARGIN.right + 35}" y2="${legendY}" stroke="${colour}" stroke-width="2"/>`);
    parts.push(`<text x="${WIDTH - MARGIN.right + 40}" y="${legendY + 4}">${entry.n.toLocaleString('en-US')} × ${entry.dims}</text>`);
    parts.push(`<text x="${WIDTH - MARGIN.right + 40}" y="${legendY + 18}" font-size="10" fill="#555">○ exact scan</text>`);
  });
  parts.push(`<text x="${MARGIN.left}" y="${HEIGHT - 4}" font-size="10" fill="#555">Labels: efSearch; the larger dot is the project's default. Hollow: exact scan (recall 1).</text>`);
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
