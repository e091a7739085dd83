// Compiles crate/ to dist/dsp.wasm with SIMD128 and opt-level 3. Fails with install advice when no
// suitable rustc exists.
import { execFileSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findWasmRustc, INSTALL_HINT, WASM_TARGET } from './find-wasm-rustc.mjs';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(packageDir, 'dist', 'dsp.wasm');

const rustc = findWasmRustc();
if (!rustc) {
  console.error(`@spgdataset/dsp-wasm build failed.\n${INSTALL_HINT}`);
  process.exit(1);
}
mkdirSync(dirname(out), { recursive: true });
const args = [
  '--edition=2021',
  '--target',
  WASM_TARGET,
  '--crate-type',
  'cdylib',
  '--crate-name',
  'spgdataset_dsp',
  '-C',
  'opt-level=3',
  '-C',
  'target-feature=+simd128',
  '-C',
  'panic=abort',
  '-C',
  'lto',
  '-C',
  'codegen-units=1',
  '-C',
  'strip=symbols',
  '-o',
  out,
  join(packageDir, 'crate', 'src', 'lib.rs'),
];
execFileSync(rustc, args, { stdio: 'inherit' });
console.log(`dsp.wasm: ${statSync(out).size} bytes (${rustc})`);
