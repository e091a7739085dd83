//! The file-wide end of the log-mel (docs/behaviour.md#spectrogram, steps 7-8) over raw frames the
//! host hands back block by block: `S = (max(L, floor) + 4) / 4` and, with normalisation,
//! `(S - mean) * (1 / std)`, in f64 with one f32 rounding. The statistics (sums of `d = S - shift`
//! and of `d^2`) are kept in four lanes by the value's position in the whole signal (position mod 4),
//! each lane adding its values in order, so the sums do not depend on how the blocks were cut. The
//! host keeps the sums between calls (they live in `SUMS` only during a call).

/// `S - shift` for one raw value.
#[inline(always)]
fn deviation(l: f32, floor: f64, shift: f64) -> f64 {
    let l = l as f64;
    ((if l > floor { l } else { floor }) + 4.0) * 0.25 - shift
}

/// Adds the deviations of `values` (whose first value sits at `lane` mod 4 in the signal) to the
/// per-lane `sums[0..4]` and `sums[4..8]` (squares).
pub fn scan(values: &[f32], floor: f64, shift: f64, lane: usize, sums: &mut [f64; 8]) {
    let mut lane = lane % 4;
    let mut i = 0;
    while i < values.len() && lane != 0 {
        let d = deviation(values[i], floor, shift);
        sums[lane] += d;
        sums[4 + lane] += d * d;
        lane = (lane + 1) % 4;
        i += 1;
    }
    let body = &values[i..];
    let groups = body.len() / 4;
    scan_groups(&body[..4 * groups], floor, shift, sums);
    for (k, v) in body[4 * groups..].iter().enumerate() {
        let d = deviation(*v, floor, shift);
        sums[k] += d;
        sums[4 + k] += d * d;
    }
}

/// `scan` of whole groups of four values starting at lane 0.
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
fn scan_groups(body: &[f32], floor: f64, shift: f64, sums: &mut [f64; 8]) {
    let (mut s, mut q) = ([sums[0], sums[1], sums[2], sums[3]], [sums[4], sums[5], sums[6], sums[7]]);
    for g in body.chunks_exact(4) {
        for k in 0..4 {
            let d = deviation(g[k], floor, shift);
            s[k] += d;
            q[k] += d * d;
        }
    }
    sums[..4].copy_from_slice(&s);
    sums[4..].copy_from_slice(&q);
}

/// `scan` of whole groups of four values starting at lane 0, lanes (0, 1) and (2, 3) in two f64x2:
/// each lane adds the same values in the same order as the scalar loop, so the sums are identical.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
fn scan_groups(body: &[f32], floor: f64, shift: f64, sums: &mut [f64; 8]) {
    use core::arch::wasm32::*;
    let (fl, four, quarter, sh) = (f64x2_splat(floor), f64x2_splat(4.0), f64x2_splat(0.25), f64x2_splat(shift));
    // pmax(floor, l) = floor < l ? l : floor, the scalar `if l > floor { l } else { floor }`.
    let dev = |l: v128| f64x2_sub(f64x2_mul(f64x2_add(f64x2_pmax(fl, l), four), quarter), sh);
    let (mut s01, mut s23) = (f64x2(sums[0], sums[1]), f64x2(sums[2], sums[3]));
    let (mut q01, mut q23) = (f64x2(sums[4], sums[5]), f64x2(sums[6], sums[7]));
    let p = body.as_ptr();
    let mut i = 0;
    // Safety: i + 4 <= body.len() (whole groups).
    unsafe {
        while i < body.len() {
            let d01 = dev(f64x2_promote_low_f32x4(v128_load64_zero(p.add(i) as *const u64)));
            let d23 = dev(f64x2_promote_low_f32x4(v128_load64_zero(p.add(i + 2) as *const u64)));
            s01 = f64x2_add(s01, d01);
            s23 = f64x2_add(s23, d23);
            q01 = f64x2_add(q01, f64x2_mul(d01, d01));
            q23 = f64x2_add(q23, f64x2_mul(d23, d23));
            i += 4;
        }
    }
    let lanes = |v: v128| [f64x2_extract_lane::<0>(v), f64x2_extract_lane::<1>(v)];
    sums[..2].copy_from_slice(&lanes(s01));
    sums[2..4].copy_from_slice(&lanes(s23));
    sums[4..6].copy_from_slice(&lanes(q01));
    sums[6..].copy_from_slice(&lanes(q23));
}

/// `S` standardised, rounded once to f32.
#[inline(always)]
fn finished(l: f32, floor: f64, mean: f64, inv: f64) -> f32 {
    let l = l as f64;
    ((((if l > floor { l } else { floor }) + 4.0) * 0.25 - mean) * inv) as f32
}

/// `values[i] = (S - mean) * inv` in place (mean 0 and inv 1 without normalisation: S itself).
pub fn apply(values: &mut [f32], floor: f64, mean: f64, inv: f64) {
    for v in values.iter_mut() {
        *v = finished(*v, floor, mean, inv);
    }
}

