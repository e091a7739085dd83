//! Half-band decimation by FFT convolution (overlap-save), for long half-bands: the same outputs
//! as `halfband_decimate` up to float32 rounding, at about a third of the operations.
//!
//! y[k] = 0.5 u[2k] + f[k], with f[k] = sum_j c[j] (o[k - 1 - j] + o[k + j]) a 2K-tap filter on the
//! odd samples o[i] = u[2i + 1]. Outputs come in blocks of B = n - 2K + 1 at absolute positions
//! (block b is outputs bB .. bB + B - 1); blocks 2p and 2p + 1 form pair p and share one complex
//! FFT (block 2p in the real part, 2p + 1 in the imaginary part: the filter is real), and four
//! pairs run at once, one per lane. A pair's outputs depend only on its inputs, never on which
//! lane or call computed it, so streams stay bit-identical to whole-array calls.

use crate::fft::{expi, ComplexFft, C4};
use crate::lanes::F4;
use crate::resample_kernels::every_other;

pub struct HalfbandFft {
    pairs: usize,
    n: usize,
    /// Outputs per block (B).
    block: usize,
    fft: ComplexFft,
    /// conj(G[f]) / n for the filter's DFT G, splatted over the lanes.
    kernel: Vec<C4>,
    buf: Vec<C4>,
    /// Per lane: the odd samples a pair reads (n + B values), then its even samples (2B values).
    rows: Vec<f32>,
}

/// Half-bands with at least this many pairs use the FFT (below, direct convolution is as fast).
pub const MIN_FFT_PAIRS: usize = 16;

impl HalfbandFft {
    pub fn new(coef: &[f32]) -> HalfbandFft {
        let pairs = coef.len();
        let taps = 2 * pairs;
        let mut n = 256;
        while n < 4 * taps {
            n *= 2;
        }
        let block = n - taps + 1;
        // Overlap-save kernel h[t], t < 2K: f[k] = sum_t h[t] o[k + K - 1 - t].
        let h: Vec<f64> =
            (0..taps).map(|t| if t < pairs { coef[pairs - 1 - t] as f64 } else { coef[t - pairs] as f64 }).collect();
        let kernel = (0..n)
            .map(|f| {
                let (mut re, mut im) = (0f64, 0f64);
                for (t, v) in h.iter().enumerate() {
                    let (c, s) = expi((f * t) as u64, n as u64);
                    re += v * c;
                    im += v * s;
                }
                // conj(G) / n: the inverse transform is conj(FFT(conj(Z G))) / n.
                C4 { re: F4::splat((re / n as f64) as f32), im: F4::splat((-im / n as f64) as f32) }
            })
            .collect();
        HalfbandFft {
            pairs,
            n,
            block,
            fft: ComplexFft::new(n),
            kernel,
            buf: vec![C4::zero(); n],
            rows: vec![0.0; 4 * (n + 3 * block)],
        }
    }

    /// Outputs per pair of blocks: the stage's granularity.
    pub fn pair_len(&self) -> i64 {
        2 * self.block as i64
    }

    /// Outputs `first .. first + out.len()`; `u[i]` is the input sample at index `u_start + i` and
    /// holds every sample the touched pairs read (2 (pair start - K) + 1 ... 2 (pair end + K - 1) + 1).
    pub fn run(&mut self, u: &[f32], u_start: i64, first: i64, out: &mut [f32]) {
        let end = first + out.len() as i64;
        let pair_len = self.pair_len();
        let mut pair = first.div_euclid(pair_len);
        while pair * pair_len < end {
            let lanes = ((end - pair * pair_len + pair_len - 1) / pair_len).min(4) as usize;
            self.run_pairs(u, u_start, pair, lanes, first, out);
            pair += lanes as i64;
        }
    }

