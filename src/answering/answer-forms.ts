import { isStopWord, stemTerm, tokenize } from '../text/terms.js';
import { isVerbPastForm } from '../lexicon/lexicon.js';
import { remember } from '../remember.js';

/**
 * Finer forms of answer than who/when/how many: what a question asks for (an age, a place,
 * a founding year, a duration, a percentage, a quantity in some unit, a yes or no, a cause,
 * a definition) and whether a sentence says that kind of thing. Each is a signal the fitted
 * models weigh, and each can be left out (`npm run train -- --without age`) to measure what
 * it adds held out; answer-model.json lists the ones kept. English question words only; it
 * knows nothing about any corpus.
 */

/**
 * Forms whose answer is one specific kind of thing a sentence either says or does not
 * (an age, a place…), most specific first: the `specificForm` feature. Yes/no, cause and
 * definition have features of their own.
 */
export const SPECIFIC_FORMS = ['age', 'founding', 'duration', 'percentage', 'place', 'unit'] as const;
export type SpecificForm = (typeof SPECIFIC_FORMS)[number];

/** The forms, each a signal of its own. */
export const ANSWER_FORMS = [...SPECIFIC_FORMS, 'yes-no', 'cause', 'definition'] as const;
export type AnswerForm = (typeof ANSWER_FORMS)[number];

const NUMBER_WORD = '(?:\\d[\\d,.]*|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|several|many|few|some)';
const TIME_UNIT = '(?:years?|months?|weeks?|days?|hours?|minutes?|seconds?|decades?|centuries|century)';
const YEAR = '\\b(?:1[0-9]\\d\\d|20\\d\\d)\\b';
const FOUNDING_VERB = '(?:set up|found(?:ed|ing)?|establish(?:ed|ing|ment)?|creat(?:ed|ion|ing)|formed|formation|started|launch(?:ed|ing)?|opened|built|began|incorporated|introduced|inaugurated|instituted|organi[sz]ed|chartered|constructed|erected)';

