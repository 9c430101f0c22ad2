import { describe, expect, it } from 'vitest';
import { ConversationStore, rememberedPlaces } from '../../src/conversation/conversation-store.js';
import { contextualize } from '../../src/conversation/contextualize.js';

/** A clock reading as Date.now gives one (lru-cache reads a start time of 0 as "none"). */
const START_MS = Date.parse('2025-01-01T00:00:00Z');
const turn = (question: string) => ({ question, resolvedQuestion: question, quoted: [{ chunkId: 'doc#p1', documentId: 'doc', start: 0, end: 10 }] });

describe('ConversationStore', () => {
  it('forgets a conversation once it has been idle longer than the time-to-live', () => {
    let now = START_MS;
    const store = new ConversationStore({ ttlMs: 1_000, maxTurns: 5, maxKeys: 10, now: () => now });
    store.record('a', turn('first'));
    now = START_MS + 999;
    expect(store.history('a')).toHaveLength(1);
    now = START_MS + 2_000;
    expect(store.history('a')).toEqual([]);
  });

  it('keeps only the most recent turns of a conversation', () => {
    const store = new ConversationStore({ ttlMs: 60_000, maxTurns: 2, maxKeys: 2 });
    for (const q of ['one', 'two', 'three']) store.record('a', turn(q));
    expect(store.history('a').map((t) => t.question)).toEqual(['two', 'three']);
  });

  it('forgets the least recently used conversation when full, reading one counting as use', () => {
    const store = new ConversationStore({ ttlMs: 60_000, maxTurns: 2, maxKeys: 2 });
    store.record('a', turn('a1'));
    store.record('b', turn('b1'));
    // Only read, not written: 'a' is now used more recently than 'b'.
    store.history('a');
    store.record('c', turn('c1'));
    expect(store.size).toBe(2);
    expect(store.history('b')).toEqual([]);
    expect(store.history('a').map((t) => t.question)).toEqual(['a1']);
    expect(store.history('c').map((t) => t.question)).toEqual(['c1']);
  });

  it('does not extend a conversation’s life by reading it, only by a new turn', () => {
    let now = START_MS;
    const store = new ConversationStore({ ttlMs: 1_000, maxTurns: 5, maxKeys: 10, now: () => now });
    store.record('a', turn('first'));
    now += 600;
    expect(store.history('a')).toHaveLength(1);
    now += 600;
    expect(store.history('a')).toEqual([]);
    store.record('b', turn('b1'));
    now += 600;
    store.record('b', turn('b2'));
    now += 600;
    expect(store.history('b').map((t) => t.question)).toEqual(['b1', 'b2']);
  });

  it('forgets one conversation on request and keeps the others', () => {
    const store = new ConversationStore({ ttlMs: 60_000, maxTurns: 2, maxKeys: 10 });
    store.record('a', turn('a1'));
    store.record('b', turn('b1'));
    store.forget('a');
    expect(store.history('a')).toEqual([]);
    expect(store.history('b')).toHaveLength(1);
  });
});

