//! End-to-end native tests: the plan against a straightforward f64 log-mel (naive DFT), and the ABI.

use crate::fft::expi;
use crate::mel::mel_filters_f64;
use crate::plan::{reflect, Params, Plan};
use crate::*;

/// SPEC section 7 steps 3-6 in f64 with a naive DFT: the independent reference.
fn reference(x: &[f32], p: &Params) -> Vec<f64> {
    let n = p.n_fft;
    let frames = x.len() / p.hop;
    let bins = n / 2 + 1;
    let filters = mel_filters_f64(p.sample_rate, n, p.n_mels, p.f_min, p.f_max, p.htk);
    let window: Vec<f64> = (0..n).map(|j| 0.5 - 0.5 * (2.0 * std::f64::consts::PI * j as f64 / n as f64).cos()).collect();
    let mut out = vec![0f64; p.n_mels * frames];
    for t in 0..frames {
        let seg: Vec<f64> = (0..n)
            .map(|j| x[reflect((t * p.hop + j) as i64 - (n / 2) as i64, x.len())] as f64 * window[j])
            .collect();
        let power: Vec<f64> = (0..bins)
            .map(|k| {
                let (mut re, mut im) = (0.0, 0.0);
                for (j, v) in seg.iter().enumerate() {
                    let (c, s) = expi((j * k) as u64, n as u64);
                    re += v * c;
                    im += v * s;
                }
                re * re + im * im
            })
            .collect();
        for (m, row) in filters.iter().enumerate() {
            let mel: f64 = row.iter().zip(&power).map(|(w, q)| w * q).sum();
            out[m * frames + t] = mel.max(1e-10).log10();
        }
    }
    let max = out.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    for v in &mut out {
        *v = (v.max(max - 8.0) + 4.0) / 4.0;
    }
    if p.normalize && out.len() > 1 {
        let mean = out.iter().sum::<f64>() / out.len() as f64;
        let var = out.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (out.len() - 1) as f64;
        let std = var.sqrt();
        for v in &mut out {
            *v = (*v - mean) / std;
        }
    }
    out
}

fn signal(len: usize, seed: u64) -> Vec<f32> {
    let mut state = seed;
    (0..len)
        .map(|i| {
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            let noise = ((state >> 40) as f64 / (1u64 << 24) as f64 - 0.5) * 0.2;
            let t = i as f64 / 16000.0;
            ((2.0 * std::f64::consts::PI * (220.0 + 900.0 * t) * t).sin() * 0.5 + noise) as f32
        })
        .collect()
}

fn params(sr: f64, n_fft: usize, hop: usize, n_mels: usize, normalize: bool) -> Params {
    Params { sample_rate: sr, n_fft, hop, n_mels, f_min: 0.0, f_max: sr / 2.0, normalize, htk: false }
}

fn max_abs_error(x: &[f32], p: Params) -> f64 {
    let mut plan = Plan::new(p);
    plan.input_mut(x.len()).unwrap().copy_from_slice(x);
    plan.run();
    let want = reference(x, &p);
    assert_eq!(plan.output().len(), want.len());
    plan.output().iter().zip(&want).map(|(a, b)| (*a as f64 - b).abs()).fold(0.0, f64::max)
}

#[test]
fn log_mel_matches_the_f64_reference() {
    let cases = [
        params(16000.0, 400, 160, 80, false),
        params(16000.0, 400, 160, 80, true),
        params(16000.0, 512, 160, 128, false),
        params(8000.0, 201, 80, 40, false),    // odd nFft
        params(8000.0, 254, 100, 40, true),    // 127 = prime above the generic radix: Bluestein
        params(8000.0, 98, 49, 20, false),     // generic radix 7
        Params { htk: true, f_min: 30.0, f_max: 3000.0, ..params(8000.0, 256, 64, 32, false) },
    ];
    for p in cases {
        for len in [p.hop * 7 + 3, p.n_fft * 5 + 17, 4000] {
            let err = max_abs_error(&signal(len, len as u64), p);
            let tol = if p.normalize { 4e-5 } else { 1.5e-5 };
            assert!(err < tol, "{p:?} len {len}: max abs error {err}");
        }
    }
}

#[test]
fn short_inputs_reflect_once_and_too_short_ones_are_refused() {
    let p = params(16000.0, 400, 160, 40, false);
    for len in [201, 202, 399, 400, 401] {
        let err = max_abs_error(&signal(len, 3), p);
        assert!(err < 1.5e-5, "len {len}: {err}");
    }
    assert_eq!(reflect(-1, 5), 1);
    assert_eq!(reflect(-4, 5), 4);
    assert_eq!(reflect(5, 5), 3);
    assert_eq!(reflect(8, 5), 0);
    let mut plan = Plan::new(p);
    for (len, short) in [(159, false), (160, true), (200, true), (201, false)] {
        plan.input_mut(len).unwrap().fill(0.1);
        assert_eq!(plan.input_too_short(), short, "len {len}");
    }
}

#[test]
fn silence_hits_the_floor_exactly() {
    let mut plan = Plan::new(params(16000.0, 400, 160, 80, false));
    plan.input_mut(4000).unwrap().fill(0.0);
    plan.run();
    assert!(plan.output().iter().all(|v| *v == -1.5));
}

#[test]
fn frames_are_floor_of_len_over_hop() {
    let mut plan = Plan::new(params(16000.0, 400, 160, 80, false));
    for (len, frames) in [(0, 0), (159, 0), (201, 1), (319, 1), (320, 2), (1601, 10)] {
        plan.input_mut(len).unwrap().fill(0.25);
        plan.run();
        assert_eq!(plan.frames(), frames);
        assert_eq!(plan.output().len(), 80 * frames);
    }
}

#[test]
fn abi_reports_errors_and_frees_plans() {
    assert_eq!(abi_version(), ABI_VERSION);
    assert_eq!(plan_new(16000.0, 400, 500, 80, 0.0, 8000.0, 0), 0);
    assert_eq!(last_error(), ERR_INVALID_PARAMS);
    let h = plan_new(16000.0, 400, 160, 80, 0.0, 8000.0, 1);
    assert_ne!(h, 0);
    assert_eq!(plan_run(h), ERR_NO_INPUT);
    let ptr = plan_input_ptr(h, 1600);
    assert!(!ptr.is_null());
    unsafe { std::slice::from_raw_parts_mut(ptr, 1600) }.copy_from_slice(&signal(1600, 9));
    assert_eq!(plan_run(h), ERR_NONE);
    assert_eq!(plan_frames(h), 10);
    assert!(!plan_input_ptr(h, 200).is_null());
    assert_eq!(plan_run(h), ERR_INPUT_TOO_SHORT);
    assert!(!plan_input_ptr(h, 1600).is_null());
    assert!(!plan_output_ptr(h).is_null());
    assert_eq!(plan_free(h), ERR_NONE);
    assert_eq!(plan_free(h), ERR_BAD_HANDLE);
    assert_eq!(plan_run(h), ERR_BAD_HANDLE);
    assert_eq!(plan_run(0), ERR_BAD_HANDLE);
    assert_eq!(last_error(), ERR_BAD_HANDLE);
}
