//! spgdataset log-mel DSP compiled to wasm32-unknown-unknown with simd128 (SPEC section 7).
//!
//! ABI, protocol version 2: plain `extern "C"` functions over linear memory, no wasm-bindgen.
//! Handles are u32 (0 = none); pointers are byte offsets into the exported memory.
//!
//! 1. `abi_version() -> u32`: 2. The glue refuses any other value.
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
//! Uses std (its wasm32 allocator is dlmalloc); no dependencies.

mod fft;
mod lanes;
mod mel;
mod plan;

use plan::{Params, Plan};
use std::cell::{Cell, RefCell};

pub const ABI_VERSION: u32 = 2;

pub const ERR_NONE: u32 = 0;
pub const ERR_INVALID_PARAMS: u32 = 1;
pub const ERR_BAD_HANDLE: u32 = 2;
pub const ERR_OUT_OF_MEMORY: u32 = 3;
pub const ERR_NO_INPUT: u32 = 4;
pub const ERR_INPUT_TOO_SHORT: u32 = 5;
pub const ERROR_CODE_COUNT: u32 = 6;

thread_local! {
    static PLANS: RefCell<Vec<Option<Box<Plan>>>> = RefCell::new(Vec::new());
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

#[cfg(test)]
mod tests;
