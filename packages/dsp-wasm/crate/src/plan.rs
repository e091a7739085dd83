//! The log-mel plan: everything that depends only on the parameters (window, FFT, mel rows) is
//! built once; input and output buffers are reused and grown geometrically.
//!
//! Per group of four frames (one per SIMD lane): gather windowed samples (reflect padding at the
//! edges), real FFT via a half-length complex FFT, power, sparse mel, log10 -> output rows.
//! Then over the whole output: floor at max - 8, (L + 4) / 4, optional standardisation (f64 sums).

use crate::fft::{expi, ComplexFft, Tw, C4};
use crate::lanes::F4;
use crate::mel::{mel_filters_f64, SparseMel};

/// Largest accepted nFft (bounds the plan's memory).
pub const MAX_N_FFT: usize = 1 << 20;

#[derive(Clone, Copy, Debug)]
pub struct Params {
    pub sample_rate: f64,
    pub n_fft: usize,
    pub hop: usize,
    pub n_mels: usize,
    pub f_min: f64,
    pub f_max: f64,
    pub normalize: bool,
    pub htk: bool,
}

impl Params {
    pub fn is_valid(&self) -> bool {
        let bins = self.n_fft / 2 + 1;
        self.sample_rate.is_finite()
            && self.sample_rate > 0.0
            && self.n_fft >= 2
            && self.n_fft <= MAX_N_FFT
            && self.hop >= 1
            && self.hop <= self.n_fft
            && self.n_mels >= 1
            && self.n_mels <= bins
            && self.f_min.is_finite()
            && self.f_min >= 0.0
            && self.f_max.is_finite()
            && self.f_min < self.f_max
            && self.f_max <= self.sample_rate / 2.0
    }
}

#[derive(Debug, PartialEq, Eq)]
pub struct OutOfMemory;

pub struct Plan {
    pub params: Params,
    /// Periodic Hann window, zero-padded to a multiple of 4.
    window: Vec<f32>,
    fft: ComplexFft,
    /// Even nFft: `-i exp(-2 pi i k / nFft)` for the real-FFT split, k in 0..=nFft/4.
    post: Vec<Tw>,
    /// Mel rows `(first bin, bin count, weight offset)` and their weights splatted to 4 lanes.
    rows: Vec<(usize, usize, usize)>,
    weights: Vec<F4>,
    /// Mel energies of the current four frames.
    mel_acc: Vec<F4>,
    /// FFT buffer (plus slack so the gather can write whole 4-sample chunks).
    buf: Vec<C4>,
    power: Vec<F4>,
    input: Vec<f32>,
    output: Vec<f32>,
    frames: usize,
    has_input: bool,
}

impl Plan {
    /// Builds a plan; `params` must be valid (`Params::is_valid`).
    pub fn new(params: Params) -> Plan {
        let n = params.n_fft;
        let even = n % 2 == 0;
        let mut window: Vec<f32> =
            (0..n).map(|j| (0.5 - 0.5 * (2.0 * std::f64::consts::PI * j as f64 / n as f64).cos()) as f32).collect();
        window.resize((n + 3) / 4 * 4, 0.0);
        let fft_len = if even { n / 2 } else { n };
        let post = if even {
            (0..=fft_len / 2)
                .map(|k| {
                    let (c, s) = expi(k as u64, n as u64);
                    Tw(s as f32, -c as f32)
                })
                .collect()
        } else {
            Vec::new()
        };
        let dense = mel_filters_f64(params.sample_rate, n, params.n_mels, params.f_min, params.f_max, params.htk);
        // Even nFft: the split computes 2 X[k], so the power is 4 |X|^2; fold 1/4 into the weights.
        let mel = SparseMel::new(&dense, if even { 0.25 } else { 1.0 });
        let rows = (0..params.n_mels).map(|i| (mel.start[i], mel.len[i], mel.offset[i])).collect();
        let weights = mel.weights.iter().map(|w| F4::splat(*w)).collect();
        Plan {
            params,
            window,
            fft: ComplexFft::new(fft_len),
            post,
            rows,
            weights,
            mel_acc: vec![F4::zero(); params.n_mels],
            buf: vec![C4::zero(); fft_len + 4],
            power: vec![F4::zero(); n / 2 + 1],
            input: Vec::new(),
            output: Vec::new(),
            frames: 0,
            has_input: false,
        }
    }

