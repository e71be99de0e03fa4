//! A Dense layer's products with its kernel split into blocks that stay with one core: the
//! forward product `x·W` over the kernel's row panels, the weight gradient `xᵀ·dz` by the same
//! blocks, and (in `optimizers::state`) the optimizer's update by the same blocks again. Each
//! thread runs its home part first (see `parallel`), so from step to step a core finds its
//! block of the kernel, of the gradient and of the optimizer's moments in its own cache.
//! Splitting the forward product by columns instead made each core read the kernel rows the
//! other core had just updated.
//!
//! A kernel with at least [`PANEL_MIN_ROWS`] rows has two row panels `p₀`, `p₁`, and the
//! forward product is `a[:, p₀]·b[p₀, :] + a[:, p₁]·b[p₁, :]`. The panels depend on the shape
//! alone, so every element is the same two sequential sums, added, at any thread count.

use std::ops::Range;

use ndarray::{Array2, ArrayView2, ArrayViewMut2, s};

use super::shared_blocks::SharedBlocks;
use super::{PARALLEL_MIN_MACS, gemm_serial};
use crate::parallel::{self, split_range};

/// Kernels with at least this many rows (inputs) are split into two row panels.
pub const PANEL_MIN_ROWS: usize = 512;

/// How many row panels a kernel of `rows` rows has: fixed by the shape.
pub fn panel_count(rows: usize) -> usize {
    if rows >= PANEL_MIN_ROWS { 2 } else { 1 }
}

/// The rows of panel `panel` of a kernel of `rows` rows.
pub fn panel_rows(rows: usize, panel: usize) -> Range<usize> {
    split_range(rows, panel, panel_count(rows), 1)
}

/// How a `rows × cols` kernel is split among the parts of a job: row panels (fixed by the
/// shape) times column blocks (as many as the threads allow).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Partition {
    rows: usize,
    cols: usize,
    panels: usize,
    col_blocks: usize,
}

impl Partition {
    /// The split of a `rows × cols` kernel among `threads` threads.
    pub fn new(rows: usize, cols: usize, threads: usize) -> Self {
        let panels = panel_count(rows);
        Partition {
            rows,
            cols,
            panels,
            col_blocks: (threads / panels).max(1),
        }
    }

    /// How many parts (blocks) there are.
    pub fn parts(&self) -> usize {
        self.panels * self.col_blocks
    }

    /// The row panel of part `p`.
    fn panel(&self, p: usize) -> usize {
        p % self.panels
    }

    /// The rows and columns of part `p`: panel `p % panels`, column block `p / panels` (so
    /// that with two threads each takes one panel whole). A block may be empty.
    pub fn block(&self, p: usize) -> (Range<usize>, Range<usize>) {
        (
            panel_rows(self.rows, self.panel(p)),
            split_range(self.cols, p / self.panels, self.col_blocks, 16),
        )
    }

    /// Runs `f` on every part: on the thread team when `parallel`, else here.
    fn run(&self, parallel: bool, f: &(dyn Fn(usize) + Sync)) {
        if parallel {
            parallel::run_parts(self.parts(), f);
        } else {
            (0..self.parts()).for_each(f);
        }
    }
}

/// Whether an `m × k × n` product is worth the thread team, and how many threads it uses.
fn threads_for(m: usize, k: usize, n: usize) -> usize {
    if m * k * n < PARALLEL_MIN_MACS {
        1
    } else {
        parallel::num_threads()
    }
}

