import { computeFollowUpFeatures } from '../conversation/follow-up-features.js';
import { type FollowUpModel, scoreLinear, sigmoid } from './answer-model.js';

/**
 * Whether a question follows up on the one before, decided per question by the fitted
 * follow-up model (pronouns without an antecedent, ellipsis, "and what about…", no subject
 * of its own): only then does the conversation's context enter the question.
 */

/** P(the question follows up on the one before), from the fitted follow-up model. */
export function estimateFollowUp(model: FollowUpModel, question: string): number {
  return sigmoid(scoreLinear(model.model, computeFollowUpFeatures(question)));
}

/** Whether a question asked after others follows up on the last (the model's probability reaches its threshold). */
export function isFollowUpQuestion(model: FollowUpModel, question: string): boolean {
  return estimateFollowUp(model, question) >= model.threshold;
}