/// `apply` of a block of whole frames (`values` frame-major, `n_mels` per frame) written mel-major
/// into `out` (`[n_mels][frames]`): the same values, transposed while they are in cache. Tiles of 64
/// frames (each mel row gets four cache lines per tile; measured a little faster than 16 or 32);
/// within a tile, 4x4 squares (four frames of four mels) are transposed in registers where the
/// target has SIMD.
pub fn apply_transposed(values: &[f32], n_mels: usize, out: &mut [f32], floor: f64, mean: f64, inv: f64) {
    let frames = values.len() / n_mels;
    let out = &mut out[..frames * n_mels];
    let mut f0 = 0;
    while f0 < frames {
        let f1 = (f0 + 64).min(frames);
        let (f_simd, m_simd) = squares(f0, f1, values, n_mels, out, floor, mean, inv);
        for m in 0..n_mels {
            let from = if m < m_simd { f_simd } else { f0 };
            let row = &mut out[m * frames + from..m * frames + f1];
            for (k, o) in row.iter_mut().enumerate() {
                *o = finished(values[(from + k) * n_mels + m], floor, mean, inv);
            }
        }
        f0 = f1;
    }
}

/// Without SIMD: nothing done by squares (returns the frame and mel ends of what it did).
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn squares(f0: usize, _f1: usize, _v: &[f32], _n: usize, _o: &mut [f32], _fl: f64, _me: f64, _in: f64) -> (usize, usize) {
    (f0, 0)
}

/// Frames `f0..` (whole groups of four up to `f1`) of mels `0..` (whole groups of four) of a tile
/// through 4x4 register transposes; the value of each output is computed exactly as `finished`
/// (f64 promote, the same operations, one round to f32). Returns the frame and mel ends covered.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn squares(
    f0: usize,
    f1: usize,
    values: &[f32],
    n_mels: usize,
    out: &mut [f32],
    floor: f64,
    mean: f64,
    inv: f64,
) -> (usize, usize) {
    use crate::lanes::F4;
    use core::arch::wasm32::*;
    let frames = out.len() / n_mels;
    let f_end = f0 + (f1 - f0) / 4 * 4;
    let m_end = n_mels / 4 * 4;
    // ((u / 4) - mean) * inv == (u - 4 mean) * (inv / 4) bit for bit: scaling by a power of two is
    // exact and commutes with rounding (no values here come near the subnormal or overflow range).
    let (fl, four, me4, iv4) = (f64x2_splat(floor), f64x2_splat(4.0), f64x2_splat(4.0 * mean), f64x2_splat(0.25 * inv));
    let fin = |l: v128| f64x2_mul(f64x2_sub(f64x2_add(f64x2_pmax(fl, l), four), me4), iv4);
    let finish4 = |v: v128| {
        let lo = f32x4_demote_f64x2_zero(fin(f64x2_promote_low_f32x4(v)));
        let hi = f32x4_demote_f64x2_zero(fin(f64x2_promote_low_f32x4(i64x2_shuffle::<1, 1>(v, v))));
        i64x2_shuffle::<0, 2>(lo, hi)
    };
    let (src, dst) = (values.as_ptr(), out.as_mut_ptr());
    // Safety: frames f..f + 4 <= f1 <= frames and mels m..m + 4 <= n_mels index inside `values`
    // (frames * n_mels values) and `out` (the same count).
    unsafe {
        let mut m = 0;
        while m < m_end {
            let mut f = f0;
            while f < f_end {
                let at = |k: usize| F4::load(src.add((f + k) * n_mels + m));
                let cols = F4::transpose(at(0), at(1), at(2), at(3));
                for (j, c) in cols.iter().enumerate() {
                    v128_store(dst.add((m + j) * frames + f) as *mut v128, finish4(c.0));
                }
                f += 4;
            }
            m += 4;
        }
    }
    (f_end, m_end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_do_not_depend_on_the_blocks() {
        let values: Vec<f32> = (0..1003).map(|i| ((i * 7919) % 1000) as f32 / 100.0 - 9.0).collect();
        let (floor, shift) = (-7.5, -0.1);
        let mut whole = [0f64; 8];
        scan(&values, floor, shift, 0, &mut whole);
        for block in [1, 2, 3, 5, 80, 333] {
            let mut sums = [0f64; 8];
            let mut at = 0;
            while at < values.len() {
                let end = (at + block).min(values.len());
                scan(&values[at..end], floor, shift, at % 4, &mut sums);
                at = end;
            }
            assert!(sums.iter().zip(&whole).all(|(a, b)| a.to_bits() == b.to_bits()), "block {block}");
        }
        let direct: f64 = values.iter().map(|v| deviation(*v, floor, shift)).sum();
        assert!((whole[..4].iter().sum::<f64>() - direct).abs() < 1e-9);
    }

    #[test]
    fn apply_transposed_is_apply_then_transpose() {
        let (n_mels, frames) = (3, 37);
        let values: Vec<f32> = (0..n_mels * frames).map(|i| ((i * 7919) % 1000) as f32 / 100.0 - 9.0).collect();
        let mut applied = values.clone();
        apply(&mut applied, -7.5, 0.3, 1.7);
        let mut out = vec![0f32; n_mels * frames];
        apply_transposed(&values, n_mels, &mut out, -7.5, 0.3, 1.7);
        for f in 0..frames {
            for m in 0..n_mels {
                assert_eq!(out[m * frames + f].to_bits(), applied[f * n_mels + m].to_bits(), "frame {f} mel {m}");
            }
        }
    }

    #[test]
    fn apply_floors_scales_and_standardises() {
        let mut v = [-20.0f32, -1.0, 2.0];
        apply(&mut v, -6.0, 0.0, 1.0);
        assert_eq!(v, [-0.5, 0.75, 1.5]);
        let mut w = [2.0f32];
        apply(&mut w, -6.0, 1.0, 2.0);
        assert_eq!(w, [1.0]);
    }
}
