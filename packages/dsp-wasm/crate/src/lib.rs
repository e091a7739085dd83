//! spgdataset DSP compiled to wasm32-unknown-unknown with simd128: the log-mel spectrogram
//! (SPEC section 7) and the resampler.
//!
//! ABI, protocol version 5: plain `extern "C"` functions over linear memory, no wasm-bindgen.
//! Handles are u32 (0 = none); pointers are byte offsets into the exported memory.
//!
//! 1. `abi_version() -> u32`: 5. The glue refuses any other value.
//! 2. `plan_new(sample_rate: f64, n_fft: u32, hop: u32, n_mels: u32, f_min: f64, f_max: f64,
//!    flags: u32) -> handle`: flags bit 1 = htk (bit 0, normalize, is the host's: see 6). 0 on error
//!    (see `last_error`).
//!    The log-mel of one signal at a time is computed as a stream (the only way; a whole signal is
//!    one stream too):
//! 3. `stream_begin(handle) -> status`: starts a new signal.
//! 4. `stream_input_ptr(handle, samples: u32) -> ptr`: where the host writes the next `samples` f32
//!    values of the signal; 0 on error. Can grow memory: re-make typed views afterwards.
//! 5. `stream_run(handle, last: u32) -> status`: takes those samples and computes every frame now
//!    complete (frame t covers samples t * hop - n_fft / 2 .. + n_fft, reflect-padded about the
//!    first and last samples); with `last` = 1 the signal ends there and the remaining frames are
//!    computed (floor(samples / hop) in all). 0 = ok, else an error code: INPUT_TOO_SHORT when the
//!    signal has frames but at most n_fft / 2 samples (torch refuses it too), STREAM_ENDED after a
//!    last run (until `stream_begin`).
//! 6. `plan_output_ptr(handle) -> ptr`, `plan_frames(handle) -> u32`: the frames of the last run,
//!    frame-major (`n_mels` raw values `log10(max(mel, 1e-10))` per frame), valid until the next
//!    call on the handle. `stream_max(handle) -> f32`: the largest raw value so far.
//!    The file-wide end (floor at max - 8, (L + 4) / 4, standardisation) is the host's.
//! 7. `plan_free(handle) -> status`: releases the plan and its buffers.
//!    The file-wide end, over raw frames the host hands back in blocks (no handle: one shared block
//!    buffer, used within one call):
//!    `finish_values_ptr(values: u32) -> ptr` (where the host writes a block; 0 on error; can grow
//!    memory), `finish_sums_ptr() -> ptr` (8 f64: per-lane sums of `S - shift`, then of its squares,
//!    which the host writes before and reads after a scan), `finish_scan(values, floor: f64,
//!    shift: f64, lane: u32) -> status` (adds the block, whose first value is at position `lane`
//!    mod 4 of the signal), `finish_apply(values, floor: f64, mean: f64, inv: f64) -> status`
//!    (in place: `((max(L, floor) + 4) / 4 - mean) * inv`), `finish_apply_transposed(values, n_mels,
//!    floor: f64, mean: f64, inv: f64) -> status` (the same of a block of whole frames, written
//!    mel-major `[n_mels][frames]` to `finish_out_ptr() -> ptr`, valid until the next finish call;
//!    can grow memory). See finish.rs.
//! 8. `last_error() -> code` of the last failed call; `error_code_count() -> u32`: codes are
//!    0..count (the TS glue has one message per code; a test checks the table is complete).
//!
//! Resampler (the stages are designed by `designResampler` in @spgdataset/core; see resample.rs):
//! 9. `resampler_new(up: u32, down: u32) -> handle` for the reduced ratio up/down; 0 on error.
//! 10. `resampler_add_polyphase(handle, up, down, taps, rows) -> ptr` and
//!    `resampler_add_halfband(handle, decimate: u32, pairs) -> ptr`: append a stage (in order,
//!    before any input) and return where the host writes its `rows * taps` (resp. `pairs`) f32
//!    coefficients; 0 on error. Can grow memory.
//! 11. `resampler_reset(handle) -> status`: checks that the stage ratios multiply to up/down and
//!    starts a new signal (the first input does it implicitly).
//! 12. `resampler_input_ptr(handle, samples: u32) -> ptr`: where the host writes the next chunk;
//!    0 on error. Can grow memory.
//! 13. `resampler_run(handle, last: u32) -> status`: consumes the chunk and computes every output
//!    now known; with `last` = 1 the signal ends there (zeros follow) and every remaining output
//!    is computed. Runs after a last one fail with ERR_STREAM_ENDED until `resampler_reset`.
//! 14. `resampler_output_ptr(handle) -> ptr`, `resampler_output_len(handle) -> u32`: the outputs
//!    of the last run, valid until the next call on this handle.
//! 15. `resampler_free(handle) -> status`.
//!
//! Uses std (its wasm32 allocator is dlmalloc); no dependencies.

