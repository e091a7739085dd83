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
    let (mut s, mut q) = ([sums[0], sums[1], sums[2], sums[3]], [sums[4], sums[5], sums[6], sums[7]]);
    let body = &values[i..];
    let groups = body.len() / 4;
    for g in 0..groups {
        for k in 0..4 {
            let d = deviation(body[4 * g + k], floor, shift);
            s[k] += d;
            q[k] += d * d;
        }
    }
    for k in 0..4 {
        sums[k] = s[k];
        sums[4 + k] = q[k];
    }
    for (k, v) in body[4 * groups..].iter().enumerate() {
        let d = deviation(*v, floor, shift);
        sums[k] += d;
        sums[4 + k] += d * d;
    }
}

/// `values[i] = (S - mean) * inv` in place (mean 0 and inv 1 without normalisation: S itself).
pub fn apply(values: &mut [f32], floor: f64, mean: f64, inv: f64) {
    for v in values.iter_mut() {
        let l = *v as f64;
        *v = ((((if l > floor { l } else { floor }) + 4.0) * 0.25 - mean) * inv) as f32;
    }
}

/// `apply` of a block of whole frames (`values` frame-major, `n_mels` per frame) written mel-major
/// into `out` (`[n_mels][frames]`): the same values, transposed while they are in cache. Tiles of 16
/// frames: each mel row gets 16 consecutive outputs (one cache line) per tile.
pub fn apply_transposed(values: &[f32], n_mels: usize, out: &mut [f32], floor: f64, mean: f64, inv: f64) {
    let frames = values.len() / n_mels;
    let out = &mut out[..frames * n_mels];
    let mut f0 = 0;
    while f0 < frames {
        let f1 = (f0 + 16).min(frames);
        for m in 0..n_mels {
            let row = &mut out[m * frames + f0..m * frames + f1];
            for (k, o) in row.iter_mut().enumerate() {
                let l = values[(f0 + k) * n_mels + m] as f64;
                *o = ((((if l > floor { l } else { floor }) + 4.0) * 0.25 - mean) * inv) as f32;
            }
        }
        f0 = f1;
    }
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
