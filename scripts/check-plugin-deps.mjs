// Plugins never depend on each other: only core, the umbrella package, the examples and the
// integration tests may meet several plugins. A plugin is every public package under packages/
// that depends on @spgdataset/core, except the umbrella `spgdataset` (derived, not listed by hand).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const CORE = '@spgdataset/core';
const UMBRELLA = 'spgdataset';
const packages = readdirSync('packages').map((dir) =>
  JSON.parse(readFileSync(join('packages', dir, 'package.json'), 'utf8')),
);
const depsOf = (pkg) =>
  Object.keys({
    ...pkg.dependencies,
    ...pkg.devDependencies,
    ...pkg.peerDependencies,
    ...pkg.optionalDependencies,
  });
const plugins = packages
  .filter((pkg) => pkg.name !== CORE && pkg.name !== UMBRELLA && depsOf(pkg).includes(CORE))
  .map((pkg) => pkg.name);

const problems = [];
for (const pkg of packages) {
  if (pkg.name !== CORE && !plugins.includes(pkg.name)) continue;
  for (const dep of depsOf(pkg).filter((d) => plugins.includes(d) && d !== pkg.name))
    problems.push(`${pkg.name} depends on the plugin ${dep}`);
}
if (problems.length) {
  console.error(`Plugin dependency rule broken:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`plugin dependency rule: ok (${plugins.length} plugins: ${plugins.join(', ')})`);
