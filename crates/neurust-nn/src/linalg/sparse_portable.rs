//! The sparse product of [`sparse`](super::sparse) without AVX-512: the same chain of fused
//! multiply-adds for each element of `C`, written as plain loops over tiles of 64 columns,
//! which the compiler turns into eight vectors of sums when the caller compiles it for AVX2
//! (`simd::widest`).

use super::sparse_out::Out;
use super::sparse_rows::SparseRows;

/// Columns per tile: eight AVX2 vectors of sums, held in registers across a row's entries.
const TILE: usize = 64;

/// Every row of `C`, in tiles of [`TILE`] columns and one narrower last tile.
///
/// # Safety
/// Every listed column of `rows` is a row of `B`, and `out` describes live arrays with
/// `rows.rows()` rows of `C` and `out.n()` columns, `C` not aliasing `B`.
#[inline(always)]
pub unsafe fn product(rows: &SparseRows, out: &Out) {
    let mut j = 0;
    while j + TILE <= out.n() {
        // SAFETY: the tile's columns are below `n`.
        unsafe { tile(rows, out, j) };
        j += TILE;
    }
    if j < out.n() {
        // SAFETY: as above.
        unsafe { last_tile(rows, out, j) };
    }
}

/// Columns `j..j + TILE` of every row, the sums in a fixed-size array the compiler keeps in
/// registers.
#[inline(always)]
unsafe fn tile(rows: &SparseRows, out: &Out, j: usize) {
    for i in 0..rows.rows() {
        let (cols, values) = rows.row(i);
        let mut sums = [0.0f32; TILE];
        for (&p, &x) in cols.iter().zip(values) {
            // SAFETY: `p` is a row of `B`, and the tile's columns are below `n`.
            let b = unsafe { std::slice::from_raw_parts(out.b_row(p).add(j), TILE) };
            for (sum, &b) in sums.iter_mut().zip(b) {
                *sum = x.mul_add(b, *sum);
            }
        }
        // SAFETY: row `i` of `C` exists, and the tile's columns are below `n`.
        let c = unsafe { std::slice::from_raw_parts_mut(out.c_row(i).add(j), TILE) };
        c.copy_from_slice(&sums);
    }
}

/// Columns `j..n` (fewer than a tile) of every row, summed in place in `C`.
#[inline(always)]
unsafe fn last_tile(rows: &SparseRows, out: &Out, j: usize) {
    let width = out.n() - j;
    for i in 0..rows.rows() {
        let (cols, values) = rows.row(i);
        // SAFETY: as in `tile`, for the columns `j..n`.
        let c = unsafe { std::slice::from_raw_parts_mut(out.c_row(i).add(j), width) };
        c.fill(0.0);
        for (&p, &x) in cols.iter().zip(values) {
            // SAFETY: as in `tile`.
            let b = unsafe { std::slice::from_raw_parts(out.b_row(p).add(j), width) };
            for (sum, &b) in c.iter_mut().zip(b) {
                *sum = x.mul_add(b, *sum);
            }
        }
    }
}
