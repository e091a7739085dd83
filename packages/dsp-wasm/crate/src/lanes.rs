//! `F4`: four f32 lanes, one lane per STFT frame. The whole pipeline runs four frames at once, so
//! every radix (2, 3, 4, 5, generic odd, Bluestein) is vectorised without shuffles. On wasm32 with
//! simd128 it is a `v128`; elsewhere (native unit tests) a `[f32; 4]` with the same arithmetic.

use core::ops::{Add, Mul, Sub};

/// Cephes `logf` coefficients (|relative error| < 2e-7 on [sqrt(0.5), sqrt(2))).
const LOG_POLY: [f32; 9] = [
    7.037_683_6e-2,
    -1.151_461_e-1,
    1.167_699_9e-1,
    -1.242_014_1e-1,
    1.424_932_3e-1,
    -1.666_805_8e-1,
    2.000_071_5e-1,
    -2.499_999_4e-1,
    3.333_333_1e-1,
];
const SQRT_HALF: f32 = core::f32::consts::FRAC_1_SQRT_2;
const LN2_HI: f32 = 0.693_359_4;
const LN2_LO: f32 = -2.121_944_4e-4;
const LOG10_E: f32 = core::f32::consts::LOG10_E;

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod imp {
    use core::arch::wasm32::*;

    #[derive(Clone, Copy)]
    #[repr(transparent)]
    pub struct F4(pub v128);

    impl F4 {
        #[inline(always)]
        pub fn splat(x: f32) -> F4 {
            F4(f32x4_splat(x))
        }
        #[inline(always)]
        pub fn new(a: f32, b: f32, c: f32, d: f32) -> F4 {
            F4(f32x4(a, b, c, d))
        }
        /// # Safety
        /// `p..p+4` must be readable.
        #[inline(always)]
        pub unsafe fn load(p: *const f32) -> F4 {
            F4(v128_load(p as *const v128))
        }
        /// # Safety
        /// `p..p+4` must be writable.
        #[inline(always)]
        pub unsafe fn store(self, p: *mut f32) {
            v128_store(p as *mut v128, self.0)
        }
        #[inline(always)]
        pub fn to_array(self) -> [f32; 4] {
            [
                f32x4_extract_lane::<0>(self.0),
                f32x4_extract_lane::<1>(self.0),
                f32x4_extract_lane::<2>(self.0),
                f32x4_extract_lane::<3>(self.0),
            ]
        }
        /// `self < other ? other : self` (maps to one max instruction; inputs are never NaN here).
        #[inline(always)]
        pub fn max(self, other: F4) -> F4 {
            F4(f32x4_pmax(self.0, other.0))
        }
        /// Columns of the 4x4 matrix whose rows are `a, b, c, d`.
        #[inline(always)]
        pub fn transpose(a: F4, b: F4, c: F4, d: F4) -> [F4; 4] {
            let t0 = i32x4_shuffle::<0, 4, 1, 5>(a.0, b.0);
            let t1 = i32x4_shuffle::<2, 6, 3, 7>(a.0, b.0);
            let t2 = i32x4_shuffle::<0, 4, 1, 5>(c.0, d.0);
            let t3 = i32x4_shuffle::<2, 6, 3, 7>(c.0, d.0);
            [
                F4(i32x4_shuffle::<0, 1, 4, 5>(t0, t2)),
                F4(i32x4_shuffle::<2, 3, 6, 7>(t0, t2)),
                F4(i32x4_shuffle::<0, 1, 4, 5>(t1, t3)),
                F4(i32x4_shuffle::<2, 3, 6, 7>(t1, t3)),
            ]
        }
        /// Lanes 0 and 2 of `a`, then lanes 0 and 2 of `b` (every other sample of a, b in a row).
        #[inline(always)]
        pub fn even_lanes(a: F4, b: F4) -> F4 {
            F4(i32x4_shuffle::<0, 2, 4, 6>(a.0, b.0))
        }
        /// Splits positive normal floats into `(mantissa in [sqrt(0.5), sqrt(2)) - 1, exponent)`.
        #[inline(always)]
        pub fn split_log(self) -> (F4, F4) {
            let bits = self.0;
            let e = i32x4_sub(u32x4_shr(bits, 23), i32x4_splat(126));
            let m = v128_or(v128_and(bits, i32x4_splat(0x007f_ffff)), i32x4_splat(0x3f00_0000));
            let small = f32x4_lt(m, f32x4_splat(super::SQRT_HALF));
            // small: exponent - 1 and mantissa doubled (mask lanes are -1 / all ones).
            let e = i32x4_add(e, small);
            let x = f32x4_sub(f32x4_add(m, v128_and(m, small)), f32x4_splat(1.0));
            (F4(x), F4(f32x4_convert_i32x4(e)))
        }
    }
    impl super::Add for F4 {
        type Output = F4;
        #[inline(always)]
        fn add(self, o: F4) -> F4 {
            F4(f32x4_add(self.0, o.0))
        }
    }
    impl super::Sub for F4 {
        type Output = F4;
        #[inline(always)]
        fn sub(self, o: F4) -> F4 {
            F4(f32x4_sub(self.0, o.0))
        }
    }
    impl super::Mul for F4 {
        type Output = F4;
        #[inline(always)]
        fn mul(self, o: F4) -> F4 {
            F4(f32x4_mul(self.0, o.0))
        }
    }
}

