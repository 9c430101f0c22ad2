import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';

describe('question log settings', () => {
  it('log questions for 90 days by default, and read QUESTION_LOG and DATA_RETENTION_DAYS', () => {
    expect(loadConfig({}, '/x')).toMatchObject({ dataDir: '/x/data', questionLog: true, dataRetentionDays: 90 });
    expect(loadConfig({ QUESTION_LOG: 'off', DATA_RETENTION_DAYS: '30', DATA_DIR: 'var/verbatim' }, '/x')).toMatchObject({ dataDir: '/x/var/verbatim', questionLog: false, dataRetentionDays: 30 });
  });

  it('stop at start-up naming the variable when a value is wrong', () => {
    expect(() => loadConfig({ QUESTION_LOG: 'sometimes' })).toThrow(/QUESTION_LOG must be true or false/);
    expect(() => loadConfig({ DATA_RETENTION_DAYS: '0' })).toThrow(/DATA_RETENTION_DAYS must be a whole number from 1 to 36500 \(got "0"\)/);
  });
});
