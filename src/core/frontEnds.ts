/** The language front ends ModelLens has. */
export type Language = 'python' | 'typescript';

/**
 * Which front end reads a file: the language an editor says the document is in, else Python for
 * a `.py` path and TypeScript (which reads JavaScript too) for the rest. The analysis worker asks
 * it before a request as well, to load the TypeScript compiler only for a file that needs it.
 */
export function frontEndFor(file: string, language?: Language): Language {
  return language ?? (/\.py$/i.test(file) ? 'python' : 'typescript');
}
