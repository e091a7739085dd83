//! End-to-end native tests: the streaming plan against a straightforward f64 log-mel (naive DFT),
//! chunking independence, and the ABI.

use crate::fft::expi;
use crate::mel::mel_filters_f64;
use crate::plan::{reflect, Params, Plan, StreamError};
use crate::*;

/// Raw log-mel (docs/behaviour.md#spectrogram steps 5-7 before the floor) in f64 with a naive DFT:
/// the independent reference, frame-major.
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
            out[t * p.n_mels + m] = mel.max(1e-10).log10();
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

fn params(sr: f64, n_fft: usize, hop: usize, n_mels: usize) -> Params {
    Params { sample_rate: sr, n_fft, hop, n_mels, f_min: 0.0, f_max: sr / 2.0, htk: false }
}

/// Streams `x` through `plan` in chunks of `chunk` samples; returns the raw frames and the max.
fn stream(plan: &mut Plan, x: &[f32], chunk: usize) -> Result<(Vec<f32>, f32), StreamError> {
    plan.begin();
    let mut out = Vec::new();
    let mut at = 0;
    loop {
        let end = (at + chunk).min(x.len());
        plan.input_mut(end - at).unwrap().copy_from_slice(&x[at..end]);
        let last = end == x.len();
        plan.run(last)?;
        out.extend_from_slice(plan.output());
        at = end;
        if last {
            return Ok((out, plan.max()));
        }
    }
}

#[test]
fn log_mel_matches_the_f64_reference() {
    let cases = [
        params(16000.0, 400, 160, 80),
        params(16000.0, 512, 160, 128),
        params(8000.0, 201, 80, 40), // odd nFft
        params(8000.0, 254, 100, 40), // 127 = prime above the generic radix: Bluestein
        params(8000.0, 98, 49, 20),  // generic radix 7
        Params { htk: true, f_min: 30.0, f_max: 3000.0, ..params(8000.0, 256, 64, 32) },
    ];
    for p in cases {
        for len in [p.hop * 7 + 3, p.n_fft * 5 + 17, 4000] {
            let x = signal(len, len as u64);
            let (got, max) = stream(&mut Plan::new(p), &x, 1000).unwrap();
            let want = reference(&x, &p);
            assert_eq!(got.len(), want.len());
            let err = got.iter().zip(&want).map(|(a, b)| (*a as f64 - b).abs()).fold(0.0, f64::max);
            assert!(err < 6e-5, "{p:?} len {len}: max abs error {err}");
            assert_eq!(max, got.iter().cloned().fold(f32::NEG_INFINITY, f32::max));
        }
    }
}

#[test]
fn frames_do_not_depend_on_the_chunking() {
    for p in [params(16000.0, 400, 160, 80), params(8000.0, 201, 80, 40)] {
        let x = signal(5 * p.n_fft + 3 * p.hop + 7, 5);
        let (whole, max) = stream(&mut Plan::new(p), &x, x.len()).unwrap();
        let mut plan = Plan::new(p);
        for chunk in [1, 2, 3, 7, 97, p.hop - 1, p.hop, p.hop + 1, p.n_fft / 2, p.n_fft + 1, 1009] {
            let (got, m) = stream(&mut plan, &x, chunk).unwrap();
            assert_eq!(got.len(), whole.len(), "chunk {chunk}");
            assert!(got.iter().zip(&whole).all(|(a, b)| a.to_bits() == b.to_bits()), "chunk {chunk}");
            assert_eq!(m.to_bits(), max.to_bits());
        }
    }
}

#[test]
fn short_inputs_reflect_once_and_too_short_ones_are_refused() {
    let p = params(16000.0, 400, 160, 40);
    for len in [201, 202, 399, 400, 401] {
        let x = signal(len, 3);
        let (got, _) = stream(&mut Plan::new(p), &x, 50).unwrap();
        let want = reference(&x, &p);
        let err = got.iter().zip(&want).map(|(a, b)| (*a as f64 - b).abs()).fold(0.0, f64::max);
        assert!(err < 6e-5, "len {len}: {err}");
    }
    assert_eq!(reflect(-1, 5), 1);
    assert_eq!(reflect(-4, 5), 4);
    assert_eq!(reflect(5, 5), 3);
    assert_eq!(reflect(8, 5), 0);
    let mut plan = Plan::new(p);
    for (len, short) in [(159, false), (160, true), (200, true), (201, false)] {
        let result = stream(&mut plan, &vec![0.1; len], 64);
        assert_eq!(result.is_err(), short, "len {len}");
        if short {
            assert_eq!(result.unwrap_err(), StreamError::InputTooShort);
        }
    }
}

#[test]
fn silence_hits_the_floor_exactly() {
    let (got, max) = stream(&mut Plan::new(params(16000.0, 400, 160, 80)), &vec![0.0; 4000], 333).unwrap();
    assert!(got.iter().all(|v| *v == -10.0));
    assert_eq!(max, -10.0);
}

#[test]
fn frames_are_floor_of_len_over_hop() {
    let mut plan = Plan::new(params(16000.0, 400, 160, 80));
    for (len, frames) in [(0, 0), (159, 0), (201, 1), (319, 1), (320, 2), (1601, 10)] {
        let (got, _) = stream(&mut plan, &vec![0.25; len], 100).unwrap();
        assert_eq!(got.len(), 80 * frames, "len {len}");
    }
}

#[test]
fn memory_stays_bounded_by_the_chunk() {
    let p = params(16000.0, 400, 160, 80);
    let mut plan = Plan::new(p);
    plan.begin();
    let x = signal(16000, 1);
    for _ in 0..100 {
        plan.input_mut(x.len()).unwrap().copy_from_slice(&x);
        plan.run(false).unwrap();
    }
    // 100 chunks of 16000 samples: kept samples never exceed one chunk plus an nFft of history.
    assert!(plan.kept_capacity() < 2 * (16000 + 400), "{}", plan.kept_capacity());
}

#[test]
fn abi_reports_errors_and_frees_plans() {
    assert_eq!(abi_version(), ABI_VERSION);
    assert_eq!(plan_new(16000.0, 400, 500, 80, 0.0, 8000.0, 0), 0);
    assert_eq!(last_error(), ERR_INVALID_PARAMS);
    let h = plan_new(16000.0, 400, 160, 80, 0.0, 8000.0, 1);
    assert_ne!(h, 0);
    assert_eq!(stream_begin(h), ERR_NONE);
    let ptr = stream_input_ptr(h, 1600);
    assert!(!ptr.is_null());
    unsafe { std::slice::from_raw_parts_mut(ptr, 1600) }.copy_from_slice(&signal(1600, 9));
    assert_eq!(stream_run(h, 1), ERR_NONE);
    assert_eq!(plan_frames(h), 10);
    assert!(!plan_output_ptr(h).is_null());
    assert!(stream_max(h) > -10.0);
    assert_eq!(stream_run(h, 1), ERR_STREAM_ENDED);
    assert_eq!(stream_begin(h), ERR_NONE);
    assert!(!stream_input_ptr(h, 200).is_null());
    assert_eq!(stream_run(h, 1), ERR_INPUT_TOO_SHORT);
    assert_eq!(plan_free(h), ERR_NONE);
    assert_eq!(plan_free(h), ERR_BAD_HANDLE);
    assert_eq!(stream_run(h, 0), ERR_BAD_HANDLE);
    assert_eq!(stream_begin(0), ERR_BAD_HANDLE);
    assert_eq!(last_error(), ERR_BAD_HANDLE);
}
