import escapeHtml from 'escape-html';

/**
 * The pieces every chart the project draws is made of — the threshold trade-off
 * (`npm run eval`/`train --svg`), the recall–latency plot (`npm run bench --svg`) and the
 * report page's daily charts: lines, polylines, text, numbers written the same way, and
 * for a chart saved as a file of its own, the document around them. Text goes through
 * escape-html, which escapes what XML needs escaped (& < > " ') in content and attributes.
 */

/** How a line is drawn: colour, width (default 1), an optional dash pattern ("5 3"). */
export interface Stroke {
  colour: string;
  width?: number;
  dash?: string;
}

/** A point of a chart, in SVG units. */
export type Point = readonly [x: number, y: number];

/** Text in a chart: escaped, as content or attribute. */
export function escapeSvgText(text: string): string {
  return escapeHtml(text);
}

/** A coordinate to one decimal, without a trailing ".0" (14 not 14.0): small files, no visible difference. */
export function formatCoordinate(value: number): string {
  return value.toFixed(1).replace(/\.0$/, '');
}

/** A straight line from `from` to `to`. */
export function renderLine(from: Point, to: Point, stroke: Stroke): string {
  const [x1, y1] = from.map(formatCoordinate);
  const [x2, y2] = to.map(formatCoordinate);
  return `<line x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}"${strokeAttributes(stroke)}/>`;
}

/** A line through `points`, unfilled. */
export function renderPolyline(points: readonly Point[], stroke: Stroke): string {
  const coordinates = points.map(([x, y]) => `${formatCoordinate(x)},${formatCoordinate(y)}`).join(' ');
  return `<polyline fill="none"${strokeAttributes(stroke)} stroke-linejoin="round" points="${coordinates}"/>`;
}

/** Text at a point; `attributes` are written as given (anchor, size, class…), the text escaped. */
export function renderText(at: Point, text: string, attributes: Record<string, string | number> = {}): string {
  const extra = Object.entries(attributes).map(([name, value]) => ` ${name}="${escapeSvgText(String(value))}"`).join('');
  return `<text x="${formatCoordinate(at[0])}" y="${formatCoordinate(at[1])}"${extra}>${escapeSvgText(text)}</text>`;
}

/** What a chart saved as its own file needs: its size, its font size, and a bold title at a point. */
export interface ChartDocument {
  width: number;
  height: number;
  fontSize: number;
  title: { text: string; at: Point; fontSize: number };
}

/** A standalone SVG file: white background, the title, then `parts`, one per line. */
export function renderSvgDocument(document: ChartDocument, parts: readonly string[]): string {
  const { width, height, fontSize, title } = document;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="${fontSize}">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    renderText(title.at, title.text, { 'font-size': title.fontSize, 'font-weight': 'bold' }),
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}

function strokeAttributes({ colour, width, dash }: Stroke): string {
  return ` stroke="${colour}"${width === undefined ? '' : ` stroke-width="${width}"`}${dash ? ` stroke-dasharray="${dash}"` : ''}`;
}
