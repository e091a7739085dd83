// The previous core/sinc (numerics version 1), frozen here as the benchmark's baseline: one
// polyphase Kaiser-windowed sinc, passband 0.9 x the lower Nyquist, 80 dB from the Nyquist up,
// float64 sums. Same algorithm as @spgdataset/core before the two-stage design, in plain JS.

function besselI0(x) {
  let sum = 1;
  let term = 1;
  const q = (x * x) / 4;
  for (let k = 1; k < 200; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

function gcd(a, b) {
  while (b) [a, b] = [b, a % b];
  return a;
}

function makeTable(fromRate, toRate, passband = 0.9, attenuationDb = 80) {
  const g = gcd(fromRate, toRate);
  const up = toRate / g;
  const down = fromRate / g;
  const stop = Math.min(fromRate, toRate) / 2 / fromRate;
  const pass = passband * stop;
  const cutoff = (pass + stop) / 2;
  const length = Math.ceil((attenuationDb - 7.95) / (14.36 * (stop - pass))) + 1;
  const halfWidth = length / 2;
  const half = Math.ceil(halfWidth);
  const taps = 2 * half;
  const beta = 0.1102 * (attenuationDb - 8.7);
  const i0Beta = besselI0(beta);
  const coefficients = new Float64Array(up * taps);
  for (let p = 0; p < up; p++) {
    let sum = 0;
    for (let i = 0; i < taps; i++) {
      const tau = p / up - (i - half + 1);
      const u = tau / halfWidth;
      if (Math.abs(u) > 1) continue;
      const x = 2 * cutoff * tau;
      const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
      const h = 2 * cutoff * sinc * (besselI0(beta * Math.sqrt(1 - u * u)) / i0Beta);
      coefficients[p * taps + i] = h;
      sum += h;
    }
    for (let i = 0; i < taps; i++) coefficients[p * taps + i] /= sum;
  }
  return { taps, half, coefficients, up, down };
}

/** v1 resample (exact tables only: the benchmark's rate pairs have at most 4096 phases). */
export function sincResamplerV1() {
  const tables = new Map();
  return {
    resample(input, fromRate, toRate) {
      const key = `${fromRate}:${toRate}`;
      if (!tables.has(key)) tables.set(key, makeTable(fromRate, toRate));
      const { taps, half, coefficients, up, down } = tables.get(key);
      const outLength = Math.round((input.length * toRate) / fromRate);
      const padded = new Float32Array(input.length + 2 * half);
      padded.set(input, half);
      const out = new Float32Array(outLength);
      const stepWhole = Math.floor(down / up);
      const stepPhase = down % up;
      let base = 0;
      let phase = 0;
      for (let j = 0; j < outLength; j++) {
        const start = base + 1;
        const row = phase * taps;
        let acc = 0;
        for (let i = 0; i < taps; i++) acc += coefficients[row + i] * padded[start + i];
        out[j] = acc;
        base += stepWhole;
        phase += stepPhase;
        if (phase >= up) {
          phase -= up;
          base++;
        }
      }
      return out;
    },
  };
}
