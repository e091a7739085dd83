import type { ComplexFft } from './complex-fft';

/**
 * Bluestein's chirp-z FFT for any length n, through a convolution of fast length `inner.size >= 2n - 1`:
 * `X[k] = w[k] * sum_j (x[j] w[j]) conj(w[k - j])` with `w[j] = exp(-i pi j^2 / n)`.
 */
export function createBluesteinFft(size: number, inner: ComplexFft): ComplexFft {
  const m = inner.size;
  if (m < 2 * size - 1)
    throw new RangeError(`Bluestein needs a convolution length >= ${2 * size - 1}, got ${m}`);
  // Chirp w[j]; j^2 reduced mod 2n keeps the angle exact for large j.
  const chirpRe = new Float64Array(size);
  const chirpIm = new Float64Array(size);
  for (let j = 0; j < size; j++) {
    const angle = (-Math.PI * ((j * j) % (2 * size))) / size;
    chirpRe[j] = Math.cos(angle);
    chirpIm[j] = Math.sin(angle);
  }
  // Spectrum of conj(w) laid out circularly (index -j at m - j), scaled by 1/m for the inverse.
  const kernelRe = new Float64Array(m);
  const kernelIm = new Float64Array(m);
  for (let j = 0; j < size; j++) {
    kernelRe[j] = chirpRe[j]! / m;
    kernelIm[j] = -chirpIm[j]! / m;
    if (j > 0) {
      kernelRe[m - j] = kernelRe[j]!;
      kernelIm[m - j] = kernelIm[j]!;
    }
  }
  inner.forward(kernelRe, kernelIm);
  const workRe = new Float64Array(m);
  const workIm = new Float64Array(m);

  return {
    size,
    forward(re, im) {
      workRe.fill(0);
      workIm.fill(0);
      for (let j = 0; j < size; j++) {
        const xr = re[j]!;
        const xi = im[j]!;
        workRe[j] = xr * chirpRe[j]! - xi * chirpIm[j]!;
        workIm[j] = xr * chirpIm[j]! + xi * chirpRe[j]!;
      }
      inner.forward(workRe, workIm);
      // Multiply by the kernel spectrum and conjugate: inverse FFT = conj(FFT(conj(.))) (1/m is in the kernel).
      for (let k = 0; k < m; k++) {
        const ar = workRe[k]!;
        const ai = workIm[k]!;
        const br = kernelRe[k]!;
        const bi = kernelIm[k]!;
        workRe[k] = ar * br - ai * bi;
        workIm[k] = -(ar * bi + ai * br);
      }
      inner.forward(workRe, workIm);
      for (let k = 0; k < size; k++) {
        const cr = workRe[k]!;
        const ci = -workIm[k]!;
        re[k] = cr * chirpRe[k]! - ci * chirpIm[k]!;
        im[k] = cr * chirpIm[k]! + ci * chirpRe[k]!;
      }
    },
  };
}
