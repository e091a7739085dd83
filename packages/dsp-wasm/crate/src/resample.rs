//! Streaming resampler over a chain of designed stages (polyphase, half-band decimate/interpolate).
//! The tables come from the host (`designResampler` in @spgdataset/core): this side only runs them.
//! Mirrors core's `ResampleStream`: the signal is zero before index 0 and after its end; an output
//! is computed once every input it reads is known, so any chunking gives the same bits.

use crate::halfband_fft::{HalfbandFft, MIN_FFT_PAIRS};
use crate::polyphase_lanes::PolyphaseLanes;
use crate::plan::OutOfMemory;
use crate::resample_kernels::{every_other, halfband_decimate, halfband_interpolate_odd, polyphase_interpolated};

/// Rows of an interpolated polyphase table minus one (core's MAX_POLYPHASE_PHASES).
pub const MAX_PHASES: i64 = 4096;
const MAX_STAGES: usize = 4;

pub enum Stage {
    /// `lanes`: the exact-table kernel with its reordered rows (made by `reset`).
    Polyphase { up: i64, down: i64, taps: usize, half: i64, exact: bool, coef: Vec<f32>, lanes: Option<Box<PolyphaseLanes>> },
    /// `fft`: long decimating half-bands run by FFT in blocks (made by `reset`, once the host
    /// has written the taps).
    Halfband { decimate: bool, coef: Vec<f32>, fft: Option<Box<HalfbandFft>> },
}

fn ceil_div(a: i64, b: i64) -> i64 {
    -((-a).div_euclid(b))
}

impl Stage {
    /// (up, down) rate factors of the stage.
    fn ratio(&self) -> (u128, u128) {
        match self {
            Stage::Polyphase { up, down, .. } => (*up as u128, *down as u128),
            Stage::Halfband { decimate: true, .. } => (1, 2),
            Stage::Halfband { decimate: false, .. } => (2, 1),
        }
    }
    fn first_input(&self, m: i64) -> i64 {
        match self {
            Stage::Polyphase { up, down, half, .. } => (m * down).div_euclid(*up) - half + 1,
            Stage::Halfband { decimate: true, coef, fft: Some(f) } => {
                2 * (m.div_euclid(f.pair_len()) * f.pair_len() - coef.len() as i64) + 1
            }
            Stage::Halfband { decimate: true, coef, .. } => 2 * m - 2 * coef.len() as i64 + 1,
            Stage::Halfband { decimate: false, coef, .. } => m.div_euclid(2) - coef.len() as i64 + 1,
        }
    }
    fn last_input(&self, m: i64) -> i64 {
        match self {
            Stage::Polyphase { up, down, half, .. } => (m * down).div_euclid(*up) + half,
            Stage::Halfband { decimate: true, coef, fft: Some(f) } => {
                2 * ((m.div_euclid(f.pair_len()) + 1) * f.pair_len() - 1) + 2 * coef.len() as i64 - 1
            }
            Stage::Halfband { decimate: true, coef, .. } => 2 * m + 2 * coef.len() as i64 - 1,
            Stage::Halfband { decimate: false, coef, .. } => m.div_euclid(2) + coef.len() as i64,
        }
    }
    /// One past the last output whose inputs all have indices <= `limit`.
    fn available_up_to(&self, limit: i64) -> i64 {
        match self {
            Stage::Polyphase { up, down, half, .. } => ceil_div((limit - half + 1) * up, *down),
            Stage::Halfband { decimate: true, coef, fft } => {
                let direct = (limit - 2 * coef.len() as i64 + 1).div_euclid(2) + 1;
                match fft {
                    Some(f) => direct.div_euclid(f.pair_len()) * f.pair_len(),
                    None => direct,
                }
            }
            Stage::Halfband { decimate: false, coef, .. } => 2 * (limit - coef.len() as i64) + 2,
        }
    }
}

/// Samples at indices [start, start + data.len()) of a stage's input.
struct Buffer {
    data: Vec<f32>,
    start: i64,
}

