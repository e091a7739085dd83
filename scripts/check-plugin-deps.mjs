// Plugins never depend on each other (DESIGN §1.2): only core, the umbrella package, the examples
// and the integration tests may meet several plugins.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const plugins = [
  '@spgdataset/dsp-js',
  '@spgdataset/dsp-wasm',
  '@spgdataset/cache-fs',
  '@spgdataset/router',
  '@spgdataset/scheduler-bullmq',
];
const problems = [];
for (const dir of readdirSync('packages')) {
  const pkg = JSON.parse(readFileSync(join('packages', dir, 'package.json'), 'utf8'));
  const deps = Object.keys({
    ...pkg.dependencies,
    ...pkg.devDependencies,
    ...pkg.peerDependencies,
    ...pkg.optionalDependencies,
  });
  if (pkg.name === '@spgdataset/core') {
    for (const d of deps.filter((d) => plugins.includes(d)))
      problems.push(`${pkg.name} depends on the plugin ${d}`);
  } else if (plugins.includes(pkg.name)) {
    for (const d of deps.filter((d) => plugins.includes(d) && d !== pkg.name))
      problems.push(`${pkg.name} depends on the plugin ${d}`);
  }
}
if (problems.length) {
  console.error(`Plugin dependency rule broken:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log('plugin dependency rule: ok');
