import { describe, expect, it } from 'vitest';
import { listItemAt, pageAt, sectionAt } from '../../src/chunking/locate.js';
import { describeLocation, foldWrappedLines } from '../../src/render/describe-location.js';

describe('where a quote stands', () => {
  const document = {
    pageStarts: [0, 100, 250],
    headings: [
      { start: 0, end: 8, level: 1, title: 'Handbook' },
      { start: 10, end: 25, level: 2, title: 'Ownership rules' },
      { start: 120, end: 128, level: 3, title: 'Transfers' },
      { start: 200, end: 208, level: 2, title: 'Meetings' },
    ],
  };

  it('finds the page an offset falls on, and none for a document without pages', () => {
    expect([0, 99, 100, 249, 250, 9_999].map((offset) => pageAt(document, offset))).toEqual([1, 1, 2, 2, 3, 3]);
    expect(pageAt({ pageStarts: null }, 5)).toBeNull();
  });

  it('gives the heading path in force at an offset, a deeper heading ended by a shallower one', () => {
    expect(sectionAt(document, 5)).toBe('Handbook');
    expect(sectionAt(document, 130)).toBe('Handbook › Ownership rules › Transfers');
    expect(sectionAt(document, 210)).toBe('Handbook › Meetings');
    expect(sectionAt({ headings: [] }, 10)).toBeNull();
  });

  it('cites a PDF by page of pages and section, other formats by section and paragraph, and drops a section that is the title', () => {
    expect(describeLocation({ page: 3, pageCount: 12, section: 'Reactions › The ministry', paragraph: 8 })).toBe('page 3 of 12 · Reactions › The ministry');
    expect(describeLocation({ page: null, pageCount: null, section: 'Handbook › Meetings', paragraph: 4 }, 'Handbook')).toBe('Meetings · paragraph 4');
    expect(describeLocation({ page: null, pageCount: null, section: 'Handbook', paragraph: 1 }, 'Handbook')).toBe('paragraph 1');
  });

  it('names the list item a quote starts: its own number, or a bullet\'s place in its run; nothing elsewhere', () => {
    const notes = 'Notes\n\n9. Empty lines end a record.\n10. Names are: unstable. Others too.\n\n- first\n- second\n* third\n\nPlain text - not a list.';
    expect(listItemAt(notes, notes.indexOf('Empty'))).toBe('9');
    expect(listItemAt(notes, notes.indexOf('Names'))).toBe('10');
    // Inside an item, or on a line with no marker: no item.
    expect(listItemAt(notes, notes.indexOf('Others'))).toBeNull();
    expect(listItemAt(notes, notes.indexOf('Notes'))).toBeNull();
    expect(listItemAt(notes, notes.indexOf('not a list'))).toBeNull();
    expect(['first', 'second', 'third'].map((word) => listItemAt(notes, notes.indexOf(word)))).toEqual(['1', '2', '3']);
  });

  it('adds the item to the paragraph, or after the section of a PDF', () => {
    expect(describeLocation({ page: null, pageCount: null, section: 'Handbook › Notes', paragraph: 598, item: '10' }, 'Handbook')).toBe('Notes · paragraph 598, item 10');
    expect(describeLocation({ page: 4, pageCount: 9, section: null, paragraph: 12, item: '3' })).toBe('page 4 of 9 · item 3');
    expect(describeLocation({ page: null, pageCount: null, section: null, paragraph: 2, item: null })).toBe('paragraph 2');
  });

  it('folds line breaks inside a wrapped sentence for reading, and keeps list items, sentence ends and blank lines', () => {
    expect(foldWrappedLines('a line that\nwraps, and\ngoes on.\nNext sentence.\n• item\n• item two\n\nNew paragraph')).toBe(
      'a line that wraps, and goes on.\nNext sentence.\n• item\n• item two\n\nNew paragraph',
    );
  });
});
