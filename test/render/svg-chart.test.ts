import { DOMParser } from 'linkedom';
import { describe, expect, it } from 'vitest';
import type { ScaleFigures } from '../../src/benchmark/bench-report.js';
import { renderRecallLatencySvg } from '../../src/benchmark/plot-recall-latency.js';
import { renderSweepSvg, sweepThresholds } from '../../src/evaluation/threshold-sweep.js';
import { formatCoordinate, renderLine, renderPolyline, renderSvgDocument, renderText } from '../../src/render/svg-chart.js';

const TITLE = 'Held out & "checked" <by document>';

/** The text of every <text> element of an SVG, read back by an XML parser. */
function textsOf(svg: string): string[] {
  const document = new DOMParser().parseFromString(svg, 'image/svg+xml');
  return [...document.querySelectorAll('text')].map((element) => element.textContent ?? '');
}

describe('the shared chart pieces', () => {
  it('write lines, polylines and text with coordinates to one decimal, and escape text as XML', () => {
    expect(renderLine([1, 2.25], [3.04, 4], { colour: '#ddd' })).toBe('<line x1="1" y1="2.3" x2="3" y2="4" stroke="#ddd"/>');
    expect(renderPolyline([[0, 0], [1.5, 2]], { colour: 'red', width: 2, dash: '5 3' })).toBe(
      '<polyline fill="none" stroke="red" stroke-width="2" stroke-dasharray="5 3" stroke-linejoin="round" points="0,0 1.5,2"/>',
    );
    expect(renderText([5, 6], 'a < b & "c"', { class: 'x"y' })).toBe('<text x="5" y="6" class="x&quot;y">a &lt; b &amp; &quot;c&quot;</text>');
    expect(formatCoordinate(14.04)).toBe('14');
  });

  it('make a standalone SVG whose title an XML parser reads back as written', () => {
    const svg = renderSvgDocument({ width: 100, height: 50, fontSize: 11, title: { text: TITLE, at: [4, 20], fontSize: 13 } }, []);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" width="100" height="50"')).toBe(true);
    expect(textsOf(svg)).toEqual([TITLE]);
  });
});

describe('the charts drawn from them', () => {
  it('give the threshold trade-off and the recall–latency plot their titles as written', () => {
    const runs = [0.1, 0.5, 0.9].map((confidence, i) => ({ kind: i === 0 ? ('unanswerable' as const) : ('answerable' as const), confidence, holdsAnswer: i > 0, quoteChars: 100 }));
    expect(textsOf(renderSweepSvg(sweepThresholds(runs, 0.5), TITLE, 0.5))[0]).toBe(TITLE);
    const scale: ScaleFigures[] = [{
      n: 1_000, dims: 16, buildMs: 10, diskBytes: 1, loadMs: 1, rssBytes: 1, hnswP50Ms: 0.64, hnswP95Ms: 1, recallAt10: 0.96, bruteP50Ms: 2, rawP50Ms: 0.6, efSearch: 64,
      curve: [16, 64].map((ef) => ({ ef, p50Ms: ef / 100, p95Ms: ef / 50, recall: 0.9 + ef / 1_000 })),
    }];
    const plot = renderRecallLatencySvg(scale, TITLE);
    expect(textsOf(plot)[0]).toBe(TITLE);
    expect(plot.match(/<polyline /g)).toHaveLength(1);
  });
});
