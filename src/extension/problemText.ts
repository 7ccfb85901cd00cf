import { plainLine } from '../core/escape/plain';

/**
 * The Problems panel's text for a diagnostic. Messages quote the user's code (names, config
 * strings, import specifiers), so they are one bounded inert line (escape/plain.ts). Pure, so
 * the unit tests check exactly what the extension publishes.
 */
export const MAX_DIAGNOSTIC_TEXT = 1000;

export function diagnosticText(message: string): string {
  return plainLine(message, MAX_DIAGNOSTIC_TEXT);
}
