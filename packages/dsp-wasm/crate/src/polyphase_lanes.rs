//! Polyphase stage from an exact table (`rows == up`), outputs one rate period apart in separate
//! SIMD lanes: outputs m and m + S (S a multiple of `up`) use the same coefficient row and inputs
//! S * down / up apart, so lane j computes output m + jS with a splatted coefficient times lane j
//! of an interleaved copy of the input. No horizontal sums, no shuffles per output. Whole groups
//! run eight lanes (two interleaved copies, each coefficient splat serving both); the rest four.
//!
//! Every output is c[0] x[0] + c[1] x[1] + ... summed in tap order in one f32 lane, whichever lane
//! or group computes it: streams stay bit-identical to whole-array calls.

use crate::lanes::F4;

/// Outputs per lane of a full four-lane group (rounded down to whole rate periods): the
/// interleaved input and the coefficients stay in L1.
const LANE_OUTPUTS: i64 = 1024;
/// The same for eight lanes (two interleaved copies).
const LANE_OUTPUTS_8: i64 = 512;

pub struct PolyphaseLanes {
    up: i64,
    down: i64,
    taps: usize,
    half: i64,
    /// Row p (p < up) holds the coefficients of outputs m = p mod up (phase p * down mod up).
    rows: Vec<f32>,
    /// base(m + 1) - base(m) for m = p mod up, base(m) = floor(m * down / up).
    steps: Vec<u32>,
    /// Interleaved input: entry i holds lane j's input i at [4 i + j].
    x4: Vec<f32>,
}

impl PolyphaseLanes {
    /// From a table whose row r holds phase r (`coef.len() >= up * taps`).
    pub fn new(coef: &[f32], up: i64, down: i64, taps: usize, half: i64) -> PolyphaseLanes {
        let u = up as usize;
        let mut rows = Vec::with_capacity(u * taps);
        let mut steps = Vec::with_capacity(u);
        for p in 0..up {
            let phase = ((p * down).rem_euclid(up)) as usize;
            rows.extend_from_slice(&coef[phase * taps..(phase + 1) * taps]);
            steps.push((((p + 1) * down).div_euclid(up) - (p * down).div_euclid(up)) as u32);
        }
        PolyphaseLanes { up, down, taps, half, rows, steps, x4: Vec::new() }
    }

    fn base(&self, m: i64) -> i64 {
        (m * self.down).div_euclid(self.up)
    }

    /// Outputs `first .. first + out.len()`; `input[i]` is the input sample at index `input_start + i`.
    pub fn run(&mut self, input: &[f32], input_start: i64, first: i64, out: &mut [f32]) {
        let up = self.up;
        let full = (LANE_OUTPUTS / up).max(1) * up;
        let end = first + out.len() as i64;
        let mut m = first;
        let full8 = (LANE_OUTPUTS_8 / up).max(1) * up;
        while end - m >= 8 * full8 {
            self.group8(input, input_start, m, full8, &mut out[(m - first) as usize..]);
            m += 8 * full8;
        }
        let mut group = |m0: i64, span: i64, lanes: usize, count: i64, this: &mut Self| {
            this.group(input, input_start, m0, span, lanes, count as usize, &mut out[(m0 - first) as usize..]);
        };
        while end - m >= 4 * full {
            group(m, full, 4, full, self);
            m += 4 * full;
        }
        let periods = (end - m) / (4 * up);
        if periods > 0 {
            group(m, periods * up, 4, periods * up, self);
            m += 4 * periods * up;
        }
        let lanes = (end - m) / up;
        if lanes > 0 {
            group(m, up, lanes as usize, up, self);
            m += lanes * up;
        }
        if end > m {
            group(m, up, 1, end - m, self);
        }
    }

