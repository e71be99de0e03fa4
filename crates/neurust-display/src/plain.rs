//! [`PlainResult`]: cell results of plain values (numbers, `&str`, slices of numbers, small
//! tuples and options of them) shown in one compile.
//!
//! evcxr compiles a cell that ends in an expression as `(expr).evcxr_display();` first and, when
//! that fails to compile, a second time printing `{:?}`. For `1 + 1` the first compile always
//! failed, so every such cell was compiled twice. With this trait in scope the first compile
//! succeeds and prints what the second would have printed. A `()` result (a cell ending in
//! `println!(..)` without a semicolon) shows nothing, as a Python cell ending in `None` does.
//!
//! The method takes `self` by value, so for these `Copy` types it is found before any
//! `&self` method such as [`Displayable::evcxr_display`](crate::Displayable::evcxr_display);
//! the types are listed one by one (no blanket impl), so no rich type is ever shadowed.

use std::fmt::Debug;
use std::io::{self, Write};

use crate::write_evcxr_block;

/// The cell-result hook for plain values; see the [module docs](self).
///
/// ```
/// use neurust_display::PlainResult;
/// (6 * 7).evcxr_display(); // prints an evcxr text/plain block holding `42`
/// ```
pub trait PlainResult {
    /// Prints the value's `{:?}` as the cell's `text/plain` result.
    fn evcxr_display(self);
}

/// The element types [`PlainResult`] accepts inside options, tuples and slices.
pub trait PlainScalar: Copy + Debug {}

fn send(value: &dyn Debug) {
    let mut out = io::stdout().lock();
    let _ = write_evcxr_block(&mut out, "text/plain", &format!("{value:?}"));
    let _ = out.flush();
}

#[cfg(test)]
mod tests {
    use crate::write_evcxr_block;

    #[test]
    fn the_block_is_what_evcxr_fallback_prints() {
        // evcxr's fallback prints `{:?}` between these two lines.
        let mut out = Vec::new();
        write_evcxr_block(&mut out, "text/plain", &format!("{:?}", Some("a"))).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            "EVCXR_BEGIN_CONTENT text/plain\nSome(\"a\")\nEVCXR_END_CONTENT\n"
        );
    }
}

macro_rules! scalars {
    ($($t:ty),*) => {$(
        impl PlainScalar for $t {}
        impl PlainResult for $t {
            fn evcxr_display(self) {
                send(&self)
            }
        }
    )*};
}

scalars!(
    i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize, f32, f64, bool, char
);

impl PlainScalar for &str {}

impl PlainResult for &str {
    fn evcxr_display(self) {
        send(&self)
    }
}

impl PlainResult for () {
    fn evcxr_display(self) {}
}

impl<T: PlainScalar> PlainResult for Option<T> {
    fn evcxr_display(self) {
        send(&self)
    }
}

impl<T: PlainScalar> PlainResult for &[T] {
    fn evcxr_display(self) {
        send(&self)
    }
}

impl<A: PlainScalar, B: PlainScalar> PlainResult for (A, B) {
    fn evcxr_display(self) {
        send(&self)
    }
}

impl<A: PlainScalar, B: PlainScalar, C: PlainScalar> PlainResult for (A, B, C) {
    fn evcxr_display(self) {
        send(&self)
    }
}