/** What each form looks like in a question. */
const ASKS: Record<AnswerForm, { test(question: string): boolean }> = {
  age: /\bhow old\b|\b(?:what|which) age\b|\bat what age\b|\b(?:minimum|maximum|required|youngest|oldest) age\b|\bage (?:of|at|when|limit)\b/i,
  place: /\bwhere\b(?!.*\b(?:rank|ranked|finish|finished|stand|placed)\b)|\b(?:in|at|from|to) (?:what|which) (?:city|country|town|state|place|region|county|village|province|district|building|location|continent|street|island|port|capital)\b|\b(?:what|which) (?:city|country|town|state|place|location|region|county|village|province|continent|island|capital)\b/i,
  founding: new RegExp(`\\b(?:when|what year|which year|what date|in what year)\\b.*\\b(?:set up|found|founded|establish(?:ed)?|create[d]?|form(?:ed)?|start(?:ed)?|launch(?:ed)?|open(?:ed)?|buil[dt]|begin|began|incorporated|introduced|inaugurated|instituted|organi[sz]ed|constructed|erected)\\b`, 'i'),
  duration: new RegExp(`\\bhow long\\b|\\b(?:for )?how many ${TIME_UNIT}\\b|\\bsince when\\b|\\b(?:what|which) (?:period|length of time|time span)\\b|\\bhow much time\\b`, 'i'),
  percentage: /\b(?:what|which) (?:percent(?:age)?|share|proportion|fraction|portion)\b|\bhow (?:much|many) (?:percent|of (?:the|its|their|his|her))\b|\bpercent(?:age)? of\b/i,
  unit: /\bhow (?:much|many|big|large|tall|high|far|heavy|wide|deep|long|fast|hot|cold|small|thick|low|expensive)\b|\bwhat (?:size|height|length|width|depth|weight|distance|speed|temperature|price|cost|amount|sum)\b/i,
  'yes-no': /^\s*(?:is|was|were|are|does|did|do|has|have|had|can|could|will|would|should|may|might|must)\b/i,
  cause: /\bwhy\b|\b(?:what|which) (?:reason|reasons|cause|caused|led|made|prompted|motivated|drove)\b|\bthe (?:reasons?|cause|motive) (?:for|why|behind|of)\b|\bfor what (?:reason|purpose)\b|\bhow come\b|\bon what grounds\b/i,
  // "What is X?" for a short X that is not "the name of…" or "the reason for…": those ask for a detail, not what X is.
  // …or what a thing is for ("What does X do?": `findPurposeSubject`).
  definition: {
    test: (question) =>
      /^\s*(?:what(?:\s+|’|')(?:is|are|was|were|s)\s+(?:an?\s+|the\s+)?(?![^?]*\b(?:of|for|in|on|at|to|by|from|with|about|that|which|who|when|where|did|does|do)\b)[^?\s]+(?:\s+[^?\s]+){0,4}\s*\??\s*$|what does .{2,60} (?:mean|stand for)\b|what is meant by\b|define\b)/i.test(question) ||
      findPurposeSubject(question) !== null ||
      findPersonSubject(question) !== null,
  },
};

/** What each specific form looks like in a sentence that answers it. */
const OFFERS: Record<SpecificForm, RegExp> = {
  age: new RegExp(
    `\\b\\d+[- ](?:year|month)s?[- ]old\\b|\\b(?:aged?|age of|at the age of)\\s+(?:about\\s+|around\\s+)?${NUMBER_WORD}\\b|\\b${NUMBER_WORD}(?:[- ]\\w+)?\\s+years?\\s+(?:old|of age)\\b|\\bin (?:his|her|their) (?:early |late |mid-?)?(?:teens|twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties)\\b`,
    'i',
  ),
  place: /\b(?:based|headquartered|located|situated|stationed|seated|sited)\s+(?:in|at|near|on|outside)\b|\b(?:in|at|near|from|to|into|outside|inside|throughout|across)\s+(?:the\s+)?(?!(?:January|February|March|April|May|June|July|August|September|October|November|December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b)\p{Lu}/u,
  founding: new RegExp(`${FOUNDING_VERB}\\b[^.;]{0,60}?(?:${YEAR}|\\bin \\d{3}\\b)|${YEAR}[^.;]{0,40}?\\b${FOUNDING_VERB}\\b|\\bsince ${YEAR}`, 'i'),
  duration: new RegExp(`\\b${NUMBER_WORD}(?:[\\s-]+\\w+)?[\\s-]+${TIME_UNIT}\\b|\\bsince (?:${YEAR}|the\\b|\\p{Lu})|${YEAR}\\s*(?:[–-]|to|until)\\s*(?:\\d{2,4})\\b|\\b(?:until|till|through) ${YEAR}|\\b\\d+[- ](?:year|month|week|day)[- ](?:term|period|long|mandate|stint|sentence|span|old)\\b`, 'iu'),
  percentage: /\d[\d.,]*\s?(?:%|percent\b|per cent\b)|\b(?:half|a third|two[- ]thirds|a quarter|three[- ]quarters|one[- ](?:third|fifth|quarter)|(?:two|three|four)[- ]fifths|majority|minority|most of|all of|none of)\b/i,
  unit: /(?:[$€£¥]\s?\d|\d[\d,.]*\s?(?:%|km|kilomet(?:er|re)s?|miles?|mi\b|m\b|met(?:er|re)s?|feet|foot|ft\b|inch(?:es)?|cm\b|mm\b|kg\b|kilo(?:gram)?s?|grams?|tons?|tonnes?|pounds?|lbs?\b|ounces?|oz\b|lit(?:er|re)s?|gallons?|mph\b|km\/h|knots?|degrees?|°|dollars?|euros?|yuan|rubles?|rupees?|MB\b|GB\b|KB\b|TB\b|bytes?|bits?|Hz\b|[kMG]Hz\b|watts?|volts?|acres?|hectares?|square|cubic|million|billion|thousand|hundred))/iu,
};

/**
 * The forms a question asks for, among `enabled`. Most questions ask for none or one; a
 * "how long" question asks for a duration and a quantity with a unit at once (the more
 * specific first).
 */
export function detectAnswerForms(question: string, enabled: ReadonlySet<string>): AnswerForm[] {
  return ANSWER_FORMS.filter((form) => enabled.has(form) && ASKS[form].test(question));
}

/** The specific form a question asks for (the first, in SPECIFIC_FORMS order), or null. */
export function findSpecificForm(forms: readonly AnswerForm[]): SpecificForm | null {
  return SPECIFIC_FORMS.find((form) => forms.includes(form)) ?? null;
}

/** Sentences' offers, remembered: the same passages come back question after question. */
const offeredCache = new Map<string, boolean>();
const OFFERED_CACHE_SIZE = 20_000;

/**
 * Whether a sentence says the kind of thing a specific form asks for. For a quantity the
 * question counts ("how many seats"), a number standing just before that word counts too
 * ("the 18 available seats").
 */
export function offersSpecificForm(form: SpecificForm, sentence: string, countedStem: string | null): boolean {
  return remember(offeredCache, `${form}\u0000${countedStem ?? ''}\u0000${sentence}`, OFFERED_CACHE_SIZE, () => {
    if (OFFERS[form].test(sentence)) return true;
    if (form !== 'unit' || countedStem === null) return false;
    const tokens = tokenize(sentence);
    return tokens.some((token, i) => stemTerm(token) === countedStem && tokens.slice(Math.max(0, i - 3), i).some((before) => new RegExp(`^${NUMBER_WORD}$`).test(before) && before !== 'a' && before !== 'an'));
  });
}

/** The stem of the word a "how many" question counts ("How many seats were available?" → "seat"), or null. */
export function findCountedStem(question: string): string | null {
  const match = /\bhow many\s+(?:(?:more|fewer|different|other|of the)\s+)?([\p{L}-]+)/iu.exec(question);
  return match ? stemTerm(match[1]!.toLowerCase()) : null;
}

/** Phrases that give a cause or a purpose. */
const CAUSE = /\b(?:because|due to|as a result|owing to|thanks to|in order to|so as to|so that|on the grounds|in protest|for fear|out of (?:fear|concern|respect)|the reason|reasons? (?:for|why)|attributed|blamed|caused|led to|prompted|sparked|triggered|result(?:ed|ing)? (?:in|from)|since (?!\d|(?:January|February|March|April|May|June|July|August|September|October|November|December|then)\b)|given that|in response to|after (?:being|having|it|he|she|they)\b|for (?:opposing|backing|supporting|failing|refusing|violating|breaking|being|having|its|their|his|her)\b|to (?:avoid|prevent|protect|ensure|allow|enable|help|reduce|improve|plead|support|stop|keep|make sure|comply|meet|save)\b)/i;

/** Whether a sentence gives a cause or purpose. */
export function givesCause(sentence: string): boolean {
  return CAUSE.test(sentence);
}

/**
 * The thing a definition question asks about ("What is the Human Rights Council?" →
 * "human rights council", "What does OSCE stand for?" → "osce", "What does the -q option
 * do?" → "-q option"), or null.
 */
export function findDefinitionSubject(question: string): string | null {
  // What a thing is for, or what a person is: their own readings before "What is X?".
  const thingOrPerson = findPurposeSubject(question) ?? findPersonSubject(question);
  if (thingOrPerson !== null) return thingOrPerson;
  const patterns = [
    /^\s*what(?:\s+|’|')(?:is|are|was|were|s)\s+(?:the\s+|an?\s+)?([^?]{3,80}?)\s*\??\s*$/i,
    /^\s*what does\s+(?:the\s+|an?\s+)?(.{2,60}?)\s+(?:mean|stand for)\s*\??\s*$/i,
    /^\s*what is meant by\s+(?:the\s+|an?\s+)?([^?]{2,60}?)\s*\??\s*$/i,
    /^\s*define\s+(?:the\s+|an?\s+)?([^?]{2,60}?)\s*[.?]?\s*$/i,
  ];
  for (const pattern of patterns) {
    const match = pattern.exec(question);
    if (!match) continue;
    const subject = match[1]!.toLowerCase().replace(/’/g, "'");
    return subject.split(/\s+/).length <= 6 ? subject : null;
  }
  return null;
}

/** Questions asking what a thing is for: "What does X do?", "What is X (used) for?", "What is the purpose of X?". */
const PURPOSE_PATTERNS = [
  /^\s*what (?:does|do)\s+(?:the\s+|an?\s+)?([^?]{2,60}?)\s+do\s*\??\s*$/i,
  /^\s*what (?:is|are)\s+(?:the\s+|an?\s+)?([^?]{2,60}?)\s+(?:used\s+)?for\s*\??\s*$/i,
  /^\s*what (?:is|was|are|were) the (?:purpose|role|function|job|use|task|mission)s? of\s+(?:the\s+|an?\s+)?([^?]{2,60}?)\s*\??\s*$/i,
];
/** Not a thing but a person or a deed: "What is he known for?" asks something else. */
const NOT_A_THING = /^(?:he|she|it|they|this|that|these|those|we|you|i|known|famous|noted|responsible|best|remembered|famed|blamed|praised|used)$/;

/**
 * Whether the subject's word at `index` says what was done to it ("Kazakhstan
 * criticized", "criticized by rights groups"): a verb's past form not followed by the
 * thing it describes ("the United Nations", "the shared folder" are things; "feed" and
 * "speed" are no verb's past form).
 */
function saysADeed(words: readonly string[], index: number): boolean {
  const next = words[index + 1];
  return isVerbPastForm(words[index]!) && (next === undefined || isStopWord(next));
}

/** The thing a question asks the purpose of, without an adverb after it ("layers typically" → "layers"; "family court" stays), or null. */
function findPurposeSubject(question: string): string | null {
  for (const pattern of PURPOSE_PATTERNS) {
    const match = pattern.exec(question);
    if (!match) continue;
    const words = match[1]!.toLowerCase().replace(/’/g, "'").split(/\s+/);
    while (words.length > 1 && /ly$/.test(words.at(-1)!)) words.pop();
    if (words.length > 6 || words.some((word, i) => NOT_A_THING.test(word) || saysADeed(words, i))) return null;
    return words.join(' ');
  }
  return null;
}

/**
 * What a person is, asked of their name: "Who is Sok Ny?", "What's Kang Savang's job?",
 * "What is Pov Meta's role?" — news introduces a person once, by an apposition after the
 * name ("Kang Savang, a country coordinator for COMFREL, told…"), which `definesSubject`
 * reads. "Who is the governor of…?" and "Who is Kazakhstan's Human Rights Commissioner?" ask
 * for a name, not about one, and "what's his job?" names no one.
 */
const PERSON_PATTERNS = [
  /^\s*[Ww]ho\s+(?:is|was)\s+((?:\p{Lu}[\p{L}.-]*\s*){1,4}?)\s*\??\s*$/u,
  /^\s*[Ww]hat(?:’s|'s|\s+is|\s+was)\s+((?:\p{Lu}[\p{L}.-]*\s*){1,4}?)(?:’s|'s|’|')\s+(?:job|role|position|title|occupation|profession|post)\s*\??\s*$/u,
];

/** The name a question asks who or what its person is, lower-cased, or null. */
function findPersonSubject(question: string): string | null {
  for (const pattern of PERSON_PATTERNS) {
    const match = pattern.exec(question);
    if (match) return match[1]!.trim().toLowerCase().replace(/’/g, "'");
  }
  return null;
}

/** Ways a sentence says what a subject is: "X is…", "X means…", "X (the…)", "…known as X". */
const DEFINING_AFTER = [' is ', ' are ', ' was ', ' were ', ' means ', ' refers to ', ' stands for ', ' is defined as ', ', the ', ', a ', ', an ', ' (the ', ' (a ', ' (an ', ' – ', ' — ', ': '];
const DEFINING_BEFORE = ['called ', 'known as ', 'named ', 'termed ', 'referred to as '];

/** True when `sentence` says what `subject` is. */
export function definesSubject(subject: string, sentence: string): boolean {
  const lower = sentence.toLowerCase().replace(/’/g, "'");
  return DEFINING_AFTER.some((verb) => lower.includes(`${subject}${verb}`)) || DEFINING_BEFORE.some((phrase) => lower.includes(`${phrase}${subject}`) || lower.includes(`${phrase}the ${subject}`));
}
