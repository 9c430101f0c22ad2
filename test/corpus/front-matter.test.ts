import { describe, expect, it } from 'vitest';
import { parseFrontMatter } from '../../src/corpus/front-matter.js';

describe('parseFrontMatter', () => {
  it('leaves an inline # comment out of the title', () => {
    const text = '---\ntitle: Kazakhstan Elected  # from the wire\npublication: "Issue #5: the vote"\n---\nBody.\n';
    expect(parseFrontMatter(text).meta).toMatchObject({ title: 'Kazakhstan Elected', publication: 'Issue #5: the vote' });
  });

  it('reads YAML as YAML: quoted, folded and multi-line values, any key case, dates kept as written', () => {
    const text = [
      '---',
      '# a whole-line comment',
      "Title: 'It''s a headline'",
      'publication: >-',
      '  Eurasia Daily',
      '  Monitor',
      'date: 2012-11-14',
      'url: https://example.org/a?b=1#c',
      'tags: [un, council]',
      '---',
      'Body.',
    ].join('\n');
    expect(parseFrontMatter(text).meta).toEqual({ title: "It's a headline", publication: 'Eurasia Daily Monitor', date: '2012-11-14', url: 'https://example.org/a?b=1#c' });
  });

  it('gives the offset right after the closing line, with CRLF line ends and a byte-order mark', () => {
    const text = '\uFEFF---\r\ntitle: A\r\n---\r\nBody.';
    const { meta, bodyStart } = parseFrontMatter(text);
    expect(meta.title).toBe('A');
    expect(text.slice(bodyStart)).toBe('Body.');
  });

  it('treats a block that is not a YAML mapping as text, so nothing of the file is hidden', () => {
    for (const text of ['---\ntitle: [unclosed\n---\nBody.', '---\nJust a sentence between rules.\n---\nBody.']) {
      const { meta, bodyStart } = parseFrontMatter(text);
      expect(bodyStart).toBe(0);
      expect(meta).toEqual({ title: null, publication: null, date: null, url: null });
    }
  });

  it('accepts empty front matter and a file without any', () => {
    expect(parseFrontMatter('---\n---\nBody.').bodyStart).toBe(8);
    expect(parseFrontMatter('Body only.\n---\n')).toEqual({ meta: { title: null, publication: null, date: null, url: null }, bodyStart: 0 });
  });
});
