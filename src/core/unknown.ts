/**
 * "Unknowable" is how the analyzer says "I cannot know this statically, and here is why".
 *
 * Catalog rules are written as plain arithmetic over their arguments; when an argument has no
 * static value, reading it throws `Unknowable` carrying the reason ("hiddenSize has no value").
 * The engine catches it and records `?` plus that reason for the layer. This keeps every rule
 * free of unknown-handling branches while guaranteeing that nothing is ever guessed.
 */
export class Unknowable extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'Unknowable';
  }
}

/** A value the evaluator could not determine, carried through expressions with its reason. */
export class UnknownValue {
  constructor(readonly reason: string) {}
}

export function isUnknown(v: unknown): v is UnknownValue {
  return v instanceof UnknownValue;
}

/** A user-facing configuration error in a layer's arguments (wrong type, missing required arg). */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}
