//! The log-mel plan: everything that depends only on the parameters (window, FFT, mel rows) is
//! built once; the signal arrives in chunks (a stream) and buffers are reused and grown
//! geometrically, so memory stays at about nFft samples plus one chunk whatever the signal's length.
//!
//! Per group of four frames (one per SIMD lane): gather windowed samples (reflect padding at the
//! edges), real FFT via a half-length complex FFT, power, sparse mel, log10 -> output frames
//! (frame-major raw values). A frame is computed as soon as every sample it reads has arrived; the
//! frames that reach past the end wait for the last chunk. Lanes are independent, so a frame's value
//! does not depend on which chunk or group it was computed in. The file-wide end (floor at max - 8,
//! (L + 4) / 4, standardisation) is applied by the host (`logMelFinish` in @spgdataset/core).

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

/// Why a stream run failed.
#[derive(Debug, PartialEq, Eq)]
pub enum StreamError {
    /// The signal ended with frames but at most nFft / 2 samples (torch refuses it too).
    InputTooShort,
    /// A run after the last one (start a new stream).
    Ended,
    /// The output could not grow.
    OutOfMemory,
}

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
    /// Mel energies (then log10 values) of the current four frames.
    mel_acc: Vec<F4>,
    /// FFT buffer (plus slack so the gather can write whole 4-sample chunks).
    buf: Vec<C4>,
    power: Vec<F4>,
    /// Kept samples: absolute indices `start .. start + len` of the signal; the host writes the
    /// next chunk after them (`pending` values).
    samples: Vec<f32>,
    start: usize,
    len: usize,
    pending: usize,
    /// Samples received (the signal's length once ended).
    received: usize,
    /// Next frame to compute.
    next: usize,
    ended: bool,
    max: f32,
    /// Frame-major raw values of the last run, `out_frames` frames.
    output: Vec<f32>,
    out_frames: usize,
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
            samples: Vec::new(),
            start: 0,
            len: 0,
            pending: 0,
            received: 0,
            next: 0,
            ended: false,
            max: f32::NEG_INFINITY,
            output: Vec::new(),
            out_frames: 0,
        }
    }

    /// Starts a new signal (keeps the buffers' memory).
    pub fn begin(&mut self) {
        self.start = 0;
        self.len = 0;
        self.pending = 0;
        self.received = 0;
        self.next = 0;
        self.ended = false;
        self.max = f32::NEG_INFINITY;
        self.out_frames = 0;
    }

    /// Room for the next `count` samples after the kept ones (dropping those no later frame reads);
    /// the host writes them there before `run`.
    pub fn input_mut(&mut self, count: usize) -> Result<&mut [f32], OutOfMemory> {
        let half = self.params.n_fft / 2;
        // The next frame reads from next * hop - half (reflected indices at the start stay below nFft).
        let keep_from = (self.next * self.params.hop).saturating_sub(half);
        let drop = keep_from.saturating_sub(self.start).min(self.len);
        if drop > 0 {
            self.samples.copy_within(drop..self.len, 0);
            self.start += drop;
            self.len -= drop;
        }
        let need = self.len.checked_add(count).ok_or(OutOfMemory)?;
        grow_keeping(&mut self.samples, self.len, need)?;
        self.pending = count;
        Ok(&mut self.samples[self.len..need])
    }

    /// Takes the samples written by `input_mut` and computes every frame now complete (with `last`,
    /// every remaining frame: the signal ends there) into the output.
    pub fn run(&mut self, last: bool) -> Result<(), StreamError> {
        if self.ended {
            return Err(StreamError::Ended);
        }
        self.len += self.pending;
        self.received += self.pending;
        self.pending = 0;
        let (n_fft, hop) = (self.params.n_fft, self.params.hop);
        let half = n_fft / 2;
        let n = self.received;
        let up_to = if last {
            self.ended = true;
            let frames = n / hop;
            if frames > 0 && n <= half {
                self.out_frames = 0;
                return Err(StreamError::InputTooShort);
            }
            frames
        } else if n <= half || n + half < n_fft {
            self.next
        } else {
            // Frame t is complete once sample t * hop - half + nFft - 1 (and, for the first frames,
            // sample nFft / 2 that the reflection reads) has arrived.
            ((n + half - n_fft) / hop + 1).max(self.next)
        };
        let count = up_to - self.next;
        let values = count * self.params.n_mels;
        if grow_keeping(&mut self.output, 0, values).is_err() {
            self.out_frames = 0;
            return Err(StreamError::OutOfMemory);
        }
        let first = self.next;
        let mut max = F4::splat(f32::NEG_INFINITY);
        let mut t0 = first;
        while t0 < up_to {
            let valid = (up_to - t0).min(4);
            self.gather(t0, valid);
            let fft_len = self.fft.len();
            let z = self.fft.forward_ref(&mut self.buf[..fft_len]);
            power_spectrum(z, &mut self.power, &self.post, self.params.n_fft);
            max = max.max(self.mel_log_frames(t0 - first, valid));
            t0 += 4;
        }
        let m = max.hmax();
        if m > self.max {
            self.max = m;
        }
        self.out_frames = count;
        self.next = up_to;
        Ok(())
    }

    /// Frames computed by the last run.
    pub fn frames(&self) -> usize {
        self.out_frames
    }

    /// The last run's frames, frame-major (`n_mels` raw values each).
    pub fn output(&self) -> &[f32] {
        &self.output[..self.out_frames * self.params.n_mels]
    }

    /// Capacity of the kept-samples buffer (for the bounded-memory test).
    #[cfg(test)]
    pub fn kept_capacity(&self) -> usize {
        self.samples.capacity()
    }

    /// Largest raw value of the signal so far (-inf before the first frame).
    pub fn max(&self) -> f32 {
        self.max
    }

    /// Windowed samples of frames `t0..t0 + valid` into `buf` (lane f = frame t0 + f; lanes from
    /// `valid` on are zero).
    #[inline(never)]
    fn gather(&mut self, t0: usize, valid: usize) {
        let p = self.params;
        let (n, hop, signal) = (p.n_fft, p.hop, self.received);
        let half = n / 2;
        let even = n % 2 == 0;
        let stride = if even { 1 } else { 2 };
        let flat = self.buf.as_mut_ptr() as *mut F4;
        let x = self.samples.as_ptr();
        let base = self.start;
        let w = self.window.as_ptr();
        let padded = self.window.len();
        let interior = valid == 4 && t0 * hop >= half + base && (t0 + 3) * hop - half + padded <= signal;
        // Safety: interior frames read samples[first - base .. first - base + padded] within the kept
        // samples (they end at `signal`); reflected indices stay within them too (see `reflect`);
        // writes stay in buf (n + 4 slack values beyond the FFT length, see Plan::new).
        unsafe {
            if interior {
                let (x0, x1, x2, x3) = (
                    x.add(t0 * hop - half - base),
                    x.add((t0 + 1) * hop - half - base),
                    x.add((t0 + 2) * hop - half - base),
                    x.add((t0 + 3) * hop - half - base),
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
                        if f >= valid {
                            return 0.0;
                        }
                        let t = t0 + f;
                        let idx = reflect((t * hop + j) as i64 - half as i64, signal);
                        *x.add(idx - base) * *w.add(j)
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

    /// Mel rows of the current four frames, log10 of max(mel, 1e-10), into output frames
    /// `f0 .. f0 + valid` (frame-major); returns the lane-wise max over the valid lanes.
    #[inline(never)]
    fn mel_log_frames(&mut self, f0: usize, valid: usize) -> F4 {
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
                *acc_p.add(i) = (a + b).max(F4::splat(1e-10)).log10();
            }
        }
        let out = self.output.as_mut_ptr();
        let mut max = F4::splat(f32::NEG_INFINITY);
        // Safety: frames f0 .. f0 + valid of the output are inside it (sized by `run`).
        unsafe {
            let mut i = 0;
            if valid == 4 {
                // Four mels of four frames at a time: one transpose, four stores of 4 values.
                while i + 4 <= n_mels {
                    let cols = F4::transpose(*acc_p.add(i), *acc_p.add(i + 1), *acc_p.add(i + 2), *acc_p.add(i + 3));
                    for (f, c) in cols.iter().enumerate() {
                        c.store(out.add((f0 + f) * n_mels + i));
                    }
                    i += 4;
                }
            }
            for m in i..n_mels {
                let a = (*acc_p.add(m)).to_array();
                for (f, v) in a.iter().enumerate().take(valid) {
                    *out.add((f0 + f) * n_mels + m) = *v;
                }
            }
            for m in 0..n_mels {
                let v = *acc_p.add(m);
                max = max.max(if valid == 4 {
                    v
                } else {
                    // Lanes past the last frame repeat lane 0, so they cannot raise the max.
                    let a = v.to_array();
                    let lane = |f: usize| if f < valid { a[f] } else { a[0] };
                    F4::new(lane(0), lane(1), lane(2), lane(3))
                });
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

/// Makes `v` hold at least `len` values, keeping its first `keep`, growing the capacity by at least
/// 1.5x (values beyond `keep` are left unset until written).
fn grow_keeping(v: &mut Vec<f32>, keep: usize, len: usize) -> Result<(), OutOfMemory> {
    if v.capacity() < len {
        let cap = len.max(v.capacity() + v.capacity() / 2);
        let mut grown: Vec<f32> = Vec::new();
        grown.try_reserve_exact(cap).map_err(|_| OutOfMemory)?;
        grown.extend_from_slice(&v[..keep]);
        *v = grown;
    }
    // Safety: the capacity is at least `len`; f32 has no invalid bit patterns; values beyond `keep`
    // are written before they are read (samples: by the host; output: by `run`).
    unsafe { v.set_len(len) };
    Ok(())
}
