// Test audio shared by the benchmarks (dsp-js, dsp-wasm, integration), so they time the same signal.
/** Deterministic speech-like audio: gliding harmonic source, syllable-rate envelope, a little noise. */
export function speechLike(samples, sampleRate = 16000) {
  const out = new Float32Array(samples);
  let phase = 0;
  let state = 12345;
  for (let i = 0; i < samples; i++) {
    const t = i / sampleRate;
    const f0 = 120 + 40 * Math.sin(2 * Math.PI * 1.3 * t);
    phase += (2 * Math.PI * f0) / sampleRate;
    let voiced = 0;
    for (let k = 1; k <= 12; k++) voiced += Math.sin(k * phase) / k;
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    const envelope = Math.max(0, Math.sin(2 * Math.PI * 4 * t)) ** 1.5;
    out[i] = 0.2 * envelope * voiced + 0.01 * (state / 2 ** 32 - 0.5);
  }
  return out;
}