mod fft;
mod finish;
mod halfband_fft;
mod lanes;
mod mel;
mod plan;
mod polyphase_lanes;
mod resample;
mod resample_kernels;

use plan::{Params, Plan, StreamError};
use resample::{ResampleError, Resampler};
use std::cell::{Cell, RefCell};

pub const ABI_VERSION: u32 = 5;

pub const ERR_NONE: u32 = 0;
pub const ERR_INVALID_PARAMS: u32 = 1;
pub const ERR_BAD_HANDLE: u32 = 2;
pub const ERR_OUT_OF_MEMORY: u32 = 3;
/// A finish call over more values than `finish_values_ptr` sized.
pub const ERR_NO_INPUT: u32 = 4;
pub const ERR_INPUT_TOO_SHORT: u32 = 5;
pub const ERR_STREAM_ENDED: u32 = 6;
pub const ERROR_CODE_COUNT: u32 = 7;

thread_local! {
    static FINISH_VALUES: RefCell<Vec<f32>> = RefCell::new(Vec::new());
    static FINISH_OUT: RefCell<Vec<f32>> = RefCell::new(Vec::new());
    static FINISH_SUMS: RefCell<[f64; 8]> = RefCell::new([0.0; 8]);
    static PLANS: RefCell<Vec<Option<Box<Plan>>>> = RefCell::new(Vec::new());
    static RESAMPLERS: RefCell<Vec<Option<Box<Resampler>>>> = RefCell::new(Vec::new());
    static LAST_ERROR: Cell<u32> = Cell::new(ERR_NONE);
}

fn fail(code: u32) -> u32 {
    LAST_ERROR.with(|e| e.set(code));
    code
}

/// Runs `f` on the plan behind `handle`, or records ERR_BAD_HANDLE and returns `bad`.
fn with_plan<R>(handle: u32, bad: R, f: impl FnOnce(&mut Plan) -> R) -> R {
    PLANS.with(|plans| {
        let mut plans = plans.borrow_mut();
        match plans.get_mut((handle as usize).wrapping_sub(1)).and_then(|p| p.as_mut()) {
            Some(plan) => f(plan),
            None => {
                fail(ERR_BAD_HANDLE);
                bad
            }
        }
    })
}

#[no_mangle]
pub extern "C" fn abi_version() -> u32 {
    ABI_VERSION
}

#[no_mangle]
pub extern "C" fn error_code_count() -> u32 {
    ERROR_CODE_COUNT
}

#[no_mangle]
pub extern "C" fn last_error() -> u32 {
    LAST_ERROR.with(|e| e.get())
}

#[no_mangle]
pub extern "C" fn plan_new(sample_rate: f64, n_fft: u32, hop: u32, n_mels: u32, f_min: f64, f_max: f64, flags: u32) -> u32 {
    let params = Params {
        sample_rate,
        n_fft: n_fft as usize,
        hop: hop as usize,
        n_mels: n_mels as usize,
        f_min,
        f_max,
        htk: flags & 2 != 0,
    };
    if !params.is_valid() {
        fail(ERR_INVALID_PARAMS);
        return 0;
    }
    let plan = Box::new(Plan::new(params));
    PLANS.with(|plans| {
        let mut plans = plans.borrow_mut();
        let slot = match plans.iter().position(|p| p.is_none()) {
            Some(i) => i,
            None => {
                plans.push(None);
                plans.len() - 1
            }
        };
        plans[slot] = Some(plan);
        slot as u32 + 1
    })
}

#[no_mangle]
pub extern "C" fn stream_begin(handle: u32) -> u32 {
    with_plan(handle, ERR_BAD_HANDLE, |plan| {
        plan.begin();
        ERR_NONE
    })
}