    /// Eight lanes, two interleaved copies of four: lane j < 8 computes outputs m0 + j span + q for
    /// q < span into out[j span + q] (`span` a multiple of `up`). Each coefficient load serves two
    /// vectors.
    fn group8(&mut self, input: &[f32], input_start: i64, m0: i64, span: i64, out: &mut [f32]) {
        let taps = self.taps;
        let count = span as usize;
        let b0 = self.base(m0);
        let len = (self.base(m0 + span - 1) - b0) as usize + taps;
        let shift = (span / self.up * self.down) as usize;
        let from = (b0 - self.half + 1 - input_start) as usize;
        let at = |j0: usize| [0, 1, 2, 3].map(|j| from + (j0 + j) * shift);
        assert!(from + 7 * shift + len <= input.len());
        assert!(8 * count <= out.len());
        if self.x4.len() < 8 * len {
            self.x4.resize(8 * len, 0.0);
        }
        let (xa, xb) = self.x4[..8 * len].split_at_mut(4 * len);
        interleave(input, at(0), len, xa);
        interleave(input, at(4), len, xb);
        let p0 = m0.rem_euclid(self.up) as usize;
        let (xa, xb) = (&*xa, &*xb);
        // Tap counts known at compile time for the common designs (about 8% faster than a
        // run-time count, measured; each costs ~2.7 KB of dsp.wasm), any count otherwise.
        macro_rules! dispatch {
            ($($n:literal)*) => {
                match taps {
                    $($n => steps8_fixed::<$n>(&self.rows, &self.steps, xa, xb, p0, count, out),)*
                    _ => steps8_any(taps, &self.rows, &self.steps, xa, xb, p0, count, out),
                }
            };
        }
        dispatch!(8 12 16 20 24 28 32);
    }

    /// Lane j < `lanes` computes outputs m0 + j span + q for q < count into out[j span + q]
    /// (`span` a multiple of `up`); the other lanes repeat lane 0 and are not stored.
    #[allow(clippy::too_many_arguments)]
    fn group(
        &mut self,
        input: &[f32],
        input_start: i64,
        m0: i64,
        span: i64,
        lanes: usize,
        count: usize,
        out: &mut [f32],
    ) {
        let taps = self.taps;
        let b0 = self.base(m0);
        let len = (self.base(m0 + count as i64 - 1) - b0) as usize + taps;
        let shift = (span / self.up * self.down) as usize;
        let from = (b0 - self.half + 1 - input_start) as usize;
        let mut at = [from; 4];
        for (j, a) in at.iter_mut().enumerate().take(lanes) {
            *a += j * shift;
        }
        assert!(at[lanes - 1] + len <= input.len());
        assert!((lanes - 1) * span as usize + count <= out.len());
        if self.x4.len() < 4 * len {
            self.x4.resize(4 * len, 0.0);
        }
        interleave(input, at, len, &mut self.x4);
        let p0 = m0.rem_euclid(self.up) as usize;
        let x4 = &self.x4[..4 * len];
        steps(taps, &self.rows, &self.steps, x4, p0, lanes, span as usize, count, out);
    }
}

/// x4[4 i + j] = input[at[j] + i] for i < len.
#[inline(never)]
fn interleave(input: &[f32], at: [usize; 4], len: usize, x4: &mut [f32]) {
    let mut i = 0;
    // Safety: at[j] + len <= input.len() (asserted by the caller) and x4.len() >= 4 len.
    while i + 4 <= len {
        unsafe {
            let p = input.as_ptr();
            let t = F4::transpose(
                F4::load(p.add(at[0] + i)),
                F4::load(p.add(at[1] + i)),
                F4::load(p.add(at[2] + i)),
                F4::load(p.add(at[3] + i)),
            );
            for (k, v) in t.iter().enumerate() {
                v.store(x4.as_mut_ptr().add(4 * (i + k)));
            }
        }
        i += 4;
    }
    while i < len {
        for j in 0..4 {
            x4[4 * i + j] = input[at[j] + i];
        }
        i += 1;
    }
}