    /// Sizes the input for `samples` values (and the output for their frames); returns the input.
    pub fn input_mut(&mut self, samples: usize) -> Result<&mut [f32], OutOfMemory> {
        // Until both buffers are sized, there is no valid input to run on.
        self.has_input = false;
        let frames = samples / self.params.hop;
        let out_len = frames.checked_mul(self.params.n_mels).ok_or(OutOfMemory)?;
        resize_uninit(&mut self.input, samples.max(1))?;
        resize_uninit(&mut self.output, out_len.max(1))?;
        self.input.truncate(samples);
        self.output.truncate(out_len);
        self.frames = frames;
        self.has_input = true;
        Ok(&mut self.input)
    }

    pub fn has_input(&self) -> bool {
        self.has_input
    }

    /// The reflect pad needs more than nFft / 2 samples (torch refuses shorter inputs too).
    pub fn input_too_short(&self) -> bool {
        self.frames > 0 && self.input.len() <= self.params.n_fft / 2
    }

    pub fn frames(&self) -> usize {
        self.frames
    }

    pub fn output(&self) -> &[f32] {
        &self.output
    }

    /// Computes the log-mel of the current input into the output, `[nMels, frames]`.
    /// The input must not be too short (`input_too_short`).
    pub fn run(&mut self) {
        assert!(!self.input_too_short());
        let frames = self.frames;
        let mut max = F4::splat(-10.0);
        let mut t0 = 0;
        while t0 < frames {
            self.gather(t0);
            let fft_len = self.fft.len();
            let z = self.fft.forward_ref(&mut self.buf[..fft_len]);
            power_spectrum(z, &mut self.power, &self.post, self.params.n_fft);
            max = max.max(self.mel_log_rows(t0));
            t0 += 4;
        }
        finish(&mut self.output, max.hmax(), self.params.normalize);
    }

    /// Windowed samples of frames `t0..t0 + 4` into `buf` (lane f = frame t0 + f).
    #[inline(never)]
    fn gather(&mut self, t0: usize) {
        let p = self.params;
        let (n, hop, len) = (p.n_fft, p.hop, self.input.len());
        let half = n / 2;
        let even = n % 2 == 0;
        let stride = if even { 1 } else { 2 };
        let flat = self.buf.as_mut_ptr() as *mut F4;
        let x = self.input.as_ptr();
        let w = self.window.as_ptr();
        let padded = self.window.len();
        let interior =
            t0 + 4 <= self.frames && t0 * hop >= half && (t0 + 3) * hop - half + padded <= len;
        // Safety: interior frames read input[start .. start + padded] within len; writes stay in
        // buf (n + 4 slack values beyond the FFT length, see Plan::new).
        unsafe {
            if interior {
                let (x0, x1, x2, x3) = (
                    x.add(t0 * hop - half),
                    x.add((t0 + 1) * hop - half),
                    x.add((t0 + 2) * hop - half),
                    x.add((t0 + 3) * hop - half),
                );
                let mut j = 0;
                while j < n {
                    let wv = F4::load(w.add(j));
                    let [c0, c1, c2, c3] = F4::transpose(
                        F4::load(x0.add(j)) * wv,
                        F4::load(x1.add(j)) * wv,
                        F4::load(x2.add(j)) * wv,
                        F4::load(x3.add(j)) * wv,
                    );
                    let dst = flat.add(j * stride);
                    *dst = c0;
                    *dst.add(stride) = c1;
                    *dst.add(2 * stride) = c2;
                    *dst.add(3 * stride) = c3;
                    j += 4;
                }
            } else {
                for j in 0..n {
                    let v: [f32; 4] = core::array::from_fn(|f| {
                        let t = t0 + f;
                        if t >= self.frames {
                            return 0.0;
                        }
                        let idx = reflect((t * hop + j) as i64 - half as i64, len);
                        *x.add(idx) * *w.add(j)
                    });
                    *flat.add(j * stride) = F4::new(v[0], v[1], v[2], v[3]);
                }
            }
            if !even {
                for j in 0..n {
                    *flat.add(2 * j + 1) = F4::zero();
                }
            }
        }
    }

