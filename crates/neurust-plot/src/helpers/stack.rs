//! A stack of images (n, h, w) passed to the [`imshow`](crate::imshow) one-liner: a grid of
//! tiles, one per image, in a near-square layout.

use crate::data::Grid;
use crate::figure::picture::Picture;
use crate::{Figure, Result};

/// Columns and rows of the near-square grid for `n` tiles: as many columns as the square
/// root rounded up, then as few rows as hold them all (16 → 4 × 4, 10 → 4 columns × 3 rows).
pub(crate) fn near_square(n: usize) -> (usize, usize) {
    let cols = (1..=n.max(1)).find(|c| c * c >= n).unwrap_or(1);
    (n.div_ceil(cols).max(1), cols)
}

/// `n` images of `rows × cols` values (row-major, one after another) as a grid of axes,
/// each drawn as `imshow` draws one image: viridis over its own min..max, axes hidden.
/// `n` is at most [`MAX_STACK`](crate::image::MAX_STACK), checked when the array was read.
pub(crate) fn stack_figure(n: usize, rows: usize, cols: usize, data: Vec<f64>) -> Result<Figure> {
    let (grid_rows, grid_cols) = near_square(n);
    // 2 inches a tile as digit_grid, smaller for wide grids so the figure stays ~12 inches.
    let tile = (12.0 / grid_cols as f64).min(2.0);
    let aspect = (rows as f64 / cols as f64).clamp(0.1, 10.0);
    let mut fig = Figure::new()
        .size(
            tile * grid_cols as f64,
            tile * aspect * grid_rows as f64 + 0.1,
        )
        .subplots(grid_rows, grid_cols);
    let size = rows * cols;
    for (i, pixels) in data.chunks_exact(size).enumerate() {
        let grid = Grid {
            rows,
            cols,
            data: pixels.to_vec(),
        };
        let ax = fig.ax(i)?;
        ax.picture = Some(Picture::scalars(grid));
        ax.axis_off();
    }
    for i in n..grid_rows * grid_cols {
        fig.ax(i)?.axis_off();
    }
    Ok(fig)
}

#[cfg(test)]
mod tests {
    use super::near_square;

    #[test]
    fn grids_are_near_square() {
        assert_eq!(near_square(1), (1, 1));
        assert_eq!(near_square(2), (1, 2));
        assert_eq!(near_square(10), (3, 4));
        assert_eq!(near_square(16), (4, 4));
        assert_eq!(near_square(17), (4, 5));
    }
}
