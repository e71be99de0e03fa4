//! Figures, digit grids, training curves, tables and live training displays for
//! neurust notebooks, in the shape of matplotlib + Keras.
//!
//! # Contents
//!
//! | module | items |
//! |---|---|
//! | figure | [`Figure`] (`new`, `size`, `subplots`, `ax`, `to_svg`, `to_png`, `vegalite`, `save`), [`Axes`] (`imshow`, `plot`, `scatter`, `bar`, `hist`, `text`, `title`, `xlabel`, `xlabel_color`, `ylabel`, `legend`, `grid`, `axis_off`, `xlim`, `ylim`, `xticks`, `yticks`), marks [`Series`], [`Bars`], [`Picture`], [`Annotation`], [`TAB10`] |
//! | colormap | [`Colormap`] (viridis, gray, gray_r) |
//! | helpers | [`digit_grid`], [`misclassified_grid`], [`prediction_grid`], [`confusion_matrix`], [`plot_history`], [`metrics_figure`]; matplotlib's one-liners [`imshow`], [`plot`], [`plot_xy`], [`scatter`], [`hist`], [`bar`] |
//! | tables | [`ArrayResult`], [`array_text`], [`array_bundle`] (arrays shown as numpy does), [`Table`], [`summary_table`], [`evaluation_table`], [`history_table`], [`NnDisplay`], [`Rich`] |
//! | display | `Displayable` for [`Figure`], [`Table`], [`live::ProgressView`]; re-exported [`display`], [`clear_output`], [`Displayable`] |
//! | [`live`] | [`live::LiveProgress`] (the `fit` progress hook), [`live::install`] |
//! | inputs | [`Values`], [`ImageData`], [`ImageStack`], [`Labels`] |
//! | errors | [`PlotError`], [`Result`] |
//!
//! # Rendering
//!
//! SVG is the notebook format: text is left to the browser (no fonts are read
//! from the system), images are embedded PNGs drawn nearest-neighbour. PNG output
//! draws text with an embedded DejaVu Sans through plotters' pure-Rust `ab_glyph`.
//!
//! # Bad input
//!
//! Every call on user data returns a [`PlotError`] instead of panicking: empty
//! arrays, xs/ys of different lengths, a grid larger than the images, labels and
//! images of different counts. **NaN in a curve is skipped with a note**: the
//! line breaks at the missing points and the legend says "(n NaN skipped)", so a
//! loss that diverged still shows the epochs before it; a curve with no finite
//! point at all is an error.
//!
//! ```
//! use neurust_plot::{Displayable, Figure};
//! let mut fig = Figure::new().size(6.0, 4.0);
//! let ax = fig.ax(0)?;
//! ax.plot(&[1, 2, 3, 4, 5], &[0.43, 0.13, 0.09, 0.06, 0.05])?.label("loss");
//! ax.title("Training loss").xlabel("epoch").ylabel("loss").legend();
//! fig.show(); // in a notebook: the figure as its own output
//! # Ok::<(), neurust_plot::PlotError>(())
//! ```

mod colormap;
mod data;
mod display;
mod error;
mod figure;
mod font;
mod helpers;
mod image;
mod labels;
pub mod live;
mod tables;
mod viridis;

pub use colormap::Colormap;
pub use data::{ImageStack, Num, Values};
pub use error::{PlotError, Result};
pub use figure::Figure;
pub use figure::axes::Axes;
pub use figure::marks::{Bars, Rgb, Series, TAB10};
pub use figure::picture::{Annotation, Picture};
pub use helpers::confusion::confusion_matrix;
pub use helpers::digits::{digit_grid, misclassified_grid};
pub use helpers::history::{metrics_figure, plot_history};
pub use helpers::predictions::prediction_grid;
pub use helpers::pyplot::{bar, hist, imshow, plot, plot_xy, scatter};
pub use image::ImageData;
pub use labels::{LabelNum, Labels};
pub use neurust_display::{Displayable, clear_output, display, escape_html};
pub use tables::array::{ArrayResult, array_bundle, array_text};
pub use tables::nn::{NnDisplay, Rich, evaluation_table, history_table, summary_table};
pub use tables::table::Table;
