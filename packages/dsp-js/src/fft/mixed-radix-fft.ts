import type { ComplexFft } from './complex-fft';

interface Stage {
  radix: number;
  /** Stride: product of the radices of the earlier stages. */
  stride: number;
  /** Butterflies per stride position: (remaining length) / radix. */
  count: number;
  /** Twiddles W_len^(j k), j < count, 1 <= k < radix, interleaved re/im. */
  twiddles: Float64Array;
}

type Butterfly = (
  xr: Float64Array,
  xi: Float64Array,
  yr: Float64Array,
  yi: Float64Array,
  stage: Stage,
  scratch: Float64Array,
) => void;

/**
 * Mixed-radix Stockham (self-sorting) FFT: no bit-reversal pass, each stage reads one buffer and
 * writes the other. Stage with radix p, stride s and m = len / p:
 * `y[q + s (p j + k)] = W_len^(j k) * sum_r x[q + s (j + r m)] W_p^(r k)`.
 */
export function createMixedRadixFft(size: number, radices: readonly number[]): ComplexFft {
  const stages: Stage[] = [];
  let stride = 1;
  let length = size;
  for (const radix of radices) {
    const count = length / radix;
    const twiddles = new Float64Array(2 * count * (radix - 1));
    for (let j = 0; j < count; j++) {
      for (let k = 1; k < radix; k++) {
        const angle = (-2 * Math.PI * ((j * k) % length)) / length;
        const at = 2 * (j * (radix - 1) + k - 1);
        twiddles[at] = Math.cos(angle);
        twiddles[at + 1] = Math.sin(angle);
      }
    }
    stages.push({ radix, stride, count, twiddles });
    stride *= radix;
    length = count;
  }
  const maxRadix = Math.max(1, ...radices);
  // Generic butterfly: W_p^t table (re/im) followed by room for the p inputs (re/im).
  const scratch = new Float64Array(4 * maxRadix);
  const butterflies = stages.map((s) => butterflyFor(s.radix));
  const tempRe = new Float64Array(size);
  const tempIm = new Float64Array(size);

  return {
    size,
    forward(re, im) {
      let xr: Float64Array = re;
      let xi: Float64Array = im;
      let yr: Float64Array = tempRe;
      let yi: Float64Array = tempIm;
      for (let i = 0; i < stages.length; i++) {
        butterflies[i]!(xr, xi, yr, yi, stages[i]!, scratch);
        const r = xr;
        const m = xi;
        xr = yr;
        xi = yi;
        yr = r;
        yi = m;
      }
      if (xr !== re) {
        re.set(xr);
        im.set(xi);
      }
    },
  };
}

function butterflyFor(radix: number): Butterfly {
  switch (radix) {
    case 2:
      return radix2;
    case 3:
      return radix3;
    case 4:
      return radix4;
    case 5:
      return radix5;
    default:
      return radixGeneric;
  }
}

const radix2: Butterfly = (xr, xi, yr, yi, { stride: s, count: m, twiddles: tw }) => {
  for (let j = 0; j < m; j++) {
    const wr = tw[2 * j]!;
    const wi = tw[2 * j + 1]!;
    for (let q = 0; q < s; q++) {
      const a = q + s * j;
      const b = a + s * m;
      const ar = xr[a]!;
      const ai = xi[a]!;
      const br = xr[b]!;
      const bi = xi[b]!;
      const o = q + s * 2 * j;
      yr[o] = ar + br;
      yi[o] = ai + bi;
      const dr = ar - br;
      const di = ai - bi;
      yr[o + s] = dr * wr - di * wi;
      yi[o + s] = dr * wi + di * wr;
    }
  }
};

const SIN_60 = Math.sqrt(3) / 2;

