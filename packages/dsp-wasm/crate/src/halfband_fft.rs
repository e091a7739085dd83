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

pub struct HalfbandFft {
    pairs: usize,
    n: usize,
    /// Outputs per block (B).
    block: usize,
    fft: ComplexFft,
    /// conj(G[f]) / n for the filter's DFT G, splatted over the lanes.
    kernel: Vec<C4>,
    buf: Vec<C4>,
    /// Copy of the forward spectrum when the FFT leaves it in its own scratch.
    spectrum: Vec<C4>,
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
            spectrum: vec![C4::zero(); n],
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
        // Per lane: where its pair's odd samples start in `u` (o[start - K] = u[2 (start - K) + 1]).
        let mut odd_at = [0usize; 4];
        for (lane, at) in odd_at.iter_mut().enumerate().take(lanes) {
            let start = (pair + lane as i64) * 2 * block as i64;
            *at = (2 * (start - k) + 1 - u_start) as usize;
        }
        // The last odd sample a pair reads is u[odd_at + 2 (n + B - 1)]; whole-vector loads of
        // u[p .. p + 8) would pass the end by one for the last group, which reads lane by lane.
        let odd = |lane: usize, i: usize| -> F4 {
            if lane >= lanes {
                return F4::zero();
            }
            let p = odd_at[lane] + 2 * i;
            if p + 8 <= u.len() {
                // Safety: p + 8 <= u.len().
                unsafe { F4::even_lanes(F4::load(u.as_ptr().add(p)), F4::load(u.as_ptr().add(p + 4))) }
            } else {
                F4::new(u[p], u[p + 2], u[p + 4], u[p + 6])
            }
        };
        let HalfbandFft { fft, kernel, buf, spectrum, .. } = self;
        let mut i = 0;
        // Four pairs whose reads all fit whole-vector loads: no per-sample checks.
        if lanes == 4 && odd_at[3] + 2 * (block + n - 4) + 8 <= u.len() {
            let up = u.as_ptr();
            // Safety: every load below reads u[at .. at + 8) with at <= odd_at[3] + 2 (B + n - 4)
            // (checked above); buf has n entries and i + 3 < n.
            let odd4 = |at: usize| unsafe { F4::even_lanes(F4::load(up.add(at)), F4::load(up.add(at + 4))) };
            while i < n {
                let (r, m) = (2 * i, 2 * (block + i));
                let re = F4::transpose(odd4(odd_at[0] + r), odd4(odd_at[1] + r), odd4(odd_at[2] + r), odd4(odd_at[3] + r));
                let im = F4::transpose(odd4(odd_at[0] + m), odd4(odd_at[1] + m), odd4(odd_at[2] + m), odd4(odd_at[3] + m));
                for q in 0..4 {
                    buf[i + q] = C4 { re: re[q], im: im[q] };
                }
                i += 4;
            }
        }
        while i < n {
            let re = F4::transpose(odd(0, i), odd(1, i), odd(2, i), odd(3, i));
            let im = F4::transpose(odd(0, block + i), odd(1, block + i), odd(2, block + i), odd(3, block + i));
            for q in 0..4 {
                buf[i + q] = C4 { re: re[q], im: im[q] };
            }
            i += 4;
        }
        // conj(Z) G' (G' = conj(G) / n), so the next forward FFT is the inverse, conjugated. Each
        // transform leaves its result in its input or in the FFT's scratch (no copy back).
        let z_all = fft.forward_ref(buf);
        for ((y, z), g) in spectrum.iter_mut().zip(z_all).zip(kernel.iter()) {
            *y = C4 { re: z.re * g.re + z.im * g.im, im: z.re * g.im - z.im * g.re };
        }
        let result = fft.forward_ref(spectrum);
        // Output q of block 2p is the real part at index 2K - 1 + q, of block 2p + 1 minus the
        // imaginary part; y = 0.5 u[2k] + that.
        let taps1 = 2 * k as usize - 1;
        let self_pair_len = 2 * block as i64;
        let half = F4::splat(0.5);
        let minus = F4::splat(-1.0);
        let end = first + out.len() as i64;
        let mut q = 0;
        // Four pairs whose outputs are all wanted: whole vectors, no per-output checks. Same
        // arithmetic as the general loop below (x + (-y) is x - y).
        if lanes == 4 && pair * self_pair_len >= first && (pair + 4) * self_pair_len <= end {
            let (up, op) = (u.as_ptr(), out.as_mut_ptr());
            while q + 4 <= block {
                let c = &result[taps1 + q..taps1 + q + 4];
                let re = F4::transpose(c[0].re, c[1].re, c[2].re, c[3].re);
                let im = F4::transpose(c[0].im, c[1].im, c[2].im, c[3].im);
                for lane in 0..4 {
                    let k0 = (pair + lane as i64) * 2 * block as i64 + q as i64;
                    let k1 = k0 + block as i64;
                    let (e0, e1) = ((2 * k0 - u_start) as usize, (2 * k1 - u_start) as usize);
                    // Safety: u[2 k .. 2 k + 8) is inside the pair's input (2 k + 7 <= 2 pair_end
                    // + 1) and k - first + 3 < out.len() for k = k0, k1 (whole pairs in range).
                    unsafe {
                        let even0 = F4::even_lanes(F4::load(up.add(e0)), F4::load(up.add(e0 + 4)));
                        let even1 = F4::even_lanes(F4::load(up.add(e1)), F4::load(up.add(e1 + 4)));
                        (half * even0 + re[lane]).store(op.add((k0 - first) as usize));
                        (half * even1 - im[lane]).store(op.add((k1 - first) as usize));
                    }
                }
                q += 4;
            }
        }
        while q < block {
            let whole = q + 4 <= block;
            let part = |j: usize, imaginary: bool| -> F4 {
                if q + j >= block {
                    return F4::zero();
                }
                let c = &result[taps1 + q + j];
                if imaginary {
                    minus * c.im
                } else {
                    c.re
                }
            };
            let blocks = [
                F4::transpose(part(0, false), part(1, false), part(2, false), part(3, false)),
                F4::transpose(part(0, true), part(1, true), part(2, true), part(3, true)),
            ];
            for lane in 0..lanes {
                let pair_start = (pair + lane as i64) * 2 * block as i64;
                for (b, values) in blocks.iter().enumerate() {
                    let k0 = pair_start + (b * block + q) as i64;
                    let e = (2 * k0 - u_start) as usize; // u[e] = u[2 k0]
                    if whole && k0 >= first && k0 + 4 <= end {
                        // Safety: u[2 k0 .. 2 k0 + 8) is inside the pair's input (2 k0 + 7 <=
                        // 2 pair_end + 1), and k0 - first + 3 < out.len().
                        unsafe {
                            let even = F4::even_lanes(F4::load(u.as_ptr().add(e)), F4::load(u.as_ptr().add(e + 4)));
                            (half * even + values[lane]).store(out.as_mut_ptr().add((k0 - first) as usize));
                        }
                    } else {
                        let v = values[lane].to_array();
                        for (j, value) in v.iter().enumerate() {
                            let kk = k0 + j as i64;
                            if q + j < block && kk >= first && kk < end {
                                out[(kk - first) as usize] = 0.5 * u[e + 2 * j] + value;
                            }
                        }
                    }
                }
            }
            q += 4;
        }
    }
}
