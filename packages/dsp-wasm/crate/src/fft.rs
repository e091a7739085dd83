//! Complex FFT of any length on `C4` values (four independent transforms, one per lane).
//! Mixed-radix Stockham autosort (radix 4, 2, 3, 5 and a generic odd radix); lengths with a
//! prime factor above `MAX_GENERIC_RADIX` use Bluestein's chirp-z over a power-of-two FFT.
//! Twiddles are computed in f64 and stored as f32.

use crate::lanes::F4;
use std::f64::consts::PI;

/// Four complex numbers (one per lane).
#[derive(Clone, Copy)]
#[repr(C)]
pub struct C4 {
    pub re: F4,
    pub im: F4,
}

impl C4 {
    #[inline(always)]
    pub fn zero() -> C4 {
        C4 { re: F4::zero(), im: F4::zero() }
    }
    #[inline(always)]
    fn add(self, o: C4) -> C4 {
        C4 { re: self.re + o.re, im: self.im + o.im }
    }
    #[inline(always)]
    fn sub(self, o: C4) -> C4 {
        C4 { re: self.re - o.re, im: self.im - o.im }
    }
    /// `self * (c + i s)` for a scalar complex twiddle.
    #[inline(always)]
    fn twiddle(self, w: Tw) -> C4 {
        let (c, s) = (F4::splat(w.0), F4::splat(w.1));
        C4 { re: self.re * c - self.im * s, im: self.re * s + self.im * c }
    }
    /// `self * -i`.
    #[inline(always)]
    fn mul_neg_i(self) -> C4 {
        C4 { re: self.im, im: F4::zero() - self.re }
    }
    #[inline(always)]
    fn scale(self, k: F4) -> C4 {
        C4 { re: self.re * k, im: self.im * k }
    }
}

/// A scalar complex twiddle `(cos, sin)`.
#[derive(Clone, Copy, Debug)]
pub struct Tw(pub f32, pub f32);

/// `exp(-2 pi i num / den)` computed in f64 (num reduced first for accuracy).
pub fn expi(num: u64, den: u64) -> (f64, f64) {
    let a = -2.0 * PI * ((num % den) as f64) / (den as f64);
    (a.cos(), a.sin())
}

/// Largest prime factor handled by the generic odd radix; above it, Bluestein.
pub const MAX_GENERIC_RADIX: usize = 31;

struct Stage {
    radix: usize,
    /// Sub-length after this stage (n_cur / radix).
    m: usize,
    /// Stride (product of the radices before this stage).
    s: usize,
    /// `tw[p * (radix - 1) + k - 1] = exp(-2 pi i p k / (radix * m))`.
    tw: Vec<Tw>,
    /// Generic radix only: `exp(-2 pi i t / radix)` for t in 0..radix.
    roots: Vec<Tw>,
}

struct Direct {
    stages: Vec<Stage>,
    scratch: Vec<C4>,
    /// Generic radix workspace (inputs of one butterfly).
    work: Vec<C4>,
}

struct Bluestein {
    m: usize,
    /// `exp(-pi i k^2 / m)` for k in 0..m.
    chirp: Vec<Tw>,
    /// FFT of the conjugate chirp sequence, scaled by 1 / len.
    kernel: Vec<Tw>,
    inner: Box<ComplexFft>,
    buf: Vec<C4>,
}

enum Kind {
    Direct(Direct),
    Bluestein(Bluestein),
}

pub struct ComplexFft {
    n: usize,
    kind: Kind,
}

/// Factors of `n`: radix 4 first, then 2, 3, 5, larger primes. (A radix-8 pass measured slower
/// in V8: its 16 live vectors spill on x64.)
pub fn factorize(mut n: usize) -> Vec<usize> {
    let mut out = Vec::new();
    while n % 4 == 0 {
        out.push(4);
        n /= 4;
    }
    for p in [2usize, 3, 5] {
        while n % p == 0 {
            out.push(p);
            n /= p;
        }
    }
    let mut p = 7;
    while p * p <= n {
        while n % p == 0 {
            out.push(p);
            n /= p;
        }
        p += 2;
    }
    if n > 1 {
        out.push(n);
    }
    out
}