/// Writes lane j of `v` to out[j span + q] for j < lanes.
#[inline(always)]
fn store_lanes(v: F4, lanes: usize, span: usize, q: usize, out: &mut [f32]) {
    let a = v.to_array();
    for j in 0..lanes {
        out[j * span + q] = a[j];
    }
}

/// Four lanes: the outputs left over after whole eight-lane groups (a few percent of them).
#[allow(clippy::too_many_arguments)]
#[inline(never)]
fn steps(
    taps: usize,
    rows: &[f32],
    step: &[u32],
    x4: &[f32],
    p0: usize,
    lanes: usize,
    span: usize,
    count: usize,
    out: &mut [f32],
) {
    let up = step.len();
    assert!(rows.len() == up * taps);
    let (c, x) = (rows.as_ptr(), x4.as_ptr());
    let mut p = p0;
    let mut pos = 0usize;
    let next = |p: &mut usize, pos: &mut usize| -> (usize, usize) {
        let current = (*p * taps, 4 * *pos);
        *pos += step[*p] as usize;
        *p += 1;
        if *p == up {
            *p = 0;
        }
        current
    };
    // Every step reads x4 entries pos .. pos + taps, and pos + taps <= len (the caller sized x4 from
    // the last step's position); rows are inside the table.
    let mut q = 0;
    while q + 4 <= count {
        let (r0, a0) = next(&mut p, &mut pos);
        let (r1, a1) = next(&mut p, &mut pos);
        let (r2, a2) = next(&mut p, &mut pos);
        let (r3, a3) = next(&mut p, &mut pos);
        assert!(a3 + 4 * taps <= x4.len());
        // Safety: a0 <= a1 <= a2 <= a3, and a3 + 4 taps <= x4.len() (asserted); rows r < up taps.
        let s = unsafe {
            let mut s0 = F4::splat(*c.add(r0)) * F4::load(x.add(a0));
            let mut s1 = F4::splat(*c.add(r1)) * F4::load(x.add(a1));
            let mut s2 = F4::splat(*c.add(r2)) * F4::load(x.add(a2));
            let mut s3 = F4::splat(*c.add(r3)) * F4::load(x.add(a3));
            for t in 1..taps {
                s0 = s0 + F4::splat(*c.add(r0 + t)) * F4::load(x.add(a0 + 4 * t));
                s1 = s1 + F4::splat(*c.add(r1 + t)) * F4::load(x.add(a1 + 4 * t));
                s2 = s2 + F4::splat(*c.add(r2 + t)) * F4::load(x.add(a2 + 4 * t));
                s3 = s3 + F4::splat(*c.add(r3 + t)) * F4::load(x.add(a3 + 4 * t));
            }
            [s0, s1, s2, s3]
        };
        if lanes == 4 {
            let t = F4::transpose(s[0], s[1], s[2], s[3]);
            for (j, v) in t.iter().enumerate() {
                let o = &mut out[j * span + q..j * span + q + 4];
                // Safety: o has 4 values.
                unsafe { v.store(o.as_mut_ptr()) };
            }
        } else {
            for (k, v) in s.iter().enumerate() {
                store_lanes(*v, lanes, span, q + k, out);
            }
        }
        q += 4;
    }
    while q < count {
        let (r, a) = next(&mut p, &mut pos);
        assert!(a + 4 * taps <= x4.len());
        // Safety: as above.
        let s = unsafe {
            let mut s = F4::splat(*c.add(r)) * F4::load(x.add(a));
            for t in 1..taps {
                s = s + F4::splat(*c.add(r + t)) * F4::load(x.add(a + 4 * t));
            }
            s
        };
        store_lanes(s, lanes, span, q, out);
        q += 1;
    }
}

