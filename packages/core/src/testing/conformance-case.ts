/**
 * One case of a conformance suite: a plain async function, so vitest (`describe*`), any other test
 * runner or a browser page (`runConformanceCases`) can run it. A case that does not apply to the
 * implementation (it lacks the optional member the case is about) says why in `notApplicable`
 * and is not run.
 */
export interface ConformanceCase {
  /** Group within the suite, e.g. `frame counts and shapes`. */
  readonly group: string;
  readonly name: string;
  /** Why this case does not apply (e.g. `no keys(): listing is optional`); unset when it does. */
  readonly notApplicable?: string;
  /** Resolves when the case passes; rejects (usually with `ConformanceFailure`) when it fails. */
  run(): Promise<void>;
}

/** The outcome of one case. */
export interface ConformanceResult {
  readonly group: string;
  readonly name: string;
  readonly status: 'passed' | 'failed' | 'not-applicable';
  /** The failure's message, or the reason the case does not apply. */
  readonly message?: string;
}

/** A case; `notApplicable` is set only when given, so an applicable case has no such key. */
export function conformanceCase(
  group: string,
  name: string,
  run: () => Promise<void>,
  notApplicable?: string,
): ConformanceCase {
  return notApplicable === undefined ? { group, name, run } : { group, name, run, notApplicable };
}

/** `group > name`: a case's unique title within its suite. */
export function caseTitle(c: Pick<ConformanceCase, 'group' | 'name'>): string {
  return `${c.group} > ${c.name}`;
}

/**
 * Runs `cases` one after another (never in parallel: extractors and caches need not be
 * re-entrant) and reports each result to `onResult` as it ends.
 *
 * @example
 * const results = await runConformanceCases(await featureExtractorCases({ create, fixtures }));
 * console.log(results.filter((r) => r.status === 'failed'));
 */
export async function runConformanceCases(
  cases: readonly ConformanceCase[],
  onResult?: (result: ConformanceResult) => void,
): Promise<ConformanceResult[]> {
  const results: ConformanceResult[] = [];
  for (const c of cases) {
    let result: ConformanceResult;
    if (c.notApplicable !== undefined) {
      result = { group: c.group, name: c.name, status: 'not-applicable', message: c.notApplicable };
    } else {
      try {
        await c.run();
        result = { group: c.group, name: c.name, status: 'passed' };
      } catch (error) {
        const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        result = { group: c.group, name: c.name, status: 'failed', message };
      }
    }
    results.push(result);
    onResult?.(result);
  }
  return results;
}