impl ComplexFft {
    pub fn new(n: usize) -> ComplexFft {
        assert!(n >= 1);
        let factors = factorize(n);
        if factors.iter().any(|&f| f > MAX_GENERIC_RADIX) {
            return ComplexFft { n, kind: Kind::Bluestein(Bluestein::new(n)) };
        }
        let mut stages = Vec::new();
        let mut s = 1;
        let mut n_cur = n;
        let mut max_generic = 0;
        for &radix in &factors {
            let m = n_cur / radix;
            let mut tw = Vec::with_capacity(m * (radix - 1));
            for p in 0..m {
                for k in 1..radix {
                    let (c, sn) = expi((p * k) as u64, n_cur as u64);
                    tw.push(Tw(c as f32, sn as f32));
                }
            }
            let roots = if is_generic(radix) {
                max_generic = max_generic.max(radix);
                (0..radix)
                    .map(|t| {
                        let (c, sn) = expi(t as u64, radix as u64);
                        Tw(c as f32, sn as f32)
                    })
                    .collect()
            } else {
                Vec::new()
            };
            stages.push(Stage { radix, m, s, tw, roots });
            s *= radix;
            n_cur = m;
        }
        ComplexFft {
            n,
            kind: Kind::Direct(Direct { stages, scratch: vec![C4::zero(); n], work: vec![C4::zero(); max_generic] }),
        }
    }

    pub fn len(&self) -> usize {
        self.n
    }

    /// Forward transform of `x` (length n) in place: `X[k] = sum_j x[j] exp(-2 pi i j k / n)`.
    pub fn forward(&mut self, x: &mut [C4]) {
        let n = self.n;
        let (in_x, scratch) = self.forward_somewhere(x);
        if !in_x {
            x.copy_from_slice(&scratch[..n]);
        }
    }

    /// Forward transform of `x`, leaving the result in `x` or in internal scratch (saves a copy
    /// when the number of passes is odd): returns the buffer that holds it.
    pub fn forward_ref<'a>(&'a mut self, x: &'a mut [C4]) -> &'a [C4] {
        let (in_x, scratch) = self.forward_somewhere(x);
        if in_x {
            x
        } else {
            scratch
        }
    }

    fn forward_somewhere<'a>(&'a mut self, x: &mut [C4]) -> (bool, &'a [C4]) {
        assert_eq!(x.len(), self.n);
        match &mut self.kind {
            Kind::Direct(d) => {
                let in_x = d.run(x);
                (in_x, &d.scratch)
            }
            Kind::Bluestein(b) => {
                b.run(x);
                (true, &[])
            }
        }
    }
}

/// Odd radices above 5 use the generic butterfly.
fn is_generic(radix: usize) -> bool {
    radix > 5 && radix % 2 == 1
}

impl Direct {
    /// Runs every pass; true when the result ended in `x`, false when in `scratch`.
    fn run(&mut self, x: &mut [C4]) -> bool {
        let mut in_x = true;
        for stage in &self.stages {
            if in_x {
                stage.run(x, &mut self.scratch, &mut self.work);
            } else {
                stage.run(&self.scratch, x, &mut self.work);
            }
            in_x = !in_x;
        }
        in_x
    }
}

impl Stage {
    /// One DIF Stockham pass: reads `x[q + s (p + j m)]`, writes `y[q + s (radix p + k)]`.
    /// The twiddles of p = 0 are all 1 (the whole last stage), so that column skips them.
    #[inline(never)]
    fn run(&self, x: &[C4], y: &mut [C4], work: &mut [C4]) {
        let (r, m, s) = (self.radix, self.m, self.s);
        debug_assert!(x.len() == y.len() && x.len() == r * m * s);
        if is_generic(r) {
            return self.run_generic(r, x, y, work);
        }
        let xp = x.as_ptr();
        let yp = y.as_mut_ptr();
        let tw = self.tw.as_ptr();
        // Safety: every index is < radix * m * s = x.len() = y.len(); tw has m * (radix - 1) entries.
        unsafe {
            match r {
                2 => {
                    radix2::<false>(xp, yp, m, s, 0, tw);
                    for p in 1..m {
                        radix2::<true>(xp, yp, m, s, p, tw.add(p));
                    }
                }
                3 => {
                    radix3::<false>(xp, yp, m, s, 0, tw);
                    for p in 1..m {
                        radix3::<true>(xp, yp, m, s, p, tw.add(2 * p));
                    }
                }
                4 => {
                    radix4::<false>(xp, yp, m, s, 0, tw);
                    for p in 1..m {
                        radix4::<true>(xp, yp, m, s, p, tw.add(3 * p));
                    }
                }
                _ => {
                    radix5::<false>(xp, yp, m, s, 0, tw);
                    for p in 1..m {
                        radix5::<true>(xp, yp, m, s, p, tw.add(4 * p));
                    }
                }
            }
        }
    }

