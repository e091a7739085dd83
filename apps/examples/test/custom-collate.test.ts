import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const cwd = fileURLToPath(new URL('..', import.meta.url));

it("the custom collate example batches (inputs, speech masks) like the seed README's collate_fn", () => {
  rmSync(fileURLToPath(new URL('../../../.tmp/custom-collate', import.meta.url)), {
    recursive: true,
    force: true,
  });
  const out = execFileSync('pnpm', ['exec', 'tsx', 'src/custom-collate.ts'], { cwd, encoding: 'utf8' });
  const items = Number(/^items: (\d+)$/m.exec(out)![1]);
  expect(items).toBeGreaterThan(8);
  const batches = [
    ...out.matchAll(/^inputs \[(\d+), 1, 80, 192\] masks \[(\d+), 192\] speech frames (\d+)$/gm),
  ];
  // One line per batch of 8, the last one short: every item once.
  expect(batches).toHaveLength(Math.ceil(items / 8));
  expect(batches.map((m) => Number(m[1]))).toEqual(
    Array.from({ length: Math.ceil(items / 8) }, (_, k) => Math.min(8, items - 8 * k)),
  );
  for (const m of batches) {
    expect(m[2]).toBe(m[1]);
    // Windows are kept when at least half their frames are speech (windowContentRatio 0.5).
    expect(Number(m[3])).toBeGreaterThanOrEqual(Number(m[1]) * 96 - Number(m[1]));
  }
});