/// `c = a·b` over the row panels of `b` (the kernel), then `epilogue(columns, block)`: on
/// each part's block where `b` has one panel, else once on all of `c` after the panels' sum.
pub fn gemm_panels<E>(
    a: ArrayView2<f32>,
    b: ArrayView2<f32>,
    mut c: ArrayViewMut2<f32>,
    epilogue: E,
) where
    E: Fn(Range<usize>, ArrayViewMut2<f32>) + Sync,
{
    let (m, k) = a.dim();
    let n = b.ncols();
    assert!(b.nrows() == k && c.dim() == (m, n), "gemm_panels shapes");
    let threads = threads_for(m, k, n);
    let split = Partition::new(k, n, threads);
    // The first panel is summed in `c`, the second in `second`.
    let mut second = (split.panels > 1).then(|| Array2::<f32>::zeros((m, n)));
    {
        let first_out = SharedBlocks::new(c.view_mut());
        let second_out = second.as_mut().map(|s| SharedBlocks::new(s.view_mut()));
        split.run(threads > 1, &|p| {
            let (rows, cols) = split.block(p);
            if cols.is_empty() {
                return;
            }
            let out = match (&second_out, split.panel(p)) {
                (Some(second), 1) => second,
                _ => &first_out,
            };
            // SAFETY: the parts' blocks are disjoint in `c`, and in `second`.
            let mut block = unsafe { out.cols(cols.clone()) };
            let (a, b) = (a.slice(s![.., rows.clone()]), b.slice(s![rows, ..]));
            product_skipping_steps(a, b, cols.clone(), block.view_mut());
            if split.panels == 1 {
                epilogue(cols, block);
            }
        });
    }
    if let Some(second) = second {
        c += &second;
        epilogue(0..n, c);
    }
}

/// `c = a·b` where `c` has a kernel's shape (a weight gradient), computed by the blocks of
/// its [`Partition`]; each element is one sequential sum whatever the split.
pub fn gemm_blocks(a: ArrayView2<f32>, b: ArrayView2<f32>, c: ArrayViewMut2<f32>) {
    let (m, k) = a.dim();
    let n = b.ncols();
    assert!(b.nrows() == k && c.dim() == (m, n), "gemm_blocks shapes");
    let threads = threads_for(m, k, n);
    let split = Partition::new(m, n, threads);
    let out = SharedBlocks::new(c);
    split.run(threads > 1, &|p| {
        let (rows, cols) = split.block(p);
        if rows.is_empty() || cols.is_empty() {
            return;
        }
        // SAFETY: the parts' blocks are disjoint.
        let block = unsafe { out.block(rows.clone(), cols.clone()) };
        product_skipping_rows(a.slice(s![rows, ..]), b, cols, block);
    });
}

/// `c = a·b[:, cols]` on this thread, leaving out the zero entries of each row of `a` (see
/// `sparse`, which decides on the whole of `b`) or else the columns of `a` that are zero
/// throughout (see `skip`) where that applies: the same values.
fn product_skipping_steps(
    a: ArrayView2<f32>,
    b: ArrayView2<f32>,
    cols: Range<usize>,
    mut c: ArrayViewMut2<f32>,
) {
    #[cfg(target_arch = "x86_64")]
    if super::sparse::gemm_sparse_cols(a, b, cols.clone(), c.view_mut())
        || super::skip::gemm_skipping_steps(a, b.slice(s![.., cols.clone()]), c.view_mut())
    {
        return;
    }
    gemm_serial(a, b.slice(s![.., cols]), c, false);
}

/// `c = a·b[:, cols]` on this thread, leaving out the zero entries of each row of `a` (see
/// `sparse`: the same values), or else giving the rows of `a` that are zero throughout zero
/// rows of `c` without a product (see `skip`: the same bits), where that applies.
fn product_skipping_rows(
    a: ArrayView2<f32>,
    b: ArrayView2<f32>,
    cols: Range<usize>,
    mut c: ArrayViewMut2<f32>,
) {
    #[cfg(target_arch = "x86_64")]
    if super::sparse::gemm_sparse_cols(a, b, cols.clone(), c.view_mut())
        || super::skip::gemm_skipping_rows(a, b.slice(s![.., cols.clone()]), c.view_mut())
    {
        return;
    }
    gemm_serial(a, b.slice(s![.., cols]), c, false);
}