    /// Odd radix `r`: pairs `j, r - j` share cosines, so each output costs (r - 1) / 2 pairs.
    fn run_generic(&self, r: usize, x: &[C4], y: &mut [C4], a: &mut [C4]) {
        let (m, s) = (self.m, self.s);
        let half = (r - 1) / 2;
        for p in 0..m {
            for q in 0..s {
                for j in 0..r {
                    a[j] = x[q + s * (p + j * m)];
                }
                let base = q + s * r * p;
                let mut y0 = a[0];
                for j in 1..=half {
                    y0 = y0.add(a[j]).add(a[r - j]);
                }
                y[base] = y0;
                for k in 1..=half {
                    let mut re = a[0];
                    let mut t = C4::zero();
                    for j in 1..=half {
                        let w = self.roots[(j * k) % r];
                        let b = a[j].add(a[r - j]);
                        let d = a[j].sub(a[r - j]);
                        re = re.add(b.scale(F4::splat(w.0)));
                        // roots hold exp(-i theta): w.1 = -sin(theta).
                        t = t.add(d.scale(F4::splat(-w.1)));
                    }
                    let yk = C4 { re: re.re + t.im, im: re.im - t.re };
                    let yr = C4 { re: re.re - t.im, im: re.im + t.re };
                    y[base + s * k] = yk.twiddle(self.tw[p * (r - 1) + k - 1]);
                    y[base + s * (r - k)] = yr.twiddle(self.tw[p * (r - 1) + r - k - 1]);
                }
            }
        }
    }
}

#[inline(always)]
fn tw_if<const TW: bool>(v: C4, w: Tw) -> C4 {
    if TW {
        v.twiddle(w)
    } else {
        v
    }
}

#[inline(always)]
unsafe fn radix2<const TW: bool>(xp: *const C4, yp: *mut C4, m: usize, s: usize, p: usize, tw: *const Tw) {
    let w1 = *tw;
    for q in 0..s {
        let a0 = *xp.add(q + s * p);
        let a1 = *xp.add(q + s * (p + m));
        *yp.add(q + s * 2 * p) = a0.add(a1);
        *yp.add(q + s * (2 * p + 1)) = tw_if::<TW>(a0.sub(a1), w1);
    }
}

#[inline(always)]
unsafe fn radix3<const TW: bool>(xp: *const C4, yp: *mut C4, m: usize, s: usize, p: usize, tw: *const Tw) {
    let half = F4::splat(-0.5);
    let sin3 = F4::splat((PI / 3.0).sin() as f32);
    let (w1, w2) = (*tw, *tw.add(1));
    for q in 0..s {
        let a0 = *xp.add(q + s * p);
        let a1 = *xp.add(q + s * (p + m));
        let a2 = *xp.add(q + s * (p + 2 * m));
        let t1 = a1.add(a2);
        let t2 = a0.add(t1.scale(half));
        let t3 = a1.sub(a2).scale(sin3);
        let y1 = C4 { re: t2.re + t3.im, im: t2.im - t3.re };
        let y2 = C4 { re: t2.re - t3.im, im: t2.im + t3.re };
        let base = q + s * 3 * p;
        *yp.add(base) = a0.add(t1);
        *yp.add(base + s) = tw_if::<TW>(y1, w1);
        *yp.add(base + 2 * s) = tw_if::<TW>(y2, w2);
    }
}

