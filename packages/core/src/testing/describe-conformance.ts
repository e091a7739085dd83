import { describe, it } from 'vitest';
import type { ConformanceCase } from './conformance-case';

/**
 * Registers conformance cases with vitest: one `describe` per group, one `it` per case; a case that
 * does not apply shows as skipped with its reason. The cases are made when vitest collects the file
 * (`cases` may read fixtures or create a probe implementation).
 */
export function describeConformance(title: string, cases: () => Promise<readonly ConformanceCase[]>): void {
  describe(title, async () => {
    const groups = new Map<string, ConformanceCase[]>();
    for (const c of await cases()) {
      const members = groups.get(c.group) ?? [];
      members.push(c);
      groups.set(c.group, members);
    }
    for (const [group, members] of groups) {
      describe(group, () => {
        for (const c of members) {
          if (c.notApplicable !== undefined)
            it.skip(`${c.name} (not applicable: ${c.notApplicable})`, () => {});
          else it(c.name, () => c.run());
        }
      });
    }
  });
}