#[no_mangle]
pub extern "C" fn stream_input_ptr(handle: u32, samples: u32) -> *mut f32 {
    with_plan(handle, std::ptr::null_mut(), |plan| match plan.input_mut(samples as usize) {
        Ok(input) => input.as_mut_ptr(),
        Err(_) => {
            fail(ERR_OUT_OF_MEMORY);
            std::ptr::null_mut()
        }
    })
}

#[no_mangle]
pub extern "C" fn stream_run(handle: u32, last: u32) -> u32 {
    with_plan(handle, ERR_BAD_HANDLE, |plan| match plan.run(last != 0) {
        Ok(()) => ERR_NONE,
        Err(StreamError::InputTooShort) => fail(ERR_INPUT_TOO_SHORT),
        Err(StreamError::Ended) => fail(ERR_STREAM_ENDED),
        Err(StreamError::OutOfMemory) => fail(ERR_OUT_OF_MEMORY),
    })
}

#[no_mangle]
pub extern "C" fn stream_max(handle: u32) -> f32 {
    with_plan(handle, f32::NAN, |plan| plan.max())
}

#[no_mangle]
pub extern "C" fn plan_output_ptr(handle: u32) -> *const f32 {
    with_plan(handle, std::ptr::null(), |plan| plan.output().as_ptr())
}

#[no_mangle]
pub extern "C" fn plan_frames(handle: u32) -> u32 {
    with_plan(handle, 0, |plan| plan.frames() as u32)
}

#[no_mangle]
pub extern "C" fn plan_free(handle: u32) -> u32 {
    PLANS.with(|plans| {
        let mut plans = plans.borrow_mut();
        match plans.get_mut((handle as usize).wrapping_sub(1)) {
            Some(slot) if slot.is_some() => {
                *slot = None;
                ERR_NONE
            }
            _ => fail(ERR_BAD_HANDLE),
        }
    })
}

#[no_mangle]
pub extern "C" fn finish_values_ptr(values: u32) -> *mut f32 {
    FINISH_VALUES.with(|v| {
        let mut v = v.borrow_mut();
        let n = values as usize;
        if v.len() < n {
            let want = n.max(v.len() + v.len() / 2);
            *v = Vec::new();
            if v.try_reserve_exact(want).is_err() {
                fail(ERR_OUT_OF_MEMORY);
                return std::ptr::null_mut();
            }
            v.resize(want, 0.0);
        }
        v.as_mut_ptr()
    })
}

#[no_mangle]
pub extern "C" fn finish_sums_ptr() -> *mut f64 {
    FINISH_SUMS.with(|s| s.borrow_mut().as_mut_ptr())
}

#[no_mangle]
pub extern "C" fn finish_scan(values: u32, floor: f64, shift: f64, lane: u32) -> u32 {
    FINISH_VALUES.with(|v| {
        let v = v.borrow();
        if values as usize > v.len() {
            return fail(ERR_NO_INPUT);
        }
        FINISH_SUMS.with(|s| finish::scan(&v[..values as usize], floor, shift, lane as usize, &mut s.borrow_mut()));
        ERR_NONE
    })
}

#[no_mangle]
pub extern "C" fn finish_apply(values: u32, floor: f64, mean: f64, inv: f64) -> u32 {
    FINISH_VALUES.with(|v| {
        let mut v = v.borrow_mut();
        if values as usize > v.len() {
            return fail(ERR_NO_INPUT);
        }
        finish::apply(&mut v[..values as usize], floor, mean, inv);
        ERR_NONE
    })
}

#[no_mangle]
pub extern "C" fn finish_apply_transposed(values: u32, n_mels: u32, floor: f64, mean: f64, inv: f64) -> u32 {
    let (n, m) = (values as usize, n_mels as usize);
    if m == 0 || n % m != 0 {
        return fail(ERR_INVALID_PARAMS);
    }
    FINISH_VALUES.with(|v| {
        let v = v.borrow();
        if n > v.len() {
            return fail(ERR_NO_INPUT);
        }
        FINISH_OUT.with(|out| {
            let mut out = out.borrow_mut();
            if out.len() < n {
                *out = Vec::new();
                if out.try_reserve_exact(n).is_err() {
                    return fail(ERR_OUT_OF_MEMORY);
                }
                out.resize(n, 0.0);
            }
            finish::apply_transposed(&v[..n], m, &mut out, floor, mean, inv);
            ERR_NONE
        })
    })
}

