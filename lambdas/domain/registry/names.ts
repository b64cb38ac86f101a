/** Names as people type them: width-folded, lower case, no spaces or punctuation. */
export const normaliseName = (s: string): string => s.normalize('NFKC').toLowerCase().replace(/[\s\p{P}\p{S}]/gu, '');