/// `steps` for eight lanes: lanes 0-3 read `xa`, lanes 4-7 `xb`, each coefficient splat serves
/// both; every lane sums its output's taps in order, as `steps` does.
#[allow(clippy::too_many_arguments)]
#[inline(always)]
fn steps8(
    taps: usize,
    rows: &[f32],
    step: &[u32],
    xa: &[f32],
    xb: &[f32],
    p0: usize,
    count: usize,
    out: &mut [f32],
) {
    let up = step.len();
    assert!(rows.len() == up * taps && xa.len() == xb.len() && 8 * count <= out.len());
    let (c, pa, pb) = (rows.as_ptr(), xa.as_ptr(), xb.as_ptr());
    let mut p = p0;
    let mut pos = 0usize;
    let next = |p: &mut usize, pos: &mut usize| -> (usize, usize) {
        let current = (*p * taps, 4 * *pos);
        *pos += step[*p] as usize;
        *p += 1;
        if *p == up {
            *p = 0;
        }
        current
    };
    // Outputs (r0, a0) and (r1, a1), both halves: [out 0 lanes 0-3, out 0 lanes 4-7, out 1 ...].
    let two = |(r0, a0): (usize, usize), (r1, a1): (usize, usize)| -> [F4; 4] {
        assert!(a1 + 4 * taps <= xa.len());
        // Safety: a0 <= a1 and a1 + 4 taps <= xa.len() = xb.len() (asserted); rows r < up taps.
        unsafe {
            let (c0, c1) = (F4::splat(*c.add(r0)), F4::splat(*c.add(r1)));
            let mut s0 = c0 * F4::load(pa.add(a0));
            let mut s1 = c0 * F4::load(pb.add(a0));
            let mut s2 = c1 * F4::load(pa.add(a1));
            let mut s3 = c1 * F4::load(pb.add(a1));
            for t in 1..taps {
                let (c0, c1) = (F4::splat(*c.add(r0 + t)), F4::splat(*c.add(r1 + t)));
                s0 = s0 + c0 * F4::load(pa.add(a0 + 4 * t));
                s1 = s1 + c0 * F4::load(pb.add(a0 + 4 * t));
                s2 = s2 + c1 * F4::load(pa.add(a1 + 4 * t));
                s3 = s3 + c1 * F4::load(pb.add(a1 + 4 * t));
            }
            [s0, s1, s2, s3]
        }
    };
    let mut q = 0;
    while q + 4 <= count {
        let (o0, o1) = (next(&mut p, &mut pos), next(&mut p, &mut pos));
        let u = two(o0, o1);
        let (o2, o3) = (next(&mut p, &mut pos), next(&mut p, &mut pos));
        let v = two(o2, o3);
        for (half, rows4) in [F4::transpose(u[0], u[2], v[0], v[2]), F4::transpose(u[1], u[3], v[1], v[3])]
            .iter()
            .enumerate()
        {
            for (j, row) in rows4.iter().enumerate() {
                let at = (4 * half + j) * count + q;
                let o = &mut out[at..at + 4];
                // Safety: o has 4 values.
                unsafe { row.store(o.as_mut_ptr()) };
            }
        }
        q += 4;
    }
    while q < count {
        let o = next(&mut p, &mut pos);
        let s = two(o, o);
        let (a, b) = (s[0].to_array(), s[1].to_array());
        for j in 0..4 {
            out[j * count + q] = a[j];
            out[(4 + j) * count + q] = b[j];
        }
        q += 1;
    }
}

// Not inlined: each is its own small function, which the engine compiles (and tiers up to its
// optimising compiler) on its own.
#[allow(clippy::too_many_arguments)]
#[inline(never)]
fn steps8_fixed<const N: usize>(
    rows: &[f32],
    step: &[u32],
    xa: &[f32],
    xb: &[f32],
    p0: usize,
    count: usize,
    out: &mut [f32],
) {
    steps8(N, rows, step, xa, xb, p0, count, out);
}

#[allow(clippy::too_many_arguments)]
#[inline(never)]
fn steps8_any(taps: usize, rows: &[f32], step: &[u32], xa: &[f32], xb: &[f32], p0: usize, count: usize, out: &mut [f32]) {
    steps8(taps, rows, step, xa, xb, p0, count, out);
}
