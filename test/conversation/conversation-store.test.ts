import { describe, expect, it } from 'vitest';
import { ConversationStore } from '../../src/conversation/conversation-store.js';
import { contextualize } from '../../src/conversation/contextualize.js';

const turn = (question: string) => ({ question, resolvedQuestion: question, quotedChunkIds: ['doc#p1'] });

describe('ConversationStore', () => {
  it('forgets a conversation once it has been idle longer than the time-to-live', () => {
    let now = 0;
    const store = new ConversationStore({ ttlMs: 1_000, maxTurns: 5, maxKeys: 10, now: () => now });
    store.record('a', turn('first'));
    now = 999;
    expect(store.history('a')).toHaveLength(1);
    now = 2_000;
    expect(store.history('a')).toEqual([]);
  });

  it('keeps only the most recent turns and the most recently used conversations', () => {
    const store = new ConversationStore({ ttlMs: 60_000, maxTurns: 2, maxKeys: 2 });
    for (const q of ['one', 'two', 'three']) store.record('a', turn(q));
    expect(store.history('a').map((t) => t.question)).toEqual(['two', 'three']);
    store.record('b', turn('b1'));
    store.history('a');
    store.record('a', turn('four'));
    store.record('c', turn('c1'));
    expect(store.size).toBe(2);
    expect(store.history('b')).toEqual([]);
    expect(store.history('a').at(-1)?.question).toBe('four');
  });
});

describe('contextualize', () => {
  const history = [{ ...turn('How did Reporters Without Borders rank Kazakhstan?'), at: 0 }];

  it('treats a question that points back ("that", "he") as a follow-up, with the earlier words as context', () => {
    const resolved = contextualize('In which index was that?', history);
    expect(resolved.isFollowUp).toBe(true);
    expect(resolved.resolvedQuestion).toContain('Reporters Without Borders');
    const weights = Object.fromEntries(resolved.terms.map((t) => [t.term, t.weight]));
    expect(weights.index).toBe(1);
    expect(weights.border).toBe(0.5);
    expect(resolved.previousChunkIds.has('doc#p1')).toBe(true);
  });

  it('leaves a self-contained question alone, and anything without history', () => {
    expect(contextualize('How many seats were available in the election?', history).isFollowUp).toBe(false);
    expect(contextualize('What did he say?', []).isFollowUp).toBe(false);
  });
});
