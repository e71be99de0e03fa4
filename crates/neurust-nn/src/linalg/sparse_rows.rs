//! The non-zero entries of a matrix, row by row (compressed sparse rows), in buffers that each
//! thread reuses from product to product.

use std::arch::x86_64::*;

use ndarray::ArrayView2;

/// Room a row's reader may write past its last value: one vector's overhang.
const OVERHANG: usize = 16;

/// The entries of each row of a matrix that are not zero (NaN included), in ascending column
/// order: row `i`'s are `cols[starts[i]..starts[i + 1]]`, with `values` alongside.
#[derive(Default)]
pub struct SparseRows {
    starts: Vec<u32>,
    cols: Vec<u32>,
    values: Vec<f32>,
}

impl SparseRows {
    /// Reads `a`'s entries into this buffer (`spare` is scratch space); returns `false`,
    /// leaving it unusable, when `a` has more than `limit` of them or neither axis of `a` is
    /// contiguous.
    ///
    /// # Safety
    /// The processor has AVX-512F.
    #[target_feature(enable = "avx512f")]
    pub unsafe fn fill(&mut self, a: ArrayView2<f32>, limit: usize, spare: &mut Self) -> bool {
        self.fill_with(a, limit, spare, |lists, a, limit| lists.read_rows(a, limit))
    }

    /// [`fill`](Self::fill) on any processor, a value at a time.
    #[inline(always)]
    pub fn fill_portable(&mut self, a: ArrayView2<f32>, limit: usize, spare: &mut Self) -> bool {
        self.fill_with(a, limit, spare, Self::read_rows_portable)
    }

    /// Reads `a` with `read`, which takes a matrix with contiguous rows.
    #[inline(always)]
    fn fill_with(
        &mut self,
        a: ArrayView2<f32>,
        limit: usize,
        spare: &mut Self,
        read: impl Fn(&mut Self, ArrayView2<f32>, usize) -> bool,
    ) -> bool {
        let (m, k) = a.dim();
        if m.max(k) >= u32::MAX as usize {
            return false;
        }
        let s = a.strides();
        if s[1] == 1 || k == 1 {
            read(self, a, limit)
        } else if s[0] == 1 || m == 1 {
            // Each column's entries lie side by side: read them as the rows of `aᵀ`.
            read(spare, a.t(), limit) && {
                self.transpose(spare, m);
                true
            }
        } else {
            false
        }
    }

    /// How many entries the lists hold room for.
    pub fn capacity(&self) -> usize {
        self.cols.capacity().min(self.values.capacity())
    }

    /// How many rows.
    pub fn rows(&self) -> usize {
        self.starts.len().saturating_sub(1)
    }

    /// Row `i`'s columns and values.
    #[inline(always)]
    pub fn row(&self, i: usize) -> (&[u32], &[f32]) {
        let range = self.starts[i] as usize..self.starts[i + 1] as usize;
        (&self.cols[range.clone()], &self.values[range])
    }