#[inline(always)]
unsafe fn radix4<const TW: bool>(xp: *const C4, yp: *mut C4, m: usize, s: usize, p: usize, tw: *const Tw) {
    let (w1, w2, w3) = (*tw, *tw.add(1), *tw.add(2));
    for q in 0..s {
        let a0 = *xp.add(q + s * p);
        let a1 = *xp.add(q + s * (p + m));
        let a2 = *xp.add(q + s * (p + 2 * m));
        let a3 = *xp.add(q + s * (p + 3 * m));
        let t0 = a0.add(a2);
        let t1 = a0.sub(a2);
        let t2 = a1.add(a3);
        let t3 = a1.sub(a3).mul_neg_i();
        let base = q + s * 4 * p;
        *yp.add(base) = t0.add(t2);
        *yp.add(base + s) = tw_if::<TW>(t1.add(t3), w1);
        *yp.add(base + 2 * s) = tw_if::<TW>(t0.sub(t2), w2);
        *yp.add(base + 3 * s) = tw_if::<TW>(t1.sub(t3), w3);
    }
}

#[inline(always)]
unsafe fn radix5<const TW: bool>(xp: *const C4, yp: *mut C4, m: usize, s: usize, p: usize, tw: *const Tw) {
    let c1 = F4::splat((2.0 * PI / 5.0).cos() as f32);
    let c2 = F4::splat((4.0 * PI / 5.0).cos() as f32);
    let s1 = F4::splat((2.0 * PI / 5.0).sin() as f32);
    let s2 = F4::splat((4.0 * PI / 5.0).sin() as f32);
    let (w1, w2, w3, w4) = (*tw, *tw.add(1), *tw.add(2), *tw.add(3));
    for q in 0..s {
        let a0 = *xp.add(q + s * p);
        let a1 = *xp.add(q + s * (p + m));
        let a2 = *xp.add(q + s * (p + 2 * m));
        let a3 = *xp.add(q + s * (p + 3 * m));
        let a4 = *xp.add(q + s * (p + 4 * m));
        let b1 = a1.add(a4);
        let b2 = a2.add(a3);
        let d1 = a1.sub(a4);
        let d2 = a2.sub(a3);
        let r1 = a0.add(b1.scale(c1)).add(b2.scale(c2));
        let r2 = a0.add(b1.scale(c2)).add(b2.scale(c1));
        let i1 = d1.scale(s1).add(d2.scale(s2));
        let i2 = d1.scale(s2).sub(d2.scale(s1));
        // y = r -/+ i * t: -i * t = (t.im, -t.re).
        let base = q + s * 5 * p;
        *yp.add(base) = a0.add(b1).add(b2);
        *yp.add(base + s) = tw_if::<TW>(C4 { re: r1.re + i1.im, im: r1.im - i1.re }, w1);
        *yp.add(base + 2 * s) = tw_if::<TW>(C4 { re: r2.re + i2.im, im: r2.im - i2.re }, w2);
        *yp.add(base + 3 * s) = tw_if::<TW>(C4 { re: r2.re - i2.im, im: r2.im + i2.re }, w3);
        *yp.add(base + 4 * s) = tw_if::<TW>(C4 { re: r1.re - i1.im, im: r1.im + i1.re }, w4);
    }
}

impl Bluestein {
    fn new(m: usize) -> Bluestein {
        let mut len = 1;
        while len < 2 * m - 1 {
            len *= 2;
        }
        let chirp: Vec<Tw> = (0..m)
            .map(|k| {
                // exp(-pi i k^2 / m) = exp(-2 pi i (k^2 mod 2m) / 2m)
                let (c, s) = expi((k as u64 * k as u64) % (2 * m as u64), 2 * m as u64);
                Tw(c as f32, s as f32)
            })
            .collect();
        // Kernel b[j] = conj(chirp[|j|]) on the circular index range, transformed in f64.
        let mut b = vec![(0f64, 0f64); len];
        for k in 0..m {
            let (c, s) = expi((k as u64 * k as u64) % (2 * m as u64), 2 * m as u64);
            b[k] = (c, -s);
            if k > 0 {
                b[len - k] = (c, -s);
            }
        }
        let kernel = dft_f64_pow2(&b)
            .into_iter()
            .map(|(re, im)| Tw((re / len as f64) as f32, (im / len as f64) as f32))
            .collect();
        Bluestein { m, chirp, kernel, inner: Box::new(ComplexFft::new(len)), buf: vec![C4::zero(); len] }
    }

