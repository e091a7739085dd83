import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

it('the router example joins speech and noise and prints classes under both label rules', () => {
  const cwd = fileURLToPath(new URL('..', import.meta.url));
  const out = execFileSync('pnpm', ['exec', 'tsx', 'src/router-example.ts'], { cwd, encoding: 'utf8' });
  // samples/basic/metadata.json: speech speakers s1..s4, noise speakers n1..n3 (sorted per dataset).
  expect(out).toMatch(/^speech: \d+ windows, classes s1 s2 s3 s4$/m);
  expect(out).toMatch(/^noise: \d+ windows, classes n1 n2 n3$/m);
  const speech = Number(/^speech: (\d+)/m.exec(out)![1]);
  const noise = Number(/^noise: (\d+)/m.exec(out)![1]);
  const total = speech + noise;
  // 'offset': concatenation; the last item is the last window of noise/white.wav (speaker n1,
  // label 0 in noise), moved up by speech's 4 classes.
  expect(out).toContain(`offset: ${total} windows, classes s1 s2 s3 s4 n1 n2 n3`);
  expect(out).toContain(`offset: item ${total - 1} = dataset 1 item ${noise - 1}, label 4 (n1)`);
  // 'merge': sorted union; n1 is first.
  expect(out).toContain(`merge: ${total} windows, classes n1 n2 n3 s1 s2 s3 s4`);
  expect(out).toContain(`merge: item ${total - 1} = dataset 1 item ${noise - 1}, label 0 (n1)`);
});
