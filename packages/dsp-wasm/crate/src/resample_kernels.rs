//! Resampler stage kernels in f32, four lanes at a time. Every output is computed by the same
//! lane operations in the same order whichever group it falls in (16, 4 or 1 at a time), so the
//! result never depends on how a stream was chunked.

use crate::lanes::F4;

/// Polyphase outputs from an interpolated table (`rows == MAX_PHASES + 1`): each output's
/// coefficients are c0 + t (c1 - c0) between rows r and r + 1, with r = floor(phase * MAX / up)
/// and t = (phase * MAX mod up) / up rounded to f32. Lane r sums taps i = r mod 4 in order, then
/// (lane 0 + lane 1) + (lane 2 + lane 3).
pub fn polyphase_interpolated(
    coef: &[f32],
    up: i64,
    down: i64,
    taps: usize,
    half: i64,
    max_phases: i64,
    input: &[f32],
    input_start: i64,
    first: i64,
    out: &mut [f32],
) {
    let step_base = down.div_euclid(up);
    let step_phase = down.rem_euclid(up);
    let mut base = (first * down).div_euclid(up);
    let mut phase = (first * down).rem_euclid(up);
    assert!(taps % 4 == 0 && coef.len() >= (max_phases as usize + 1) * taps);
    for o in out.iter_mut() {
        let at = (base - half + 1 - input_start) as usize;
        assert!(at + taps <= input.len());
        let position = phase * max_phases;
        let r = position.div_euclid(up);
        let t = F4::splat(((position - r * up) as f64 / up as f64) as f32);
        let row0 = r as usize * taps;
        let row1 = row0 + taps;
        let mut acc = F4::zero();
        let mut i = 0;
        while i < taps {
            // Safety: rows r, r + 1 <= max_phases and the input range were checked.
            unsafe {
                let c0 = F4::load(coef.as_ptr().add(row0 + i));
                let c1 = F4::load(coef.as_ptr().add(row1 + i));
                acc = acc + (c0 + t * (c1 - c0)) * F4::load(input.as_ptr().add(at + i));
            }
            i += 4;
        }
        let v = acc.to_array();
        *o = (v[0] + v[1]) + (v[2] + v[3]);
        base += step_base;
        phase += step_phase;
        if phase >= up {
            phase -= up;
            base += 1;
        }
    }
}

/// Half-band decimation from split streams: `even[q]` = u[2k] and `odd[q + i]` = u[2(k - K + i) + 1]
/// for output k = first + q, so y = 0.5 even[q] + sum_j c[j] (odd[q + K - 1 - j] + odd[q + K + j]).
pub fn halfband_decimate(c: &[f32], even: &[f32], odd: &[f32], out: &mut [f32]) {
    let k = c.len();
    let count = out.len();
    assert!(even.len() >= count && odd.len() + 1 >= count + 2 * k);
    let half = F4::splat(0.5);
    let mut q = 0;
    // Safety (all loads below): indices read are q + K - 1 - j >= 0 up to q + 2K + 14 < count + 2K - 1.
    while q + 16 <= count {
        unsafe {
            let mut a = [F4::zero(); 4];
            for (v, acc) in a.iter_mut().enumerate() {
                *acc = half * F4::load(even.as_ptr().add(q + 4 * v));
            }
            let base = odd.as_ptr().add(q + k);
            for (j, cj) in c.iter().enumerate() {
                let cj = F4::splat(*cj);
                let l = base.sub(1 + j);
                let r = base.add(j);
                a[0] = a[0] + cj * (F4::load(l) + F4::load(r));
                a[1] = a[1] + cj * (F4::load(l.add(4)) + F4::load(r.add(4)));
                a[2] = a[2] + cj * (F4::load(l.add(8)) + F4::load(r.add(8)));
                a[3] = a[3] + cj * (F4::load(l.add(12)) + F4::load(r.add(12)));
            }
            for (v, acc) in a.iter().enumerate() {
                acc.store(out.as_mut_ptr().add(q + 4 * v));
            }
        }
        q += 16;
    }
    while q + 4 <= count {
        unsafe {
            let mut a = half * F4::load(even.as_ptr().add(q));
            let base = odd.as_ptr().add(q + k);
            for (j, cj) in c.iter().enumerate() {
                a = a + F4::splat(*cj) * (F4::load(base.sub(1 + j)) + F4::load(base.add(j)));
            }
            a.store(out.as_mut_ptr().add(q));
        }
        q += 4;
    }
    while q < count {
        let mut a = 0.5 * even[q];
        for (j, cj) in c.iter().enumerate() {
            a += cj * (odd[q + k - 1 - j] + odd[q + k + j]);
        }
        out[q] = a;
        q += 1;
    }
}

/// Odd half-band interpolation outputs: `odd_out[q]` = sum_j c[j] (x[n - j] + x[n + 1 + j]) for
/// n = n0 + q, where `input[i]` = x[n0 - K + 1 + i].
pub fn halfband_interpolate_odd(c: &[f32], input: &[f32], odd_out: &mut [f32]) {
    let k = c.len();
    let count = odd_out.len();
    assert!(input.len() >= count + 2 * k - 1);
    let mut q = 0;
    // Safety: the largest index read is q + 7 + 2K - 1 < count + 2K - 1 (q + 8 <= count).
    while q + 8 <= count {
        unsafe {
            let base = input.as_ptr().add(q + k - 1);
            let mut a0 = F4::zero();
            let mut a1 = F4::zero();
            for (j, cj) in c.iter().enumerate() {
                let cj = F4::splat(*cj);
                let l = base.sub(j);
                let r = base.add(1 + j);
                a0 = a0 + cj * (F4::load(l) + F4::load(r));
                a1 = a1 + cj * (F4::load(l.add(4)) + F4::load(r.add(4)));
            }
            a0.store(odd_out.as_mut_ptr().add(q));
            a1.store(odd_out.as_mut_ptr().add(q + 4));
        }
        q += 8;
    }
    while q < count {
        let mut a = 0f32;
        for (j, cj) in c.iter().enumerate() {
            a += cj * (input[q + k - 1 - j] + input[q + k + j]);
        }
        odd_out[q] = a;
        q += 1;
    }
}

/// `dst[i] = src[2 i]` for every i < dst.len() (`src` holds at least 2 dst.len() - 1 values).
pub fn every_other(src: &[f32], dst: &mut [f32]) {
    let n = dst.len();
    assert!(n == 0 || src.len() >= 2 * n - 1);
    let mut i = 0;
    // Safety: the loads read src[2i .. 2i + 8), and 2i + 8 <= 2n - 2 while i + 4 < n.
    while i + 4 < n {
        unsafe {
            let a = F4::load(src.as_ptr().add(2 * i));
            let b = F4::load(src.as_ptr().add(2 * i + 4));
            F4::even_lanes(a, b).store(dst.as_mut_ptr().add(i));
        }
        i += 4;
    }
    while i < n {
        dst[i] = src[2 * i];
        i += 1;
    }
}