impl Buffer {
    fn end(&self) -> i64 {
        self.start + self.data.len() as i64
    }
    fn reserve(&mut self, extra: usize) -> Result<(), OutOfMemory> {
        self.data.try_reserve(extra).map_err(|_| OutOfMemory)
    }
    /// Appends `count` samples the caller writes before anything reads them.
    fn extend_unwritten(&mut self, count: usize) -> Result<&mut [f32], OutOfMemory> {
        let at = self.data.len();
        grow_unwritten(&mut self.data, count)?;
        Ok(&mut self.data[at..])
    }
    fn extend_zeros(&mut self, count: i64) -> Result<(), OutOfMemory> {
        if count > 0 {
            self.reserve(count as usize)?;
            self.data.resize(self.data.len() + count as usize, 0.0);
        }
        Ok(())
    }
    /// Forgets samples before `index` once that frees at least half of what is held.
    fn drop_before(&mut self, index: i64) {
        let drop = (index - self.start).min(self.data.len() as i64);
        if drop <= 0 || 2 * drop < self.data.len() as i64 {
            return;
        }
        self.data.drain(..drop as usize);
        self.start += drop;
    }
}

/// Why a design or a run was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum ResampleError {
    InvalidDesign,
    OutOfMemory,
    Ended,
}

impl From<OutOfMemory> for ResampleError {
    fn from(_: OutOfMemory) -> Self {
        ResampleError::OutOfMemory
    }
}

pub struct Resampler {
    up: u64,
    down: u64,
    stages: Vec<Stage>,
    inputs: Vec<Buffer>,
    next: Vec<i64>,
    received: u64,
    started: bool,
    ended: bool,
    /// Samples appended by `input_mut` and not yet counted by `run`.
    staged: usize,
    output: Vec<f32>,
    even: Vec<f32>,
    odd: Vec<f32>,
}

impl Resampler {
    pub fn new(up: u32, down: u32) -> Option<Resampler> {
        if up == 0 || down == 0 {
            return None;
        }
        Some(Resampler {
            up: up as u64,
            down: down as u64,
            stages: Vec::new(),
            inputs: Vec::new(),
            next: Vec::new(),
            received: 0,
            started: false,
            ended: false,
            staged: 0,
            output: Vec::new(),
            even: Vec::new(),
            odd: Vec::new(),
        })
    }

    /// Adds a polyphase stage (before the first input); returns its table to fill: `up` rows when
    /// up <= MAX_PHASES, else MAX_PHASES + 1 rows to interpolate between.
    pub fn add_polyphase(&mut self, up: u32, down: u32, taps: u32, rows: u32) -> Result<&mut [f32], ResampleError> {
        let exact = rows == up;
        let valid = !self.started
            && self.stages.len() < MAX_STAGES
            && up > 0
            && down > 0
            && taps > 0
            && taps % 4 == 0
            && if up as i64 <= MAX_PHASES { exact } else { rows as i64 == MAX_PHASES + 1 };
        if !valid {
            return Err(ResampleError::InvalidDesign);
        }
        let len = (rows as usize).checked_mul(taps as usize).ok_or(ResampleError::OutOfMemory)?;
        let mut coef = Vec::new();
        coef.try_reserve_exact(len).map_err(|_| ResampleError::OutOfMemory)?;
        coef.resize(len, 0.0);
        self.stages.push(Stage::Polyphase {
            up: up as i64,
            down: down as i64,
            taps: taps as usize,
            half: (taps / 2) as i64,
            exact,
            coef,
            lanes: None,
        });
        match self.stages.last_mut() {
            Some(Stage::Polyphase { coef, .. }) => Ok(coef),
            _ => unreachable!(),
        }
    }

