// Runs torch-log-mel.py (Debian /usr/bin/python3 with python3-torch) on the same audio.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('./torch-log-mel.py', import.meta.url));

/** Python with torch: SPG_TORCH_PYTHON, else Debian's /usr/bin/python3, else python3 on PATH. */
function python() {
  if (process.env.SPG_TORCH_PYTHON) return process.env.SPG_TORCH_PYTHON;
  return existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
}

/**
 * Median seconds of the torch float32 log-mel on `audio` with one thread, or
 * `{ skipped: reason }` when python3-torch is not installed.
 */
export function timeTorch(audio, params, repeats) {
  const dir = mkdtempSync(join(tmpdir(), 'spg-torch-bench-'));
  try {
    const file = join(dir, 'audio.f32');
    writeFileSync(file, new Uint8Array(audio.buffer, audio.byteOffset, audio.byteLength));
    const args = [
      script,
      file,
      params.sampleRate,
      params.nFft,
      params.hopLength,
      params.nMels,
      params.normalize ? 1 : 0,
      repeats,
    ].map(String);
    const run = spawnSync(python(), args, {
      encoding: 'utf8',
      env: { ...process.env, OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' },
    });
    if (run.error) return { skipped: `${python()}: ${run.error.message}` };
    const last = run.stdout.trim().split('\n').pop() ?? '';
    if (run.status !== 0)
      return { skipped: last || run.stderr.trim().split('\n').pop() || `exit ${run.status}` };
    return JSON.parse(last);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