describe('contextualize', () => {
  const history = [{ ...turn('How did Reporters Without Borders rank Kazakhstan?'), at: 0 }];

  it('searches a follow-up with the earlier question’s words as context at half weight', () => {
    const resolved = contextualize('In which index was that?', history, true);
    expect(resolved.isFollowUp).toBe(true);
    expect(resolved.resolvedQuestion).toContain('Reporters Without Borders');
    const weights = Object.fromEntries(resolved.terms.map((t) => [t.term, t.weight]));
    expect(weights.index).toBe(1);
    expect(weights.border).toBe(0.5);
    expect(resolved.previousChunkIds.has('doc#p1')).toBe(true);
    // What the earlier answer quoted goes with it, as the document's characters.
    expect(resolved.previousQuotes).toEqual([{ chunkId: 'doc#p1', documentId: 'doc', start: 0, end: 10 }]);
  });

  it('leaves a question that does not follow up exactly as asked, and anything without history', () => {
    const fresh = contextualize('How many seats were available in the election?', [], false);
    expect(contextualize('How many seats were available in the election?', history, false)).toEqual(fresh);
    expect(contextualize('What did he say?', [], true).isFollowUp).toBe(false);
    expect(contextualize('How many seats were available in the election?', history, false).previousQuotes).toEqual([]);
  });

  const contextOf = (question: string, before: string): string[] =>
    contextualize(question, [{ ...turn(before), at: 0 }], true).terms.filter((t) => t.weight < 1).map((t) => t.term);

  it('reads a follow-up that only names something new as the earlier question asked of it, every word in full', () => {
    const resolved = contextualize('and a Senator?', history.map((h) => ({ ...h, question: 'How old must a Representative be?', resolvedQuestion: 'How old must a Representative be?' })), true);
    expect(resolved.question).toBe('How old must a Senator be?');
    expect(resolved.resolvedQuestion).toBe('How old must a Senator be?');
    expect(resolved.isFollowUp).toBe(true);
    expect(resolved.terms.map((t) => [t.term, t.weight])).toEqual([['old', 1], ['senat', 1]]);
    expect(resolved.previousChunkIds.has('doc#p1')).toBe(true);
    // The earlier quote was about the Representative: no guide to where the Senator's answer stands.
    expect(resolved.previousQuotes).toEqual([]);
  });

  it('restates against what the earlier question asked, not the context it was read with', () => {
    const earlier = 'What score did Freedom House give for political liberties?';
    const second = contextualize('what about the ombudsman, what did he say?', [{ ...turn(earlier), at: 0 }], true);
    expect(second.resolvedQuestion).toBe(`what about the ombudsman, what did he say? (${earlier})`);
    const after = [{ ...turn(earlier), at: 0 }, { question: 'what about the ombudsman, what did he say?', resolvedQuestion: second.resolvedQuestion, quoted: [], at: 1 }];
    // The ombudsman question has no "for" phrase of its own: nothing to restate, its words are context.
    const third = contextualize('and for civil liberties?', after, true);
    expect(third.question).toBe('and for civil liberties?');
    expect(third.terms.filter((t) => t.weight < 1).map((t) => t.term)).toContain('ombudsman');
  });

  it('keeps the earlier words as context when the earlier question has nothing of the kind named anew', () => {
    expect(contextualize('And with read.table?', [{ ...turn('How long did scan take under Linux?'), at: 0 }], true).question).toBe('And with read.table?');
    expect(contextOf('And with read.table?', 'How long did scan take under Linux?')).toEqual(['long', 'scan', 'linux']);
    expect(contextOf('what about the house?', 'How old must a senator be?')).toEqual(['old', 'senat']);
  });

  it('keeps every earlier word when the follow-up asks something of its own', () => {
    expect(contextOf('What did Hun Sen say about it?', 'Who owns The Cambodia Daily?')).toEqual(['own', 'cambodia', 'daili']);
    expect(contextOf('And when did Senator Smith arrive?', 'How old must a Representative be?')).toEqual(['old', 'repres']);
  });
});

describe('rememberedPlaces', () => {
  // A quote carries more (text, citation…); only where it stands is remembered.
  const place = (chunkId: string, start: number) => ({ chunkId, documentId: 'doc', start, end: start + 5, text: 'words', citation: 1 });

  it('remembers what an answer quoted, all of it', () => {
    expect(rememberedPlaces({ quotes: [place('doc#p1', 0), place('doc#p2', 40)], related: [place('doc#p9', 7)] })).toEqual([
      { chunkId: 'doc#p1', documentId: 'doc', start: 0, end: 5 },
      { chunkId: 'doc#p2', documentId: 'doc', start: 40, end: 45 },
    ]);
  });

  it('remembers the first related passage of an abstention, the one the user reads first', () => {
    expect(rememberedPlaces({ quotes: [], related: [place('doc#p9', 7), place('doc#p3', 0)] })).toEqual([{ chunkId: 'doc#p9', documentId: 'doc', start: 7, end: 12 }]);
  });

  it('remembers nothing when nothing was shown', () => {
    expect(rememberedPlaces({ quotes: [], related: [] })).toEqual([]);
  });
});