    /// Mel rows of frames `t0..t0 + 4`, log10 of max(mel, 1e-10), into the output; returns the
    /// lane-wise max.
    #[inline(never)]
    fn mel_log_rows(&mut self, t0: usize) -> F4 {
        let frames = self.frames;
        let n_mels = self.params.n_mels;
        let acc_p = self.mel_acc.as_mut_ptr();
        // Safety: rows index `weights` and `power` within their lengths (built in Plan::new).
        unsafe {
            let w = self.weights.as_ptr();
            let pw = self.power.as_ptr();
            for (i, &(start, len, off)) in self.rows.iter().enumerate() {
                let (wr, pr) = (w.add(off), pw.add(start));
                let mut a = F4::zero();
                let mut b = F4::zero();
                let mut k = 0;
                while k + 1 < len {
                    a = a + *wr.add(k) * *pr.add(k);
                    b = b + *wr.add(k + 1) * *pr.add(k + 1);
                    k += 2;
                }
                if k < len {
                    a = a + *wr.add(k) * *pr.add(k);
                }
                *acc_p.add(i) = a + b;
            }
        }
        let floor = F4::splat(1e-10);
        let mut max = F4::splat(-10.0);
        let out = self.output.as_mut_ptr();
        let full = t0 + 4 <= frames;
        // Safety: row i, columns t0..min(t0 + 4, frames) are inside the output.
        unsafe {
            for i in 0..n_mels {
                let v = (*acc_p.add(i)).max(floor).log10();
                max = max.max(v);
                let dst = out.add(i * frames + t0);
                if full {
                    v.store(dst);
                } else {
                    let a = v.to_array();
                    for f in 0..frames - t0 {
                        *dst.add(f) = a[f];
                    }
                }
            }
        }
        max
    }
}

/// `power[k]` for k in 0..=nFft/2 from the FFT `z` (times 4 for even nFft, see `Plan::post`).
#[inline(never)]
fn power_spectrum(z: &[C4], pw: &mut [F4], post: &[Tw], n: usize) {
    if n % 2 == 1 {
        for k in 0..=n / 2 {
            pw[k] = z[k].re * z[k].re + z[k].im * z[k].im;
        }
        return;
    }
    let m = n / 2;
    let two = F4::splat(2.0);
    let x0 = (z[0].re + z[0].im) * two;
    let xm = (z[0].re - z[0].im) * two;
    pw[0] = x0 * x0;
    pw[m] = xm * xm;
    for k in 1..=m / 2 {
        let (a, b) = (z[k], z[m - k]);
        // s = Z[k] + conj(Z[m-k]), d = Z[k] - conj(Z[m-k]), 2X[k] = s + V d, 2X[m-k]* = s - V d.
        let (sr, si) = (a.re + b.re, a.im - b.im);
        let (dr, di) = (a.re - b.re, a.im + b.im);
        let v = post[k];
        let (vc, vs) = (F4::splat(v.0), F4::splat(v.1));
        let (wr, wi) = (dr * vc - di * vs, dr * vs + di * vc);
        let (pr, pi) = (sr + wr, si + wi);
        let (qr, qi) = (sr - wr, si - wi);
        pw[k] = pr * pr + pi * pi;
        pw[m - k] = qr * qr + qi * qi;
    }
}

/// torch/numpy 'reflect' index for `-len < i < 2 len - 1` (the edge sample is not repeated).
pub fn reflect(i: i64, len: usize) -> usize {
    let last = len as i64 - 1;
    (if i < 0 {
        -i
    } else if i > last {
        2 * last - i
    } else {
        i
    }) as usize
}

