/**
 * SQuAD's answer normalisation (lower case; punctuation and the articles a/an/the
 * removed; white space collapsed), as ../shared/eval/squad/README.md states the
 * scoring rules: a quote answers when a gold answer, normalised, appears inside it.
 */
export function normalizeSquadText(text: string): string {
  return text
    .toLowerCase()
    .replace(/[\p{P}\p{S}]/gu, '')
    .replace(/\b(?:a|an|the)\b/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** True when one of the gold answers, normalised, appears inside the quoted text, normalised. */
export function quoteHoldsAnswer(quoted: string, answers: readonly string[]): boolean {
  const haystack = ` ${normalizeSquadText(quoted)} `;
  return answers.some((answer) => {
    const needle = normalizeSquadText(answer);
    return needle.length > 0 && haystack.includes(needle);
  });
}
