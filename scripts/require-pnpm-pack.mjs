// Runs as each public package's `prepack`: `npm pack` / `npm publish` copy `workspace:` ranges into
// the tarball, which then fails to install (npm: Unsupported URL Type "workspace:"); `pnpm pack` and
// `pnpm publish` replace them with real versions. Stops the npm commands with the one to use instead.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
// npm_execpath is the package manager's own script; npm_config_user_agent is not a safe signal
// (under `pnpm exec npm pack` npm inherits pnpm's).
// biome-ignore lint/suspicious/noUndeclaredEnvVars: set by the package manager running prepack, not a turbo task input
const execPath = basename(process.env.npm_execpath ?? 'unknown');
const tool = execPath.startsWith('pnpm') ? 'pnpm' : (/^(npm|yarn|bun)/.exec(execPath)?.[1] ?? execPath);
const workspaceRanges = ['dependencies', 'peerDependencies', 'optionalDependencies']
  .flatMap((field) => Object.entries(pkg[field] ?? {}))
  .filter(([, range]) => String(range).startsWith('workspace:'))
  .map(([name]) => name);
if (workspaceRanges.length > 0 && tool !== 'pnpm') {
  console.error(
    `${pkg.name}: pack with pnpm, not ${tool}: ${workspaceRanges.join(', ')} use ` +
      '"workspace:" ranges that only pnpm pack/publish turn into versions. Run `pnpm pack:all [dir]` ' +
      '(every package) or `pnpm pack` in this folder; see CONTRIBUTING.md.',
  );
  process.exit(1);
}
