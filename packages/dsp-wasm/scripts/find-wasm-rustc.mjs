// Finds a rustc that can compile to wasm32-unknown-unknown (has the target's standard library
// and a linker). Shared by the package build and the repo setup script.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

export const WASM_TARGET = 'wasm32-unknown-unknown';

export const INSTALL_HINT = [
  `No rustc with the ${WASM_TARGET} target was found.`,
  'Install one of:',
  '  - Debian/Ubuntu: sudo apt-get install rustc libstd-rust-dev-wasm32 lld',
  `  - rustup:        rustup target add ${WASM_TARGET}`,
  'or point SPG_RUSTC at a rustc that has the target.',
].join('\n');

function candidates() {
  const list = [];
  if (process.env.SPG_RUSTC) list.push(process.env.SPG_RUSTC);
  list.push('/usr/bin/rustc');
  try {
    list.push(execFileSync('which', ['-a', 'rustc'], { encoding: 'utf8' }).split('\n').filter(Boolean));
  } catch {
    // no rustc on PATH
  }
  // rustup's rustc, often not on PATH in non-login shells (scripts/setup.mjs may add the target there).
  list.push(join(process.env.CARGO_HOME ?? join(homedir(), '.cargo'), 'bin', 'rustc'));
  return [...new Set(list.flat())].filter((p) => existsSync(p));
}

/** Compiles a tiny no_std cdylib to prove `rustc` can target wasm32 (std lib + linker present). */
export function canTargetWasm(rustc) {
  const dir = mkdtempSync(join(tmpdir(), 'spg-rustc-probe-'));
  try {
    const src = join(dir, 'probe.rs');
    writeFileSync(
      src,
      '#![no_std]\n#[no_mangle] pub extern "C" fn f(x: u32) -> u32 { x + 1 }\n#[panic_handler] fn p(_: &core::panic::PanicInfo) -> ! { loop {} }\n',
    );
    execFileSync(
      rustc,
      [
        '--target',
        WASM_TARGET,
        '--crate-type',
        'cdylib',
        '-C',
        'panic=abort',
        '-o',
        join(dir, 'probe.wasm'),
        src,
      ],
      {
        stdio: 'pipe',
      },
    );
    return existsSync(join(dir, 'probe.wasm'));
  } catch {
    return false;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The first rustc that can target wasm32, or undefined. */
export function findWasmRustc() {
  return candidates().find(canTargetWasm);
}
