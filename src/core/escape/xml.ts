import { MAX_SHOWN, plainLine } from './plain';

/**
 * User strings inside HTML or SVG markup we build (the diagram, its SVG export): one inert line
 * (plain.ts: no control characters, which XML 1.0 forbids and which would make the exported file
 * unreadable) with the five markup characters as entities, safe in text and in quoted attributes.
 */
export function xmlText(s: string, max = MAX_SHOWN): string {
  return plainLine(s, max).replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