/// Values per call of the whole-output passes: small functions called many times get optimised
/// by the wasm engine early, even within the first long call.
const CHUNK: usize = 1 << 14;

/// Floor at `max - 8`, `(L + 4) / 4`, then optional standardisation with f64 sums.
fn finish(out: &mut [f32], max: f32, normalize: bool) {
    let mut sum = 0.0;
    for chunk in out.chunks_mut(CHUNK) {
        sum += floor_and_scale(chunk, max - 8.0);
    }
    if !normalize || out.is_empty() {
        return;
    }
    let count = out.len() as f64;
    let mean = sum / count;
    let sq: f64 = out.chunks(CHUNK).map(|chunk| squared_deviations(chunk, mean)).sum();
    let std = (sq / (count - 1.0)).sqrt();
    // A constant (or single-value) spectrogram has no spread: it standardises to zeros.
    let inv = if std > 0.0 && std.is_finite() { 1.0 / std } else { 1.0 };
    for chunk in out.chunks_mut(CHUNK) {
        standardize(chunk, mean, inv);
    }
}

/// `v = (max(v, floor) + 4) / 4` in place; returns the f64 sum of the results.
#[inline(never)]
fn floor_and_scale(out: &mut [f32], floor: f32) -> f64 {
    let (floor_v, four, quarter) = (F4::splat(floor), F4::splat(4.0), F4::splat(0.25));
    let mut sum = [0f64; 2];
    let chunks = out.len() / 4;
    let p = out.as_mut_ptr();
    // Safety: 4 * chunks <= out.len().
    unsafe {
        for c in 0..chunks {
            let v = (F4::load(p.add(4 * c)).max(floor_v) + four) * quarter;
            v.store(p.add(4 * c));
            v.sum_f64(&mut sum);
        }
    }
    for v in &mut out[4 * chunks..] {
        let l = if *v < floor { floor } else { *v };
        *v = (l + 4.0) * 0.25;
        sum[0] += *v as f64;
    }
    sum[0] + sum[1]
}

/// Sum of `(v - mean)^2` (the difference in f32, the sum in f64).
#[inline(never)]
fn squared_deviations(out: &[f32], mean: f64) -> f64 {
    let mean_v = F4::splat(mean as f32);
    let mut sq = [0f64; 2];
    let chunks = out.len() / 4;
    let p = out.as_ptr();
    // Safety: 4 * chunks <= out.len().
    unsafe {
        for c in 0..chunks {
            let d = F4::load(p.add(4 * c)) - mean_v;
            (d * d).sum_f64(&mut sq);
        }
    }
    for v in &out[4 * chunks..] {
        let d = *v as f64 - mean;
        sq[0] += d * d;
    }
    sq[0] + sq[1]
}

/// `v = (v - mean) * inv` in place.
#[inline(never)]
fn standardize(out: &mut [f32], mean: f64, inv: f64) {
    let (mean_v, inv_v) = (F4::splat(mean as f32), F4::splat(inv as f32));
    let chunks = out.len() / 4;
    let p = out.as_mut_ptr();
    // Safety: 4 * chunks <= out.len().
    unsafe {
        for c in 0..chunks {
            ((F4::load(p.add(4 * c)) - mean_v) * inv_v).store(p.add(4 * c));
        }
    }
    for v in &mut out[4 * chunks..] {
        *v = ((*v as f64 - mean) * inv) as f32;
    }
}

/// Sets `v` to `len` values without initialising them, growing by at least 1.5x (old buffer
/// released first so the allocator can reuse its space).
fn resize_uninit(v: &mut Vec<f32>, len: usize) -> Result<(), OutOfMemory> {
    if v.capacity() < len {
        let cap = len.max(v.capacity() + v.capacity() / 2);
        *v = Vec::new();
        v.try_reserve_exact(cap).map_err(|_| OutOfMemory)?;
    }
    // Safety: f32 has no invalid bit patterns; callers write every value before reading it
    // (input: the host; output: `Plan::run`).
    unsafe { v.set_len(len) };
    Ok(())
}
