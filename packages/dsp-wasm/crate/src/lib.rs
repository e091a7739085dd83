//! spgdataset log-mel DSP compiled to wasm32-unknown-unknown with simd128.
//!
//! ABI (protocol version 1): plain `extern "C"` functions over linear memory, no wasm-bindgen.
//! - `abi_version() -> u32`
//! - `alloc_f32(len) -> ptr`, `free_f32(ptr, len)`: buffers owned by the caller.
//! - `sum_f32(ptr, len) -> f32`: proof of the pipeline (SIMD sum).
//! Uses std (its wasm32 allocator is dlmalloc); no dependencies.

pub const ABI_VERSION: u32 = 1;

#[no_mangle]
pub extern "C" fn abi_version() -> u32 {
    ABI_VERSION
}

/// Allocates `len` zeroed f32 values and returns their address (0 if `len` is 0).
#[no_mangle]
pub extern "C" fn alloc_f32(len: usize) -> *mut f32 {
    if len == 0 {
        return std::ptr::null_mut();
    }
    let mut v: Vec<f32> = Vec::with_capacity(len);
    v.resize(len, 0.0);
    let ptr = v.as_mut_ptr();
    std::mem::forget(v);
    ptr
}

/// Frees a buffer made by `alloc_f32` with the same `len`.
///
/// # Safety
/// `ptr` must come from `alloc_f32(len)` and not be freed twice.
#[no_mangle]
pub unsafe extern "C" fn free_f32(ptr: *mut f32, len: usize) {
    if !ptr.is_null() && len > 0 {
        drop(Vec::from_raw_parts(ptr, len, len));
    }
}

/// Sums `len` f32 values at `ptr`, four lanes at a time.
///
/// # Safety
/// `ptr..ptr+len` must be readable f32 memory.
#[no_mangle]
pub unsafe extern "C" fn sum_f32(ptr: *const f32, len: usize) -> f32 {
    let xs = std::slice::from_raw_parts(ptr, len);
    sum(xs)
}

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
fn sum(xs: &[f32]) -> f32 {
    use std::arch::wasm32::*;
    let mut acc = f32x4_splat(0.0);
    let chunks = xs.chunks_exact(4);
    let rest = chunks.remainder();
    for c in chunks {
        acc = f32x4_add(acc, unsafe { v128_load(c.as_ptr() as *const v128) });
    }
    let mut total = f32x4_extract_lane::<0>(acc)
        + f32x4_extract_lane::<1>(acc)
        + f32x4_extract_lane::<2>(acc)
        + f32x4_extract_lane::<3>(acc);
    for x in rest {
        total += *x;
    }
    total
}

#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
fn sum(xs: &[f32]) -> f32 {
    xs.iter().sum()
}

#[cfg(test)]
mod tests {
    #[test]
    fn sums() {
        let xs = [1.0f32, 2.0, 3.0, 4.0, 5.0];
        assert_eq!(super::sum(&xs), 15.0);
    }
}