#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
mod imp {
    #[derive(Clone, Copy, Debug, PartialEq)]
    pub struct F4(pub [f32; 4]);

    impl F4 {
        #[inline(always)]
        pub fn splat(x: f32) -> F4 {
            F4([x; 4])
        }
        #[inline(always)]
        pub fn new(a: f32, b: f32, c: f32, d: f32) -> F4 {
            F4([a, b, c, d])
        }
        /// # Safety
        /// `p..p+4` must be readable.
        #[inline(always)]
        pub unsafe fn load(p: *const f32) -> F4 {
            F4([*p, *p.add(1), *p.add(2), *p.add(3)])
        }
        /// # Safety
        /// `p..p+4` must be writable.
        #[inline(always)]
        pub unsafe fn store(self, p: *mut f32) {
            for (i, v) in self.0.iter().enumerate() {
                *p.add(i) = *v;
            }
        }
        #[inline(always)]
        pub fn to_array(self) -> [f32; 4] {
            self.0
        }
        #[inline(always)]
        pub fn max(self, other: F4) -> F4 {
            F4(core::array::from_fn(|i| if self.0[i] < other.0[i] { other.0[i] } else { self.0[i] }))
        }
        #[inline(always)]
        pub fn transpose(a: F4, b: F4, c: F4, d: F4) -> [F4; 4] {
            core::array::from_fn(|i| F4([a.0[i], b.0[i], c.0[i], d.0[i]]))
        }
        #[inline(always)]
        pub fn even_lanes(a: F4, b: F4) -> F4 {
            F4([a.0[0], a.0[2], b.0[0], b.0[2]])
        }
        #[inline(always)]
        pub fn split_log(self) -> (F4, F4) {
            let mut x = [0f32; 4];
            let mut e = [0f32; 4];
            for i in 0..4 {
                let bits = self.0[i].to_bits();
                let mut exp = (bits >> 23) as i32 - 126;
                let m = f32::from_bits((bits & 0x007f_ffff) | 0x3f00_0000);
                if m < super::SQRT_HALF {
                    exp -= 1;
                    x[i] = (m + m) - 1.0;
                } else {
                    x[i] = m - 1.0;
                }
                e[i] = exp as f32;
            }
            (F4(x), F4(e))
        }
    }
    impl super::Add for F4 {
        type Output = F4;
        #[inline(always)]
        fn add(self, o: F4) -> F4 {
            F4(core::array::from_fn(|i| self.0[i] + o.0[i]))
        }
    }
    impl super::Sub for F4 {
        type Output = F4;
        #[inline(always)]
        fn sub(self, o: F4) -> F4 {
            F4(core::array::from_fn(|i| self.0[i] - o.0[i]))
        }
    }
    impl super::Mul for F4 {
        type Output = F4;
        #[inline(always)]
        fn mul(self, o: F4) -> F4 {
            F4(core::array::from_fn(|i| self.0[i] * o.0[i]))
        }
    }
}

pub use imp::F4;

impl F4 {
    #[inline(always)]
    pub fn zero() -> F4 {
        F4::splat(0.0)
    }

    /// log10 of positive normal floats (Cephes `logf` polynomial, vectorised): within ~2 ulp.
    #[inline(always)]
    pub fn log10(self) -> F4 {
        let (x, e) = self.split_log();
        let z = x * x;
        let mut y = F4::splat(LOG_POLY[0]);
        for c in &LOG_POLY[1..] {
            y = y * x + F4::splat(*c);
        }
        y = y * x * z;
        y = y + e * F4::splat(LN2_LO);
        y = y - z * F4::splat(0.5);
        let ln = x + y + e * F4::splat(LN2_HI);
        ln * F4::splat(LOG10_E)
    }

    #[inline(always)]
    pub fn hmax(self) -> f32 {
        let a = self.to_array();
        let mut m = a[0];
        for v in &a[1..] {
            if *v > m {
                m = *v;
            }
        }
        m
    }
}

#[cfg(test)]
mod tests {
    use super::F4;

    #[test]
    fn log10_is_accurate_over_the_clamped_range() {
        let mut worst = 0f64;
        let mut x = 1e-10f64;
        while x < 1e12 {
            let got = F4::splat(x as f32).log10().to_array()[0] as f64;
            let want = (x as f32 as f64).log10();
            worst = worst.max((got - want).abs());
            x *= 1.000_37;
        }
        assert!(worst < 2e-6, "worst log10 error {worst}");
    }

    #[test]
    fn transposes() {
        let rows = [
            F4::new(0.0, 1.0, 2.0, 3.0),
            F4::new(4.0, 5.0, 6.0, 7.0),
            F4::new(8.0, 9.0, 10.0, 11.0),
            F4::new(12.0, 13.0, 14.0, 15.0),
        ];
        let cols = F4::transpose(rows[0], rows[1], rows[2], rows[3]);
        assert_eq!(cols[1].to_array(), [1.0, 5.0, 9.0, 13.0]);
        assert_eq!(cols[3].to_array(), [3.0, 7.0, 11.0, 15.0]);
    }
}
