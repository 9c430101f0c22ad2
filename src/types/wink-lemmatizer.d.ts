/** Types for `wink-lemmatizer` (WordNet-based English lemmatizer; the package ships none). */
declare module 'wink-lemmatizer' {
  const lemmatizer: {
    noun(word: string): string;
    verb(word: string): string;
    adjective(word: string): string;
  };
  export default lemmatizer;
}