const radix3: Butterfly = (xr, xi, yr, yi, { stride: s, count: m, twiddles: tw }) => {
  for (let j = 0; j < m; j++) {
    const w1r = tw[4 * j]!;
    const w1i = tw[4 * j + 1]!;
    const w2r = tw[4 * j + 2]!;
    const w2i = tw[4 * j + 3]!;
    for (let q = 0; q < s; q++) {
      const i0 = q + s * j;
      const i1 = i0 + s * m;
      const i2 = i1 + s * m;
      const a0r = xr[i0]!;
      const a0i = xi[i0]!;
      const tr = xr[i1]! + xr[i2]!;
      const ti = xi[i1]! + xi[i2]!;
      const dr = SIN_60 * (xr[i1]! - xr[i2]!);
      const di = SIN_60 * (xi[i1]! - xi[i2]!);
      const mr = a0r - 0.5 * tr;
      const mi = a0i - 0.5 * ti;
      const o = q + s * 3 * j;
      yr[o] = a0r + tr;
      yi[o] = a0i + ti;
      const b1r = mr + di;
      const b1i = mi - dr;
      const b2r = mr - di;
      const b2i = mi + dr;
      yr[o + s] = b1r * w1r - b1i * w1i;
      yi[o + s] = b1r * w1i + b1i * w1r;
      yr[o + 2 * s] = b2r * w2r - b2i * w2i;
      yi[o + 2 * s] = b2r * w2i + b2i * w2r;
    }
  }
};

const radix4: Butterfly = (xr, xi, yr, yi, { stride: s, count: m, twiddles: tw }) => {
  const sm = s * m;
  for (let j = 0; j < m; j++) {
    const w1r = tw[6 * j]!;
    const w1i = tw[6 * j + 1]!;
    const w2r = tw[6 * j + 2]!;
    const w2i = tw[6 * j + 3]!;
    const w3r = tw[6 * j + 4]!;
    const w3i = tw[6 * j + 5]!;
    for (let q = 0; q < s; q++) {
      const i0 = q + s * j;
      const a0r = xr[i0]!;
      const a0i = xi[i0]!;
      const a1r = xr[i0 + sm]!;
      const a1i = xi[i0 + sm]!;
      const a2r = xr[i0 + 2 * sm]!;
      const a2i = xi[i0 + 2 * sm]!;
      const a3r = xr[i0 + 3 * sm]!;
      const a3i = xi[i0 + 3 * sm]!;
      const t0r = a0r + a2r;
      const t0i = a0i + a2i;
      const t1r = a0r - a2r;
      const t1i = a0i - a2i;
      const t2r = a1r + a3r;
      const t2i = a1i + a3i;
      const t3r = a1r - a3r;
      const t3i = a1i - a3i;
      const o = q + s * 4 * j;
      yr[o] = t0r + t2r;
      yi[o] = t0i + t2i;
      const b1r = t1r + t3i;
      const b1i = t1i - t3r;
      const b2r = t0r - t2r;
      const b2i = t0i - t2i;
      const b3r = t1r - t3i;
      const b3i = t1i + t3r;
      yr[o + s] = b1r * w1r - b1i * w1i;
      yi[o + s] = b1r * w1i + b1i * w1r;
      yr[o + 2 * s] = b2r * w2r - b2i * w2i;
      yi[o + 2 * s] = b2r * w2i + b2i * w2r;
      yr[o + 3 * s] = b3r * w3r - b3i * w3i;
      yi[o + 3 * s] = b3r * w3i + b3i * w3r;
    }
  }
};

const C1 = Math.cos((2 * Math.PI) / 5);
const C2 = Math.cos((4 * Math.PI) / 5);
const S1 = Math.sin((2 * Math.PI) / 5);
const S2 = Math.sin((4 * Math.PI) / 5);

