import { describe, expect, it } from 'vitest';
import type { Answer } from '../../src/domain.js';
import { ANSWER_LOG_CAPACITY, AnswerLog } from '../../src/discord/answer-log.js';

function answer(question: string): Answer {
  return { question, resolvedQuestion: question, abstained: true, confidence: 0, quotes: [], related: [], retrievedChunkIds: [], reason: 'not-in-sources' };
}

describe('AnswerLog', () => {
  it('finds an answer by id, and the last answer per conversation', () => {
    const log = new AnswerLog();
    const first = log.add(answer('first?'), 'channel:alice');
    const second = log.add(answer('second?'), 'channel:alice');
    log.add(answer('other?'), 'channel:bob');
    expect(first).not.toBe(second);
    expect(log.get(first)?.question).toBe('first?');
    expect(log.last('channel:alice')?.question).toBe('second?');
    expect(log.last('channel:bob')?.question).toBe('other?');
    expect(log.last('channel:carol')).toBeNull();
  });

  it(`keeps ${ANSWER_LOG_CAPACITY} answers, forgetting the least recently used, a button click counting as use`, () => {
    const log = new AnswerLog();
    const ids = Array.from({ length: ANSWER_LOG_CAPACITY }, (_, i) => log.add(answer(`q${i}?`), `channel:user${i}`));
    // Someone clicks a button on the oldest answer: it is in use, the second oldest is not.
    expect(log.get(ids[0]!)?.question).toBe('q0?');
    log.add(answer('one more?'), 'channel:late');
    expect(log.get(ids[0]!)?.question).toBe('q0?');
    expect(log.get(ids[1]!)).toBeUndefined();
    expect(log.last('channel:user1')).toBeNull();
    expect(log.get(ids.at(-1)!)?.question).toBe(`q${ANSWER_LOG_CAPACITY - 1}?`);
  });
});
