// The root README's quick start (its first `ts example` block), run from the installed tarballs on
// samples/basic with plain Node: once as ESM and once as CommonJS. Also imports and requires every
// package, so a tarball whose ESM or CJS entry is missing or broken fails here.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { readmeExamples } from '../../../scripts/readme-examples.mjs';
import { copySamples, repo } from './scratch-project.mjs';

/** TypeScript -> ESM JavaScript with the workspace's TypeScript, as a transpiler only (the consumer project need not have one). */
export function stripTypes(code) {
  const ts = createRequire(join(repo, 'package.json'))('typescript');
  return ts.transpileModule(code, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  }).outputText;
}

/** The quick start with its types removed. */
function quickStartJs() {
  const [example] = readmeExamples(repo, join(repo, 'README.md'));
  if (!example) throw new Error('README.md has no `ts example` block (the quick start)');
  return { example, esm: stripTypes(example.code) };
}

/** ESM -> CommonJS the way a CJS user writes it: `require` for imports, the body in an async main. */
export function toCommonJs(esm) {
  const imports = [];
  const body = esm.replace(/^import\s+(\{[^}]*\})\s+from\s+('[^']+'|"[^"]+");?\s*$/gm, (_, names, from) => {
    imports.push(`const ${names.replace(/\bas\b/g, ':')} = require(${from});`);
    return '';
  });
  if (/^\s*import\s/m.test(body))
    throw new Error(`quick start has an import this check cannot convert:\n${esm}`);
  return `${imports.join('\n')}\n(async () => {\n${body}\n})().catch((error) => {\n  console.error(error);\n  process.exitCode = 1;\n});\n`;
}

function node(dir, args) {
  return execFileSync(process.execPath, args, {
    cwd: dir,
    encoding: 'utf8',
    timeout: 120_000,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/**
 * Returns `{ rows: [[what, result]], failures }`. The quick start must print the same thing as ESM
 * and CJS, and the numbers its comment promises (`// [16, 1, 80, 192] ...`).
 */
export function quickStart(dir, packageNames) {
  const rows = [];
  const failures = [];
  for (const name of packageNames) {
    const probe = `if (Object.keys(m).length === 0) throw new Error('${name}: no exports');`;
    for (const [kind, args] of [
      ['import', ['--input-type=module', '-e', `import * as m from '${name}'; ${probe}`]],
      ['require', ['-e', `const m = require('${name}'); ${probe}`]],
    ]) {
      try {
        node(dir, args);
        rows.push([`${kind} ${name}`, 'ok']);
      } catch (error) {
        rows.push([`${kind} ${name}`, 'FAIL']);
        failures.push(`${kind} ${name}:\n${error.stderr || error.message}`);
      }
    }
  }
  // The `spgdataset` command as npm links it.
  try {
    const { version } = JSON.parse(
      readFileSync(join(dir, 'node_modules', 'spgdataset', 'package.json'), 'utf8'),
    );
    const printed = execFileSync(join(dir, 'node_modules', '.bin', 'spgdataset'), ['--version'], {
      encoding: 'utf8',
    }).trim();
    rows.push(['npx spgdataset --version', printed === version ? `ok: ${printed}` : 'FAIL']);
    if (printed !== version)
      failures.push(`spgdataset --version printed "${printed}", the package is ${version}`);
  } catch (error) {
    rows.push(['npx spgdataset --version', 'FAIL']);
    failures.push(`spgdataset --version:\n${error.stderr || error.message}`);
  }
  // npm pack would ship "workspace:" ranges; the packages' prepack refuses it and names pnpm pack.
  try {
    execFileSync('npm', ['pack', '--dry-run'], { cwd: join(repo, 'packages', 'dsp-js'), stdio: 'pipe' });
    rows.push(['npm pack of a package with workspace: dependencies', 'FAIL']);
    failures.push('npm pack in packages/dsp-js succeeded: its tarball would keep "workspace:" ranges');
  } catch (error) {
    const refused = /pack with pnpm/.test(String(error.stderr));
    rows.push([
      'npm pack of a package with workspace: dependencies',
      refused ? 'ok: refused, names pnpm pack' : 'FAIL',
    ]);
    if (!refused) failures.push(`npm pack failed for another reason:\n${error.stderr}`);
  }
  copySamples(dir);
  const { example, esm } = quickStartJs();
  const where = `${example.readme}:${example.line}`;
  const promised = /console\.log\([^\n]*\/\/\s*(.+)$/m.exec(example.code)?.[1] ?? '';
  const numbers = (text) => (text.match(/\d+/g) ?? []).map(Number);
  const outputs = {};
  for (const [kind, file, code] of [
    ['ESM', 'quickstart.mjs', esm],
    ['CJS', 'quickstart.cjs', toCommonJs(esm)],
  ]) {
    const label = `README quick start (${where}) as ${kind}`;
    try {
      writeFileSync(join(dir, file), code);
      outputs[kind] = node(dir, [file]).trim();
      const want = numbers(promised);
      const got = numbers(outputs[kind]);
      const ok = want.length > 0 && want.every((n, i) => got[i] === n);
      rows.push([label, ok ? `ok: ${outputs[kind].split('\n')[0]}` : 'FAIL']);
      if (!ok) failures.push(`${label} printed "${outputs[kind]}", the README promises "${promised}"`);
    } catch (error) {
      rows.push([label, 'FAIL']);
      failures.push(`${label}:\n${error.stderr || error.message}`);
    }
  }
  if (outputs.ESM !== undefined && outputs.CJS !== undefined && outputs.ESM !== outputs.CJS) {
    failures.push(`the quick start prints differently as ESM ("${outputs.ESM}") and CJS ("${outputs.CJS}")`);
  }
  return { rows, failures };
}