    /// Reads the rows of `a` (each contiguous), 16 values at a time: the non-zero ones and
    /// their columns are packed to the front of a vector and stored at the end of the lists.
    #[inline(always)]
    fn read_rows(&mut self, a: ArrayView2<f32>, limit: usize) -> bool {
        // SAFETY: `fill` runs on AVX-512F.
        let iota =
            unsafe { _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15) };
        self.read_rows_with(
            a,
            limit,
            #[inline(always)]
            |row, k, cols, values| {
                let mut kept = 0;
                let mut p = 0;
                while p < k {
                    let valid = crate::simd::first_lanes((k - p).min(16));
                    // SAFETY: `fill` runs on AVX-512F; the masked load reads only lanes below
                    // `k` of the row, and the stores stay within the row's room.
                    unsafe {
                        let v = _mm512_maskz_loadu_ps(valid, row.add(p));
                        let zero = _mm512_setzero_ps();
                        let set = _mm512_mask_cmp_ps_mask::<_CMP_NEQ_UQ>(valid, v, zero);
                        let at = _mm512_add_epi32(_mm512_set1_epi32(p as i32), iota);
                        _mm512_storeu_ps(values.add(kept), _mm512_maskz_compress_ps(set, v));
                        let packed = _mm512_maskz_compress_epi32(set, at);
                        _mm512_storeu_si512(cols.add(kept).cast(), packed);
                        kept += set.count_ones() as usize;
                    }
                    p += 16;
                }
                kept
            },
        )
    }

    /// [`read_rows`](Self::read_rows) a value at a time: each is stored at the end of the
    /// lists, which grow by one only where it is not zero (no branch to mispredict).
    #[inline(always)]
    fn read_rows_portable(&mut self, a: ArrayView2<f32>, limit: usize) -> bool {
        self.read_rows_with(a, limit, |row, k, cols, values| {
            let mut kept = 0;
            for p in 0..k {
                // SAFETY: `p` is below `k`, and at most `k` entries are stored.
                unsafe {
                    let v = *row.add(p);
                    *cols.add(kept) = p as u32;
                    *values.add(kept) = v;
                    kept += usize::from(v != 0.0);
                }
            }
            kept
        })
    }

    /// Reads the rows of `a` (each contiguous) with `read_row(row, k, cols, values)`, which
    /// stores a row's non-zero values and their columns from `values` and `cols` on, writing
    /// at most `k + OVERHANG` entries, and returns how many it kept.
    #[inline(always)]
    fn read_rows_with(
        &mut self,
        a: ArrayView2<f32>,
        limit: usize,
        read_row: impl Fn(*const f32, usize, *mut u32, *mut f32) -> usize,
    ) -> bool {
        let k = a.ncols();
        self.starts.clear();
        self.starts.push(0);
        self.cols.clear();
        self.values.clear();
        let mut len = 0usize;
        for row in a.rows() {
            // SAFETY: the first `len` entries of both lists are written.
            unsafe {
                self.cols.set_len(len);
                self.values.set_len(len);
            }
            self.cols.reserve(k + OVERHANG);
            self.values.reserve(k + OVERHANG);
            let (cols, values) = (self.cols.as_mut_ptr(), self.values.as_mut_ptr());
            // SAFETY: the row has `k` values at unit stride (or one value); there is room for
            // `k + OVERHANG` entries from `len` on.
            len += read_row(row.as_ptr(), k, unsafe { cols.add(len) }, unsafe {
                values.add(len)
            });
            if len > limit {
                return false;
            }
            self.starts.push(len as u32);
        }
        // SAFETY: the first `len` entries of both lists are written, within their capacity.
        unsafe {
            self.cols.set_len(len);
            self.values.set_len(len);
        }
        true
    }

    /// Becomes the transpose of `t`, a matrix with `m` columns: each row's entries counted,
    /// then placed row of `t` after row of `t`, so they come out in ascending column order.
    #[inline(always)]
    fn transpose(&mut self, t: &SparseRows, m: usize) {
        self.starts.clear();
        self.starts.resize(m + 1, 0);
        for &i in &t.cols {
            self.starts[i as usize + 1] += 1;
        }
        for i in 0..m {
            self.starts[i + 1] += self.starts[i];
        }
        let total = t.cols.len();
        self.cols.clear();
        self.cols.resize(total, 0);
        self.values.clear();
        self.values.resize(total, 0.0);
        // `next[i]` is where row i's next entry goes; the starts end up shifted by one row.
        let next = &mut self.starts[..m];
        for p in 0..t.rows() {
            let (rows, values) = t.row(p);
            for (&i, &v) in rows.iter().zip(values) {
                let at = next[i as usize] as usize;
                next[i as usize] += 1;
                self.cols[at] = p as u32;
                self.values[at] = v;
            }
        }
        self.starts.rotate_right(1);
        self.starts[0] = 0;
    }
}