    /// Adds a half-band stage with `pairs` taps (before the first input); returns them to fill.
    pub fn add_halfband(&mut self, decimate: bool, pairs: u32) -> Result<&mut [f32], ResampleError> {
        if self.started || self.stages.len() >= MAX_STAGES || pairs == 0 {
            return Err(ResampleError::InvalidDesign);
        }
        let mut coef = Vec::new();
        coef.try_reserve_exact(pairs as usize).map_err(|_| ResampleError::OutOfMemory)?;
        coef.resize(pairs as usize, 0.0);
        self.stages.push(Stage::Halfband { decimate, coef, fft: None });
        match self.stages.last_mut() {
            Some(Stage::Halfband { coef, .. }) => Ok(coef),
            _ => unreachable!(),
        }
    }

    /// Starts (or restarts) a signal: checks the chain multiplies to up/down, clears the state.
    pub fn reset(&mut self) -> Result<(), ResampleError> {
        let (mut num, mut den) = (1u128, 1u128);
        for stage in &self.stages {
            let (u, d) = stage.ratio();
            num *= u;
            den *= d;
        }
        if self.stages.is_empty() || num * self.down as u128 != den * self.up as u128 {
            return Err(ResampleError::InvalidDesign);
        }
        for stage in &mut self.stages {
            match stage {
                Stage::Halfband { decimate: true, coef, fft: fft @ None } if coef.len() >= MIN_FFT_PAIRS => {
                    *fft = Some(Box::new(HalfbandFft::new(coef)));
                }
                Stage::Polyphase { up, down, taps, half, exact: true, coef, lanes: lanes @ None } => {
                    *lanes = Some(Box::new(PolyphaseLanes::new(coef, *up, *down, *taps, *half)));
                }
                _ => {}
            }
        }
        let count = self.stages.len();
        self.next = vec![0; count];
        for s in (0..count - 1).rev() {
            self.next[s] = self.stages[s + 1].first_input(self.next[s + 1]);
        }
        self.inputs.clear();
        for s in 0..count {
            self.inputs.push(Buffer { data: Vec::new(), start: self.stages[s].first_input(self.next[s]) });
        }
        let prefix = -self.inputs[0].start;
        self.inputs[0].extend_zeros(prefix)?;
        self.received = 0;
        self.started = true;
        self.ended = false;
        self.staged = 0;
        self.output.clear();
        Ok(())
    }

    /// Where the host writes the next chunk of `samples` values: straight into the signal buffer
    /// (a second call before `run` replaces the first).
    pub fn input_mut(&mut self, samples: usize) -> Result<&mut [f32], ResampleError> {
        if !self.started {
            self.reset()?;
        }
        if self.ended {
            return Err(ResampleError::Ended);
        }
        let signal = &mut self.inputs[0];
        signal.data.truncate(signal.data.len() - self.staged);
        self.staged = 0;
        let chunk = signal.extend_unwritten(samples)?;
        self.staged = samples;
        Ok(chunk)
    }

    pub fn output(&self) -> &[f32] {
        &self.output
    }

    /// round(n * up / down), as core's `resampledLength`.
    fn output_length(&self, n: u64) -> i64 {
        ((2 * n as u128 * self.up as u128 + self.down as u128) / (2 * self.down as u128)) as i64
    }

    /// Consumes the staged chunk and computes every output now known (all of them when `last`).
    pub fn run(&mut self, last: bool) -> Result<(), ResampleError> {
        if !self.started {
            self.reset()?;
        }
        if self.ended {
            return Err(ResampleError::Ended);
        }
        self.received += self.staged as u64;
        self.staged = 0;
        let final_stage = self.stages.len() - 1;
        let cap = self.output_length(self.received);
        if last && cap > self.next[final_stage] {
            let mut needed = cap - 1;
            for s in (0..=final_stage).rev() {
                needed = self.stages[s].last_input(needed);
            }
            let extra = needed + 1 - self.inputs[0].end();
            self.inputs[0].extend_zeros(extra)?;
        }
        for s in 0..=final_stage {
            let mut end = self.stages[s].available_up_to(self.inputs[s].end() - 1);
            if s == final_stage {
                end = end.min(cap);
            }
            let first = self.next[s];
            let count = (end - first).max(0) as usize;
            if s == final_stage {
                self.output.clear();
                grow_unwritten(&mut self.output, count)?;
            }
            if count > 0 {
                let (before, after) = self.inputs.split_at_mut(s + 1);
                let input = &before[s];
                // The stage writes every one of these outputs.
                let out: &mut [f32] =
                    if s == final_stage { &mut self.output } else { after[0].extend_unwritten(count)? };
                run_stage(&mut self.stages[s], input, first, out, &mut self.even, &mut self.odd)?;
                self.next[s] = first + count as i64;
            }
            let keep = self.stages[s].first_input(self.next[s]);
            self.inputs[s].drop_before(keep);
        }
        if last {
            self.ended = true;
        }
        Ok(())
    }
}

