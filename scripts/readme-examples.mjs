// Finds the executable usage examples of the READMEs: fenced blocks whose info string is
// `ts example` or `js example`. tests/integration/test/readme-examples.test.ts runs each one (with
// the repo root as working directory, so `samples/basic` paths work) and fails naming README + line.
//
// `ts example fixture` marks an example that reads files the README itself describes (so a reader
// with only the npm page can follow it): a ```text files``` block lists them under one root folder
// (`audio/a.wav   3 s, 16000 Hz` lines give each WAV's duration and rate) and a ```json file=<path>```
// block gives each other file's content. `writeReadmeFixture` writes them (WAVs generated), and the
// example runs with that folder's parent as working directory; `printedExpectations` are the
// outputs its `console.log(...); // <output>` lines promise.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { chirpWav } from './test-wav.mjs';

/** Every README with examples: the root one and each package's. */
export function readmePaths(repo) {
  const packages = readdirSync(join(repo, 'packages')).map((dir) => join(repo, 'packages', dir, 'README.md'));
  return [join(repo, 'README.md'), ...packages].filter((path) => existsSync(path));
}

/** The fenced blocks of a README: `{ line, info, body }` (line = the opening fence's, 1-based). */
function fencedBlocks(readmePath) {
  const lines = readFileSync(readmePath, 'utf8').split('\n');
  const blocks = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S.*)?$/.exec(lines[i]);
    if (!open) continue;
    const start = i;
    const body = [];
    for (i++; i < lines.length && lines[i] !== '```'; i++) body.push(lines[i]);
    blocks.push({ line: start + 1, info: (open[1] ?? '').trim(), body: `${body.join('\n')}\n` });
  }
  return blocks;
}

/** The example blocks of one README: `{ readme, line, lang, fixture, code }`. */
export function readmeExamples(repo, readmePath) {
  return fencedBlocks(readmePath).flatMap(({ line, info, body }) => {
    const example = /^(ts|js) example( fixture)?$/.exec(info);
    if (!example) return [];
    return [
      { readme: relative(repo, readmePath), line, lang: example[1], fixture: !!example[2], code: body },
    ];
  });
}

/**
 * The files a README's fixture examples read: `{ files: [{ path, content }], audio: [{ path,
 * seconds, sampleRate }] }`, paths relative to the examples' working directory. Throws when the
 * README lists a file it gives neither a content block nor a duration and rate for.
 */
export function readmeFixture(readmePath) {
  const blocks = fencedBlocks(readmePath);
  const files = blocks.flatMap(({ info, body }) => {
    const file = /^\S+ file=(\S+)$/.exec(info);
    return file ? [{ path: file[1], content: body }] : [];
  });
  const audio = [];
  for (const { line, body } of blocks.filter((b) => b.info === 'text files')) {
    const [rootLine, ...entries] = body.trimEnd().split('\n');
    const root = rootLine.trim();
    if (!root.endsWith('/'))
      throw new Error(`${readmePath}:${line}: a files block starts with its folder, e.g. "data/"`);
    for (const entry of entries) {
      const [path, ...rest] = entry.trim().split(/\s+/);
      const wav = /^([\d.]+) s, (\d+) Hz$/.exec(rest.join(' '));
      if (wav) audio.push({ path: `${root}${path}`, seconds: Number(wav[1]), sampleRate: Number(wav[2]) });
      else if (!files.some((f) => f.path === `${root}${path}`))
        throw new Error(
          `${readmePath}:${line}: "${root}${path}" has no \`\`\`json file=${root}${path} block and no "N s, R Hz"`,
        );
    }
  }
  return { files, audio };
}

/** Writes a README's fixture under `dir` (WAVs: 16-bit mono chirps of the listed duration and rate). */
export function writeReadmeFixture(readmePath, dir) {
  const { files, audio } = readmeFixture(readmePath);
  if (files.length + audio.length === 0) throw new Error(`${readmePath} describes no fixture files`);
  audio.forEach(({ path, seconds, sampleRate }, i) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), chirpWav(seconds, sampleRate, i + 1));
  });
  for (const { path, content } of files) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
}

/** What an example's `console.log(...); // <output>` lines promise to print, one line each, in order. */
export function printedExpectations(code) {
  return [...code.matchAll(/^\s*console\.log\(.*\);\s*\/\/\s*(.+?)\s*$/gm)].map((m) => m[1]);
}
