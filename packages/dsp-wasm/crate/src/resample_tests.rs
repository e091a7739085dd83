//! Native tests of the resampler: the streaming engine and its SIMD kernels against a direct f64
//! evaluation of each stage's definition (zeros outside the signal), chunking invariance, the ABI.

use crate::resample::{Resampler, MAX_PHASES};
use crate::*;

fn noise(len: usize, seed: u64) -> Vec<f32> {
    let mut state = seed;
    (0..len)
        .map(|_| {
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            ((state >> 40) as f64 / (1u64 << 24) as f64 - 0.5) as f32
        })
        .collect()
}

#[derive(Clone)]
enum Spec {
    Poly { up: i64, down: i64, taps: usize, rows: usize, coef: Vec<f32> },
    Half { decimate: bool, coef: Vec<f32> },
}

fn poly(up: i64, down: i64, taps: usize, seed: u64) -> Spec {
    let rows = if up > MAX_PHASES { MAX_PHASES as usize + 1 } else { up as usize };
    Spec::Poly { up, down, taps, rows, coef: noise(rows * taps, seed) }
}

fn half(decimate: bool, pairs: usize, seed: u64) -> Spec {
    Spec::Half { decimate, coef: noise(pairs, seed) }
}

/// Output m of `spec` by its definition, in f64, reading `x`.
fn direct(spec: &Spec, x: &dyn Fn(i64) -> f64, m: i64) -> f64 {
    match spec {
        Spec::Poly { up, down, taps, rows, coef } => {
            let base = (m * down).div_euclid(*up);
            let phase = (m * down).rem_euclid(*up);
            let half = (*taps / 2) as i64;
            let row = |i: usize| -> f64 {
                if *rows == *up as usize {
                    coef[phase as usize * taps + i] as f64
                } else {
                    let position = phase * MAX_PHASES;
                    let r = position.div_euclid(*up) as usize;
                    let t = (position - r as i64 * up) as f64 / *up as f64;
                    let (c0, c1) = (coef[r * taps + i] as f64, coef[(r + 1) * taps + i] as f64);
                    c0 + t * (c1 - c0)
                }
            };
            (0..*taps).map(|i| row(i) * x(base - half + 1 + i as i64)).sum()
        }
        Spec::Half { decimate: true, coef } => {
            0.5 * x(2 * m)
                + coef
                    .iter()
                    .enumerate()
                    .map(|(j, c)| *c as f64 * (x(2 * m - 2 * j as i64 - 1) + x(2 * m + 2 * j as i64 + 1)))
                    .sum::<f64>()
        }
        Spec::Half { decimate: false, coef } => {
            let n = m.div_euclid(2);
            if m == 2 * n {
                x(n)
            } else {
                coef.iter().enumerate().map(|(j, c)| *c as f64 * (x(n - j as i64) + x(n + 1 + j as i64))).sum()
            }
        }
    }
}

fn chain_direct(specs: &[Spec], signal: &[f32], outputs: usize) -> Vec<f64> {
    let x0 = |i: i64| if i >= 0 && (i as usize) < signal.len() { signal[i as usize] as f64 } else { 0.0 };
    match specs {
        [only] => (0..outputs as i64).map(|k| direct(only, &x0, k)).collect(),
        [a, b] => {
            let u = |m: i64| direct(a, &x0, m);
            (0..outputs as i64).map(|k| direct(b, &u, k)).collect()
        }
        _ => unreachable!(),
    }
}

fn build(up: u32, down: u32, specs: &[Spec]) -> Resampler {
    let mut r = Resampler::new(up, down).unwrap();
    for spec in specs {
        match spec {
            Spec::Poly { up, down, taps, rows, coef } => {
                r.add_polyphase(*up as u32, *down as u32, *taps as u32, *rows as u32).unwrap().copy_from_slice(coef)
            }
            Spec::Half { decimate, coef } => r.add_halfband(*decimate, coef.len() as u32).unwrap().copy_from_slice(coef),
        }
    }
    r
}

fn run_chunked(r: &mut Resampler, signal: &[f32], chunks: &[usize]) -> Vec<f32> {
    r.reset().unwrap();
    let mut out = Vec::new();
    let mut at = 0;
    let mut c = 0;
    while at < signal.len() {
        let n = chunks[c % chunks.len()].min(signal.len() - at);
        r.input_mut(n).unwrap().copy_from_slice(&signal[at..at + n]);
        r.run(false).unwrap();
        out.extend_from_slice(r.output());
        at += n;
        c += 1;
    }
    r.input_mut(0).unwrap();
    r.run(true).unwrap();
    out.extend_from_slice(r.output());
    out
}