/// Lengthens `v` by `extra` values without writing them: callers write each before it is read
/// (f32 has no invalid bit patterns, so a skipped write would give wrong samples, never UB).
fn grow_unwritten(v: &mut Vec<f32>, extra: usize) -> Result<(), OutOfMemory> {
    v.try_reserve(extra).map_err(|_| OutOfMemory)?;
    // Safety: capacity reserved above; f32 accepts any bits.
    unsafe { v.set_len(v.len() + extra) };
    Ok(())
}

fn scratch(v: &mut Vec<f32>, len: usize) -> Result<(), OutOfMemory> {
    if v.len() < len {
        v.try_reserve(len - v.len()).map_err(|_| OutOfMemory)?;
        v.resize(len, 0.0);
    }
    Ok(())
}

/// Runs `stage` for outputs `first .. first + out.len()` reading `input`.
fn run_stage(
    stage: &mut Stage,
    input: &Buffer,
    first: i64,
    out: &mut [f32],
    even: &mut Vec<f32>,
    odd: &mut Vec<f32>,
) -> Result<(), OutOfMemory> {
    let count = out.len();
    let local = |index: i64| (index - input.start) as usize;
    match stage {
        Stage::Polyphase { exact: true, lanes, .. } => match lanes {
            Some(l) => l.run(&input.data, input.start, first, out),
            None => unreachable!("reset makes the lanes kernel"),
        },
        Stage::Polyphase { up, down, taps, half, exact: false, coef, .. } => polyphase_interpolated(
            coef,
            *up,
            *down,
            *taps,
            *half,
            MAX_PHASES,
            &input.data,
            input.start,
            first,
            out,
        ),
        Stage::Halfband { decimate: true, fft: Some(f), .. } => f.run(&input.data, input.start, first, out),
        Stage::Halfband { decimate: true, coef, fft: None } => {
            let k = coef.len();
            let odd_len = count + 2 * k - 1;
            scratch(even, count)?;
            scratch(odd, odd_len)?;
            let e0 = local(2 * first);
            every_other(&input.data[e0..e0 + 2 * count - 1], &mut even[..count]);
            let o0 = local(2 * (first - k as i64) + 1);
            every_other(&input.data[o0..o0 + 2 * odd_len - 1], &mut odd[..odd_len]);
            halfband_decimate(coef, &even[..count], &odd[..odd_len], out);
        }
        Stage::Halfband { decimate: false, coef, .. } => {
            let k = coef.len() as i64;
            let n0 = first.div_euclid(2);
            let n_last = (first + count as i64 - 2).div_euclid(2);
            let odd_count = (n_last - n0 + 1).max(0) as usize;
            scratch(odd, odd_count)?;
            if odd_count > 0 {
                let from = local(n0 - k + 1);
                let len = odd_count + 2 * k as usize - 1;
                halfband_interpolate_odd(coef, &input.data[from..from + len], &mut odd[..odd_count]);
            }
            for (q, y) in out.iter_mut().enumerate() {
                let m = first + q as i64;
                let n = m.div_euclid(2);
                *y = if m == 2 * n { input.data[local(n)] } else { odd[(n - n0) as usize] };
            }
        }
    }
    Ok(())
}