const radix5: Butterfly = (xr, xi, yr, yi, { stride: s, count: m, twiddles: tw }) => {
  const sm = s * m;
  for (let j = 0; j < m; j++) {
    const t = 8 * j;
    for (let q = 0; q < s; q++) {
      const i0 = q + s * j;
      const a0r = xr[i0]!;
      const a0i = xi[i0]!;
      const a1r = xr[i0 + sm]!;
      const a1i = xi[i0 + sm]!;
      const a2r = xr[i0 + 2 * sm]!;
      const a2i = xi[i0 + 2 * sm]!;
      const a3r = xr[i0 + 3 * sm]!;
      const a3i = xi[i0 + 3 * sm]!;
      const a4r = xr[i0 + 4 * sm]!;
      const a4i = xi[i0 + 4 * sm]!;
      const t1r = a1r + a4r;
      const t1i = a1i + a4i;
      const t2r = a2r + a3r;
      const t2i = a2i + a3i;
      const t3r = a1r - a4r;
      const t3i = a1i - a4i;
      const t4r = a2r - a3r;
      const t4i = a2i - a3i;
      const p1r = a0r + C1 * t1r + C2 * t2r;
      const p1i = a0i + C1 * t1i + C2 * t2i;
      const p2r = a0r + C2 * t1r + C1 * t2r;
      const p2i = a0i + C2 * t1i + C1 * t2i;
      const q1r = S1 * t3r + S2 * t4r;
      const q1i = S1 * t3i + S2 * t4i;
      const q2r = S2 * t3r - S1 * t4r;
      const q2i = S2 * t3i - S1 * t4i;
      const o = q + s * 5 * j;
      yr[o] = a0r + t1r + t2r;
      yi[o] = a0i + t1i + t2i;
      // b1 = p1 - i q1, b4 = p1 + i q1, b2 = p2 - i q2, b3 = p2 + i q2.
      const b1r = p1r + q1i;
      const b1i = p1i - q1r;
      const b2r = p2r + q2i;
      const b2i = p2i - q2r;
      const b3r = p2r - q2i;
      const b3i = p2i + q2r;
      const b4r = p1r - q1i;
      const b4i = p1i + q1r;
      yr[o + s] = b1r * tw[t]! - b1i * tw[t + 1]!;
      yi[o + s] = b1r * tw[t + 1]! + b1i * tw[t]!;
      yr[o + 2 * s] = b2r * tw[t + 2]! - b2i * tw[t + 3]!;
      yi[o + 2 * s] = b2r * tw[t + 3]! + b2i * tw[t + 2]!;
      yr[o + 3 * s] = b3r * tw[t + 4]! - b3i * tw[t + 5]!;
      yi[o + 3 * s] = b3r * tw[t + 5]! + b3i * tw[t + 4]!;
      yr[o + 4 * s] = b4r * tw[t + 6]! - b4i * tw[t + 7]!;
      yi[o + 4 * s] = b4r * tw[t + 7]! + b4i * tw[t + 6]!;
    }
  }
};

/** Any radix p: a direct O(p^2) DFT per butterfly (used for primes 7 .. 13). */
const radixGeneric: Butterfly = (
  xr,
  xi,
  yr,
  yi,
  { radix: p, stride: s, count: m, twiddles: tw },
  scratch,
) => {
  // scratch: [W_p^t re/im for t < p] then [inputs re/im].
  for (let t = 0; t < p; t++) {
    scratch[2 * t] = Math.cos((-2 * Math.PI * t) / p);
    scratch[2 * t + 1] = Math.sin((-2 * Math.PI * t) / p);
  }
  const input = 2 * p;
  const sm = s * m;
  for (let j = 0; j < m; j++) {
    for (let q = 0; q < s; q++) {
      const i0 = q + s * j;
      for (let r = 0; r < p; r++) {
        scratch[input + 2 * r] = xr[i0 + r * sm]!;
        scratch[input + 2 * r + 1] = xi[i0 + r * sm]!;
      }
      const o = q + s * p * j;
      for (let k = 0; k < p; k++) {
        let br = 0;
        let bi = 0;
        let t = 0;
        for (let r = 0; r < p; r++) {
          const ar = scratch[input + 2 * r]!;
          const ai = scratch[input + 2 * r + 1]!;
          const wr = scratch[2 * t]!;
          const wi = scratch[2 * t + 1]!;
          br += ar * wr - ai * wi;
          bi += ar * wi + ai * wr;
          t += k;
          if (t >= p) t -= p;
        }
        if (k === 0) {
          yr[o] = br;
          yi[o] = bi;
        } else {
          const at = 2 * (j * (p - 1) + k - 1);
          const wr = tw[at]!;
          const wi = tw[at + 1]!;
          yr[o + k * s] = br * wr - bi * wi;
          yi[o + k * s] = br * wi + bi * wr;
        }
      }
    }
  }
};
