// Runs the crate's unit tests natively (host rustc, `rustc --test`): the DSP math is tested
// outside wasm too.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const crate = join(dirname(fileURLToPath(import.meta.url)), '..', 'crate', 'src', 'lib.rs');
const dir = mkdtempSync(join(tmpdir(), 'spg-native-'));
try {
  const bin = join(dir, 'dsp-tests');
  execFileSync(
    process.env.SPG_HOST_RUSTC ?? 'rustc',
    ['--edition=2021', '--test', '-C', 'opt-level=2', '-o', bin, crate],
    {
      stdio: 'inherit',
    },
  );
  execFileSync(bin, [], { stdio: 'inherit' });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