    fn run(&mut self, x: &mut [C4]) {
        let len = self.buf.len();
        for k in 0..self.m {
            self.buf[k] = x[k].twiddle(self.chirp[k]);
        }
        for v in &mut self.buf[self.m..] {
            *v = C4::zero();
        }
        self.inner.forward(&mut self.buf);
        // Inverse transform via conj(FFT(conj(.))); the 1/len is folded into the kernel.
        for k in 0..len {
            let v = self.buf[k].twiddle(self.kernel[k]);
            self.buf[k] = C4 { re: v.re, im: F4::zero() - v.im };
        }
        self.inner.forward(&mut self.buf);
        for k in 0..self.m {
            let v = C4 { re: self.buf[k].re, im: F4::zero() - self.buf[k].im };
            x[k] = v.twiddle(self.chirp[k]);
        }
    }
}

/// Plain iterative radix-2 FFT in f64, used only to build the Bluestein kernel.
fn dft_f64_pow2(x: &[(f64, f64)]) -> Vec<(f64, f64)> {
    let n = x.len();
    let bits = n.trailing_zeros();
    let mut a: Vec<(f64, f64)> = (0..n)
        .map(|i| x[if bits == 0 { 0 } else { i.reverse_bits() >> (usize::BITS - bits) }])
        .collect();
    let mut size = 2;
    while size <= n {
        let half = size / 2;
        for start in (0..n).step_by(size) {
            for j in 0..half {
                let (c, s) = expi(j as u64, size as u64);
                let (ur, ui) = a[start + j];
                let (vr, vi) = a[start + j + half];
                let (tr, ti) = (vr * c - vi * s, vr * s + vi * c);
                a[start + j] = (ur + tr, ui + ti);
                a[start + j + half] = (ur - tr, ui - ti);
            }
        }
        size *= 2;
    }
    a
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naive(x: &[(f64, f64)]) -> Vec<(f64, f64)> {
        let n = x.len();
        (0..n)
            .map(|k| {
                let mut acc = (0.0, 0.0);
                for (j, &(re, im)) in x.iter().enumerate() {
                    let (c, s) = expi((j * k) as u64, n as u64);
                    acc.0 += re * c - im * s;
                    acc.1 += re * s + im * c;
                }
                acc
            })
            .collect()
    }

    fn check(n: usize) {
        // Four different signals, one per lane.
        let sig = |lane: usize, j: usize| -> (f64, f64) {
            let t = (j * 7919 + lane * 104_729) as f64;
            (((t * 0.618).sin() * 0.9), ((t * 0.377).cos() * 0.5))
        };
        let mut x: Vec<C4> = (0..n)
            .map(|j| {
                let v: Vec<(f64, f64)> = (0..4).map(|l| sig(l, j)).collect();
                C4 {
                    re: F4::new(v[0].0 as f32, v[1].0 as f32, v[2].0 as f32, v[3].0 as f32),
                    im: F4::new(v[0].1 as f32, v[1].1 as f32, v[2].1 as f32, v[3].1 as f32),
                }
            })
            .collect();
        let mut fft = ComplexFft::new(n);
        fft.forward(&mut x);
        for lane in 0..4 {
            let input: Vec<(f64, f64)> =
                (0..n).map(|j| (sig(lane, j).0 as f32 as f64, sig(lane, j).1 as f32 as f64)).collect();
            let want = naive(&input);
            let scale = (n as f64).sqrt();
            for k in 0..n {
                let got = (x[k].re.to_array()[lane] as f64, x[k].im.to_array()[lane] as f64);
                let err = ((got.0 - want[k].0).powi(2) + (got.1 - want[k].1).powi(2)).sqrt();
                assert!(err < 2e-5 * scale * (n as f64).log2().max(1.0), "n={n} lane={lane} k={k} err={err}");
            }
        }
    }

    #[test]
    fn matches_naive_dft_for_many_lengths() {
        for n in 1..=80 {
            check(n);
        }
        for n in [97, 100, 101, 121, 125, 127, 128, 169, 200, 211, 243, 256, 343, 400, 512, 625, 800, 961, 1024, 1031] {
            check(n);
        }
    }

    #[test]
    fn factorizes_with_radix_four_first() {
        assert_eq!(factorize(200), vec![4, 2, 5, 5]);
        assert_eq!(factorize(512), vec![4, 4, 4, 4, 2]);
        assert_eq!(factorize(1031), vec![1031]);
        assert_eq!(factorize(7 * 7 * 3), vec![3, 7, 7]);
    }
}