fn cases() -> Vec<(u32, u32, Vec<Spec>)> {
    vec![
        (160, 441, vec![poly(320, 441, 20, 1), half(true, 62, 2)]), // 44.1 -> 16 kHz
        (1, 3, vec![poly(2, 3, 20, 3), half(true, 62, 4)]),         // 48 -> 16 kHz
        (2, 1, vec![half(false, 62, 5)]),                           // 8 -> 16 kHz
        (441, 160, vec![half(false, 13, 6), poly(441, 320, 16, 7)]), // 16 -> 44.1 kHz
        (1, 2, vec![half(true, 9, 8)]),                             // 32 -> 16 kHz, direct
        (1, 2, vec![half(true, 16, 12)]),                           // shortest FFT half-band
        (1, 2, vec![half(true, 100, 13)]),                          // FFT size 1024
        (5000, 4999, vec![poly(5000, 4999, 12, 9)]),                // interpolated table
        (3, 7, vec![poly(3, 7, 8, 10)]),
        (5, 7, vec![poly(5, 7, 36, 14)]), // a tap count without its own compiled loop
    ]
}

#[test]
fn streams_match_the_direct_definition_and_ignore_chunking() {
    for (up, down, specs) in cases() {
        let mut r = build(up, down, &specs);
        // 20,000: long enough for whole four-lane polyphase groups at 44.1 and 48 kHz.
        for len in [0usize, 1, 5, 37, 1000, 4099, 20_000] {
            let signal = noise(len, len as u64 + 11);
            let outputs = ((2 * len as u64 * up as u64 + down as u64) / (2 * down as u64)) as usize;
            let whole = run_chunked(&mut r, &signal, &[usize::MAX]);
            assert_eq!(whole.len(), outputs, "{up}/{down} len {len}");
            let want = chain_direct(&specs, &signal, outputs);
            // f32 coefficients and sums against f64 (random taps in +-0.5, outputs up to ~10).
            for (k, (a, b)) in whole.iter().zip(&want).enumerate() {
                assert!((*a as f64 - b).abs() <= 5e-6, "{up}/{down} len {len} output {k}: {a} vs {b}");
            }
            for chunks in [vec![1usize], vec![7, 1, 13], vec![64], vec![1000, 3]] {
                let got = run_chunked(&mut r, &signal, &chunks);
                assert!(
                    got.len() == whole.len() && got.iter().zip(&whole).all(|(a, b)| a.to_bits() == b.to_bits()),
                    "{up}/{down} len {len} chunks {chunks:?}"
                );
            }
        }
    }
}

#[test]
fn resampler_abi_checks_designs_handles_and_ends() {
    assert_eq!(resampler_new(0, 3), 0);
    assert_eq!(last_error(), ERR_INVALID_PARAMS);
    let h = resampler_new(1, 2);
    assert_ne!(h, 0);
    assert!(resampler_add_polyphase(h, 1, 2, 6, 1).is_null()); // taps not a multiple of 4
    assert_eq!(last_error(), ERR_INVALID_PARAMS);
    assert!(resampler_add_polyphase(h, 5000, 1, 8, 5000).is_null()); // needs the interpolated rows
    assert_eq!(resampler_reset(h), ERR_INVALID_PARAMS); // no stages
    let c = resampler_add_halfband(h, 0, 3); // interpolating: ratio 2 != 1/2
    assert!(!c.is_null());
    assert_eq!(resampler_reset(h), ERR_INVALID_PARAMS);
    assert_eq!(resampler_free(h), ERR_NONE);

    let h = resampler_new(1, 2);
    let c = resampler_add_halfband(h, 1, 2);
    unsafe { std::slice::from_raw_parts_mut(c, 2) }.copy_from_slice(&[0.3, -0.05]);
    let p = resampler_input_ptr(h, 8);
    assert!(!p.is_null());
    unsafe { std::slice::from_raw_parts_mut(p, 8) }.copy_from_slice(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0]);
    assert_eq!(resampler_run(h, 0), ERR_NONE);
    let first = resampler_output_len(h);
    assert!(!resampler_input_ptr(h, 0).is_null());
    assert_eq!(resampler_run(h, 1), ERR_NONE);
    assert_eq!(first + resampler_output_len(h), 4);
    assert!(resampler_add_halfband(h, 1, 2).is_null()); // stages are fixed once started
    assert_eq!(resampler_run(h, 0), ERR_STREAM_ENDED);
    assert_eq!(resampler_reset(h), ERR_NONE);
    assert_eq!(resampler_run(h, 1), ERR_NONE);
    assert_eq!(resampler_output_len(h), 0);
    assert_eq!(resampler_free(h), ERR_NONE);
    assert_eq!(resampler_free(h), ERR_BAD_HANDLE);
    assert_eq!(resampler_run(h, 0), ERR_BAD_HANDLE);
    assert!(resampler_output_ptr(h).is_null());
}
