//! Mel filterbank matching librosa's `filters.mel` (Slaney scale by default, HTK as an option;
//! always Slaney area normalisation), built in f64, stored sparse in f32 (each row is one run of
//! non-zero weights).

/// Hz -> mel.
pub fn hz_to_mel(hz: f64, htk: bool) -> f64 {
    if htk {
        return 2595.0 * (1.0 + hz / 700.0).log10();
    }
    let f_sp = 200.0 / 3.0;
    let min_log_hz = 1000.0;
    let min_log_mel = min_log_hz / f_sp;
    let logstep = 6.4f64.ln() / 27.0;
    if hz >= min_log_hz {
        min_log_mel + (hz / min_log_hz).ln() / logstep
    } else {
        hz / f_sp
    }
}

/// mel -> Hz.
pub fn mel_to_hz(mel: f64, htk: bool) -> f64 {
    if htk {
        return 700.0 * (10f64.powf(mel / 2595.0) - 1.0);
    }
    let f_sp = 200.0 / 3.0;
    let min_log_hz = 1000.0;
    let min_log_mel = min_log_hz / f_sp;
    let logstep = 6.4f64.ln() / 27.0;
    if mel >= min_log_mel {
        min_log_hz * (logstep * (mel - min_log_mel)).exp()
    } else {
        f_sp * mel
    }
}

/// Dense `[n_mels][n_fft / 2 + 1]` weights in f64 (librosa `filters.mel`, norm='slaney').
pub fn mel_filters_f64(sample_rate: f64, n_fft: usize, n_mels: usize, f_min: f64, f_max: f64, htk: bool) -> Vec<Vec<f64>> {
    let bins = n_fft / 2 + 1;
    let fft_freqs: Vec<f64> = (0..bins).map(|k| k as f64 * sample_rate / n_fft as f64).collect();
    let (lo, hi) = (hz_to_mel(f_min, htk), hz_to_mel(f_max, htk));
    let points = n_mels + 2;
    let mel_f: Vec<f64> = (0..points)
        .map(|i| mel_to_hz(lo + (hi - lo) * i as f64 / (points - 1) as f64, htk))
        .collect();
    (0..n_mels)
        .map(|i| {
            let (f0, f1, f2) = (mel_f[i], mel_f[i + 1], mel_f[i + 2]);
            let enorm = 2.0 / (f2 - f0);
            fft_freqs
                .iter()
                .map(|&f| {
                    let lower = (f - f0) / (f1 - f0);
                    let upper = (f2 - f) / (f2 - f1);
                    lower.min(upper).max(0.0) * enorm
                })
                .collect()
        })
        .collect()
}

/// Sparse rows: row `i` covers bins `start[i] .. start[i] + len[i]`, weights at `offset[i]`.
pub struct SparseMel {
    pub start: Vec<usize>,
    pub len: Vec<usize>,
    pub offset: Vec<usize>,
    pub weights: Vec<f32>,
}

impl SparseMel {
    /// Stores the f64 filters as f32 multiplied by `scale` (a power of two, so exact).
    pub fn new(dense: &[Vec<f64>], scale: f64) -> SparseMel {
        let mut out = SparseMel { start: Vec::new(), len: Vec::new(), offset: Vec::new(), weights: Vec::new() };
        for row in dense {
            let first = row.iter().position(|&w| w as f32 != 0.0);
            let last = row.iter().rposition(|&w| w as f32 != 0.0);
            let (a, b) = match (first, last) {
                (Some(a), Some(b)) => (a, b + 1),
                _ => (0, 0),
            };
            out.start.push(a);
            out.len.push(b - a);
            out.offset.push(out.weights.len());
            out.weights.extend(row[a..b].iter().map(|&w| (w * scale) as f32));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slaney_scale_round_trips_and_is_linear_below_1khz() {
        assert!((hz_to_mel(1000.0, false) - 15.0).abs() < 1e-12);
        assert!((hz_to_mel(500.0, false) - 7.5).abs() < 1e-12);
        for hz in [0.0, 123.0, 999.0, 1000.0, 4000.0, 8000.0, 11025.0] {
            assert!((mel_to_hz(hz_to_mel(hz, false), false) - hz).abs() < 1e-9);
            assert!((mel_to_hz(hz_to_mel(hz, true), true) - hz).abs() < 1e-9);
        }
    }

    #[test]
    fn filters_are_slaney_normalised_triangles() {
        let f = mel_filters_f64(16000.0, 400, 80, 0.0, 8000.0, false);
        assert_eq!(f.len(), 80);
        assert_eq!(f[0].len(), 201);
        // Row 0 starts at 0 Hz, so its weight at bin 0 is zero.
        assert_eq!(f[0][0], 0.0);
        let peak = f[0].iter().cloned().fold(0.0, f64::max);
        assert!(peak > 0.0);
        // Slaney normalisation: each triangle integrates (over Hz) to ~1 per 1 Hz bin spacing.
        let bin_hz = 16000.0 / 400.0;
        for row in &f[10..70] {
            let area: f64 = row.iter().sum::<f64>() * bin_hz;
            assert!((area - 1.0).abs() < 0.15, "area {area}");
        }
    }

    #[test]
    fn sparse_rows_cover_the_nonzero_weights() {
        let f = mel_filters_f64(16000.0, 400, 80, 0.0, 8000.0, false);
        let s = SparseMel::new(&f, 1.0);
        for (i, row) in f.iter().enumerate() {
            for (k, &w) in row.iter().enumerate() {
                let inside = k >= s.start[i] && k < s.start[i] + s.len[i];
                if !inside {
                    assert_eq!(w as f32, 0.0);
                } else {
                    assert_eq!(s.weights[s.offset[i] + k - s.start[i]], w as f32);
                }
            }
        }
    }
}
