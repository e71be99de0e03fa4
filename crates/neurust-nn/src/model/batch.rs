//! The training loop's input batches: the shuffled rows of the inputs copied into reused
//! buffers.
//!
//! A shuffled batch's rows lie anywhere in a training set far larger than the caches, so
//! nearly every row also misses the TLB, and the page-table walk waits on memory too once a
//! step's arithmetic has pushed the tables out of the caches. On Linux, `fit` therefore copies
//! the training rows once into memory it asks the OS to back with 2 MiB pages: one TLB entry
//! then covers 2 MiB instead of 4 KiB. The copy lives for one `fit` call.

use ndarray::{Array2, ArrayView2, ArrayViewMut2, CowArray, Ix2, s};

/// Training sets smaller than this stay where they are: their page tables stay in cache.
const COPY_MIN_BYTES: usize = 16 << 20;
/// Nor are larger ones copied than this, to keep `fit`'s memory within twice the set's.
const COPY_MAX_BYTES: usize = 2 << 30;

/// The first `rows` rows of `x`, copied to huge-page-backed memory where that helps and the
/// OS allows it, else `x` itself.
pub(super) fn training_rows(x: ArrayView2<f32>, rows: usize) -> CowArray<f32, Ix2> {
    let x = x.slice_move(s![..rows, ..]);
    let bytes = x.len() * size_of::<f32>();
    if !(COPY_MIN_BYTES..=COPY_MAX_BYTES).contains(&bytes) || !x.is_standard_layout() {
        return x.into();
    }
    let mut data: Vec<f32> = Vec::new();
    if data.try_reserve_exact(x.len()).is_err() || !advise_huge_pages(&mut data) {
        return x.into();
    }
    data.extend_from_slice(x.as_slice().expect("checked standard layout"));
    Array2::from_shape_vec(x.dim(), data)
        .expect("the copy has the rows' length")
        .into()
}

/// Asks the OS to back `v`'s unused capacity with huge pages (before it is first written, so
/// the pages are made huge when they are faulted in); whether it accepted.
#[cfg(target_os = "linux")]
fn advise_huge_pages(v: &mut Vec<f32>) -> bool {
    const HUGE: usize = 2 << 20;
    let spare = v.spare_capacity_mut();
    let start = (spare.as_ptr() as usize).next_multiple_of(HUGE);
    let end = (spare.as_ptr() as usize + size_of_val(spare)) / HUGE * HUGE;
    if end <= start {
        return false;
    }
    // SAFETY: the range lies inside `v`'s allocation; MADV_HUGEPAGE changes how its pages are
    // backed, never their contents.
    unsafe { libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_HUGEPAGE) == 0 }
}

#[cfg(not(target_os = "linux"))]
fn advise_huge_pages(_: &mut Vec<f32>) -> bool {
    false
}

/// Copies rows `idx` of `x`, in that order, into the first rows of `out`, on this thread. The
/// training loop runs it on a worker for the next batch while a step runs
/// (`parallel::with_background`).
pub(super) fn gather(x: ArrayView2<f32>, idx: &[usize], mut out: ArrayViewMut2<f32>) {
    for (r, &i) in idx.iter().enumerate() {
        let (src, mut dst) = (x.row(i), out.row_mut(r));
        match (src.as_slice(), dst.as_slice_mut()) {
            (Some(s), Some(d)) => crate::simd::copy(d, s),
            _ => dst.assign(&src),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gathered_rows_are_the_chosen_rows_in_order() {
        for cols in [784, 100, 1] {
            let x = Array2::from_shape_fn((50, cols), |(i, j)| (i * 1000 + j) as f32);
            let idx = [7, 3, 49, 0, 3, 21];
            let mut out = Array2::from_elem((8, cols), f32::NAN);
            gather(x.view(), &idx, out.view_mut());
            for (r, &i) in idx.iter().enumerate() {
                assert_eq!(out.row(r), x.row(i), "{cols} columns, row {r}");
            }
            assert!(
                out.row(6).iter().all(|v| v.is_nan()),
                "rows past the batch untouched"
            );
        }
    }

    #[test]
    fn small_sets_stay_in_place_and_large_ones_are_copied_equal() {
        let small = Array2::<f32>::ones((10, 784));
        assert!(training_rows(small.view(), 8).is_view());
        let rows = COPY_MIN_BYTES / (784 * 4) + 10;
        let large = Array2::from_shape_fn((rows, 784), |(i, j)| (i ^ j) as f32);
        let copy = training_rows(large.view(), rows - 3);
        assert_eq!(copy.view(), large.slice(s![..rows - 3, ..]));
    }
}
