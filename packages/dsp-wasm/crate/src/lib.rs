//! spgdataset DSP compiled to wasm32-unknown-unknown with simd128: the log-mel spectrogram
//! (SPEC section 7) and the resampler.
//!
//! ABI, protocol version 3: plain `extern "C"` functions over linear memory, no wasm-bindgen.
//! Handles are u32 (0 = none); pointers are byte offsets into the exported memory.
//!
//! 1. `abi_version() -> u32`: 3. The glue refuses any other value.
//! 2. `plan_new(sample_rate: f64, n_fft: u32, hop: u32, n_mels: u32, f_min: f64, f_max: f64,
//!    flags: u32) -> handle`: flags bit 0 = normalize, bit 1 = htk. 0 on error (see `last_error`).
//! 3. `plan_input_ptr(handle, samples: u32) -> ptr`: sizes the plan's input (and output) buffers
//!    for `samples` f32 values and returns where the host writes them; 0 on error. Can grow memory:
//!    re-make typed views afterwards.
//! 4. `plan_run(handle) -> status`: computes `[n_mels, frames]` (mel-major, frames =
//!    floor(samples / hop)) into the output buffer; 0 = ok, else an error code. Never allocates.
//!    Like torch's reflect pad, it refuses inputs that have frames but at most n_fft / 2 samples.
//! 5. `plan_output_ptr(handle) -> ptr`, `plan_frames(handle) -> u32`: the output of the last run
//!    (`n_mels * frames` f32 values), valid until the next `plan_input_ptr` or `plan_free`.
//! 6. `plan_free(handle) -> status`: releases the plan and its buffers.
//! 7. `last_error() -> code` of the last failed call; `error_code_count() -> u32`: codes are
//!    0..count (the TS glue has one message per code; a test checks the table is complete).
//!
//! Resampler (the stages are designed by `designResampler` in @spgdataset/core; see resample.rs):
//! 8. `resampler_new(up: u32, down: u32) -> handle` for the reduced ratio up/down; 0 on error.
//! 9. `resampler_add_polyphase(handle, up, down, taps, rows) -> ptr` and
//!    `resampler_add_halfband(handle, decimate: u32, pairs) -> ptr`: append a stage (in order,
//!    before any input) and return where the host writes its `rows * taps` (resp. `pairs`) f32
//!    coefficients; 0 on error. Can grow memory.
//! 10. `resampler_reset(handle) -> status`: checks that the stage ratios multiply to up/down and
//!    starts a new signal (the first input does it implicitly).
//! 11. `resampler_input_ptr(handle, samples: u32) -> ptr`: where the host writes the next chunk;
//!    0 on error. Can grow memory.
//! 12. `resampler_run(handle, last: u32) -> status`: consumes the chunk and computes every output
//!    now known; with `last` = 1 the signal ends there (zeros follow) and every remaining output
//!    is computed. Runs after a last one fail with ERR_STREAM_ENDED until `resampler_reset`.
//! 13. `resampler_output_ptr(handle) -> ptr`, `resampler_output_len(handle) -> u32`: the outputs
//!    of the last run, valid until the next call on this handle.
//! 14. `resampler_free(handle) -> status`.
//!
//! Uses std (its wasm32 allocator is dlmalloc); no dependencies.

mod fft;
mod halfband_fft;
mod lanes;
mod mel;
mod plan;
mod polyphase_lanes;
mod resample;
mod resample_kernels;

use plan::{Params, Plan};
use resample::{ResampleError, Resampler};
use std::cell::{Cell, RefCell};

pub const ABI_VERSION: u32 = 3;

pub const ERR_NONE: u32 = 0;
pub const ERR_INVALID_PARAMS: u32 = 1;
pub const ERR_BAD_HANDLE: u32 = 2;
pub const ERR_OUT_OF_MEMORY: u32 = 3;
pub const ERR_NO_INPUT: u32 = 4;
pub const ERR_INPUT_TOO_SHORT: u32 = 5;
pub const ERR_STREAM_ENDED: u32 = 6;
pub const ERROR_CODE_COUNT: u32 = 7;

thread_local! {
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
        normalize: flags & 1 != 0,
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
pub extern "C" fn plan_input_ptr(handle: u32, samples: u32) -> *mut f32 {
    with_plan(handle, std::ptr::null_mut(), |plan| match plan.input_mut(samples as usize) {
        Ok(input) => input.as_mut_ptr(),
        Err(_) => {
            fail(ERR_OUT_OF_MEMORY);
            std::ptr::null_mut()
        }
    })
}

#[no_mangle]
pub extern "C" fn plan_run(handle: u32) -> u32 {
    with_plan(handle, ERR_BAD_HANDLE, |plan| {
        if !plan.has_input() {
            return fail(ERR_NO_INPUT);
        }
        if plan.input_too_short() {
            return fail(ERR_INPUT_TOO_SHORT);
        }
        plan.run();
        ERR_NONE
    })
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