#[no_mangle]
pub extern "C" fn finish_out_ptr() -> *mut f32 {
    FINISH_OUT.with(|o| o.borrow_mut().as_mut_ptr())
}

fn resample_fail(error: ResampleError) -> u32 {
    fail(match error {
        ResampleError::InvalidDesign => ERR_INVALID_PARAMS,
        ResampleError::OutOfMemory => ERR_OUT_OF_MEMORY,
        ResampleError::Ended => ERR_STREAM_ENDED,
    })
}

/// Runs `f` on the resampler behind `handle`, or records ERR_BAD_HANDLE and returns `bad`.
fn with_resampler<R>(handle: u32, bad: R, f: impl FnOnce(&mut Resampler) -> R) -> R {
    RESAMPLERS.with(|all| {
        let mut all = all.borrow_mut();
        match all.get_mut((handle as usize).wrapping_sub(1)).and_then(|r| r.as_mut()) {
            Some(resampler) => f(resampler),
            None => {
                fail(ERR_BAD_HANDLE);
                bad
            }
        }
    })
}

#[no_mangle]
pub extern "C" fn resampler_new(up: u32, down: u32) -> u32 {
    let resampler = match Resampler::new(up, down) {
        Some(r) => Box::new(r),
        None => {
            fail(ERR_INVALID_PARAMS);
            return 0;
        }
    };
    RESAMPLERS.with(|all| {
        let mut all = all.borrow_mut();
        let slot = match all.iter().position(|r| r.is_none()) {
            Some(i) => i,
            None => {
                all.push(None);
                all.len() - 1
            }
        };
        all[slot] = Some(resampler);
        slot as u32 + 1
    })
}

#[no_mangle]
pub extern "C" fn resampler_add_polyphase(handle: u32, up: u32, down: u32, taps: u32, rows: u32) -> *mut f32 {
    with_resampler(handle, std::ptr::null_mut(), |r| match r.add_polyphase(up, down, taps, rows) {
        Ok(coef) => coef.as_mut_ptr(),
        Err(e) => {
            resample_fail(e);
            std::ptr::null_mut()
        }
    })
}

#[no_mangle]
pub extern "C" fn resampler_add_halfband(handle: u32, decimate: u32, pairs: u32) -> *mut f32 {
    with_resampler(handle, std::ptr::null_mut(), |r| match r.add_halfband(decimate != 0, pairs) {
        Ok(coef) => coef.as_mut_ptr(),
        Err(e) => {
            resample_fail(e);
            std::ptr::null_mut()
        }
    })
}

#[no_mangle]
pub extern "C" fn resampler_reset(handle: u32) -> u32 {
    with_resampler(handle, ERR_BAD_HANDLE, |r| match r.reset() {
        Ok(()) => ERR_NONE,
        Err(e) => resample_fail(e),
    })
}

#[no_mangle]
pub extern "C" fn resampler_input_ptr(handle: u32, samples: u32) -> *mut f32 {
    with_resampler(handle, std::ptr::null_mut(), |r| match r.input_mut(samples as usize) {
        Ok(input) => input.as_mut_ptr(),
        Err(e) => {
            resample_fail(e);
            std::ptr::null_mut()
        }
    })
}

#[no_mangle]
pub extern "C" fn resampler_run(handle: u32, last: u32) -> u32 {
    with_resampler(handle, ERR_BAD_HANDLE, |r| match r.run(last != 0) {
        Ok(()) => ERR_NONE,
        Err(e) => resample_fail(e),
    })
}

#[no_mangle]
pub extern "C" fn resampler_output_ptr(handle: u32) -> *const f32 {
    with_resampler(handle, std::ptr::null(), |r| r.output().as_ptr())
}

#[no_mangle]
pub extern "C" fn resampler_output_len(handle: u32) -> u32 {
    with_resampler(handle, 0, |r| r.output().len() as u32)
}

#[no_mangle]
pub extern "C" fn resampler_free(handle: u32) -> u32 {
    RESAMPLERS.with(|all| {
        let mut all = all.borrow_mut();
        match all.get_mut((handle as usize).wrapping_sub(1)) {
            Some(slot) if slot.is_some() => {
                *slot = None;
                ERR_NONE
            }
            _ => fail(ERR_BAD_HANDLE),
        }
    })
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod resample_tests;
