// `spgdataset preview` on files with non-ASCII names and --meta: the picture draws the names folded
// (never "?"), a third title line holds the requested meta fields, and stdout names them in full.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, expect, it } from 'vitest';
import { rasterizeText } from '../src/cli/bitmap-font';
import { previewLayout } from '../src/cli/preview-layout';
import { runCli } from '../src/cli/run-cli';
import { writeCorpus } from './fixtures-reliability/corpus';

const work = mkdtempSync(join(tmpdir(), 'spg-cli-names-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

it('draws folded names and the --meta fields, and prints them in full', async () => {
  const audio = join(work, 'audio');
  const metadata = join(work, 'metadata.json');
  const length = 32000;
  const corpus = writeCorpus(audio, [
    { path: 'Müller/ñandú.wav', length, speech: [[0, 16000]], gender: 'f', kind: 'Zoë' },
  ]);
  writeFileSync(metadata, JSON.stringify(corpus));
  const out = join(work, 'item.png');
  let stdout = '';
  let stderr = '';
  const streams = {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    cwd: work,
  };
  const flags = ['--metadata', metadata, '--cache', 'c', '--index', 'i', '--meta', 'gender,kind'];
  const code = await runCli(
    ['preview', audio, ...flags, '--masks', 'speech', '--item', '0', '--out', out],
    streams,
  );
  expect(code, stderr).toBe(0);
  expect(stdout).toContain('Müller/ñandú.wav');
  expect(stdout).toContain('gender f, kind Zoë');

  const png = PNG.sync.read(readFileSync(out));
  const frames = 192; // 1.92 s windows at 100 frames per second
  const layout = previewLayout(frames, 80, 1, 3);
  expect([png.width, png.height]).toEqual([layout.width, layout.height]);
  const litIn = (row: number) => {
    const lit = new Set<string>();
    for (let y = row; y < row + 7; y++)
      for (let x = 0; x < png.width; x++) if (png.data[4 * (y * png.width + x)]! > 200) lit.add(`${x},${y}`);
    return lit;
  };
  const drawn = (text: string, row: number) => {
    const lit = new Set<string>();
    rasterizeText(text, 4, row, (x, y) => lit.add(`${x},${y}`));
    return lit;
  };
  expect(litIn(layout.titleRows[0]!)).toEqual(drawn('Muller/nandu.wav', layout.titleRows[0]!));
  expect(litIn(layout.titleRows[2]!)).toEqual(drawn('gender f, kind Zoe', layout.titleRows[2]!));
});
