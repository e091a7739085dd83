// Conformance suites that every plugin implementation runs (they import vitest).
export const testingEntry = 'testing' as const;
