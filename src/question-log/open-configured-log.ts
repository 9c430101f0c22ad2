import type { Config } from '../config.js';
import { QuestionLog, type QuestionLogReporter } from './question-log.js';

/** The question log the configuration describes (DATA_DIR, QUESTION_LOG, DATA_RETENTION_DAYS). */
export function openConfiguredQuestionLog(config: Config, report: QuestionLogReporter): QuestionLog {
  return QuestionLog.open({
    dataDir: config.dataDir,
    logQuestions: config.questionLog,
    retentionDays: config.dataRetentionDays,
    report,
  });
}
