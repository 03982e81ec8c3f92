/**
 * Recognises the errors that mean a dependency is down rather than a bug: the ProblemFilter answers them
 * `503` with Retry-After instead of `500`, and logs them once per outage (OutageLog) instead of once per
 * request. The layer that owns the dependency provides it (the database: src/database/postgres-errors.ts);
 * AppModule lists them under OUTAGE_CLASSIFIERS.
 */
export interface OutageClassifier {
  /** What the outage log calls it, e.g. "Database unavailable". */
  readonly outage: string;
  isOutage(error: unknown): boolean;
}

/** Injection token of the OutageClassifier list the ProblemFilter consults. */
export const OUTAGE_CLASSIFIERS = Symbol('OUTAGE_CLASSIFIERS');