    /// Pairs `pair .. pair + lanes` (lanes <= 4), writing the outputs among them that are in `out`.
    fn run_pairs(&mut self, u: &[f32], u_start: i64, pair: i64, lanes: usize, first: i64, out: &mut [f32]) {
        let (n, block, k) = (self.n, self.block, self.pairs as i64);
        let row_len = n + 3 * block;
        let odd_len = n + block;
        for lane in 0..4 {
            let row = &mut self.rows[lane * row_len..(lane + 1) * row_len];
            if lane >= lanes {
                row[..odd_len].fill(0.0);
                continue;
            }
            let start = (pair + lane as i64) * 2 * block as i64; // first output of the pair
            // Odd samples o[start - K ..], i.e. u[2 (start - K) + 1 ..] every other one.
            let o = (2 * (start - k) + 1 - u_start) as usize;
            let (odd, even) = row.split_at_mut(odd_len);
            every_other(&u[o..o + 2 * odd_len - 1], odd);
            let e = (2 * start - u_start) as usize;
            every_other(&u[e..e + 4 * block - 1], &mut even[..2 * block]);
        }
        // Lane-major rows to the FFT's lane-interleaved layout, four samples at a time.
        let rows = &self.rows;
        let at = |lane: usize, i: usize| lane * row_len + i;
        let mut i = 0;
        while i < n {
            let load = |offset: usize| -> [F4; 4] {
                // Safety: i + 3 + offset < n + block = the odd part of each row.
                let v = |lane: usize| unsafe { F4::load(rows.as_ptr().add(at(lane, i + offset))) };
                F4::transpose(v(0), v(1), v(2), v(3))
            };
            let re = load(0);
            let im = load(block);
            for q in 0..4 {
                if i + q < n {
                    self.buf[i + q] = C4 { re: re[q], im: im[q] };
                }
            }
            i += 4;
        }
        self.fft.forward(&mut self.buf);
        // conj(Z) G' (G' = conj(G) / n), so the next forward FFT is the inverse, conjugated.
        for (z, g) in self.buf.iter_mut().zip(&self.kernel) {
            *z = C4 { re: z.re * g.re + z.im * g.im, im: z.re * g.im - z.im * g.re };
        }
        self.fft.forward(&mut self.buf);
        // Block 2p is the real part, block 2p + 1 minus the imaginary part, from index 2K - 1.
        let taps1 = 2 * self.pairs - 1;
        let half = F4::splat(0.5);
        let zero = F4::zero();
        let end = first + out.len() as i64;
        let mut q = 0;
        while q < block {
            let take = |part: fn(&C4) -> F4, sign: F4| -> [F4; 4] {
                let v = |j: usize| if q + j < block { part(&self.buf[taps1 + q + j]) } else { zero };
                let t = F4::transpose(v(0), v(1), v(2), v(3));
                [sign * t[0], sign * t[1], sign * t[2], sign * t[3]]
            };
            let blocks = [take(|c| c.re, F4::splat(1.0)), take(|c| c.im, F4::splat(-1.0))];
            for (lane, row) in self.rows.chunks(row_len).enumerate().take(lanes) {
                let pair_start = (pair + lane as i64) * 2 * block as i64;
                for (b, values) in blocks.iter().enumerate() {
                    let k0 = pair_start + (b * block + q) as i64;
                    let even = b * block + q; // index into the pair's even samples
                    let v = values[lane].to_array();
                    if k0 >= first && k0 + 4 <= end && q + 4 <= block {
                        // Safety: even + 3 < 2B (the even part) and k0 - first + 3 < out.len().
                        unsafe {
                            let e = F4::load(row.as_ptr().add(odd_len + even));
                            (half * e + values[lane]).store(out.as_mut_ptr().add((k0 - first) as usize));
                        }
                    } else {
                        for j in 0..4 {
                            let kk = k0 + j as i64;
                            if q + j < block && kk >= first && kk < end {
                                out[(kk - first) as usize] = 0.5 * row[odd_len + even + j] + v[j];
                            }
                        }
                    }
                }
            }
            q += 4;
        }
    }
}
