//! Styling an [`Axes`]: titles, axis labels, legend, grid, limits and ticks.

use crate::{Axes, Rgb};

impl Axes {
    /// Title above the axes.
    ///
    /// ```
    /// # let mut fig = neurust_plot::Figure::new();
    /// fig.ax(0).unwrap().title("7");
    /// ```
    pub fn title(&mut self, title: impl Into<String>) -> &mut Self {
        self.title = Some(title.into());
        self
    }

    /// Label under the x axis.
    ///
    /// ```
    /// # let mut fig = neurust_plot::Figure::new();
    /// fig.ax(0).unwrap().xlabel("epoch");
    /// ```
    pub fn xlabel(&mut self, label: impl Into<String>) -> &mut Self {
        self.xlabel = Some(label.into());
        self
    }

    /// Colour of the x label (default black), as matplotlib's `xlabel(.., color=..)`.
    ///
    /// ```
    /// # let mut fig = neurust_plot::Figure::new();
    /// fig.ax(0).unwrap().xlabel("Sneaker 97% (Sneaker)").xlabel_color([0, 0, 255]);
    /// ```
    pub fn xlabel_color(&mut self, color: Rgb) -> &mut Self {
        self.xlabel_color = Some(color);
        self
    }

    /// Label left of the y axis (rotated).
    ///
    /// ```
    /// # let mut fig = neurust_plot::Figure::new();
    /// fig.ax(0).unwrap().ylabel("accuracy");
    /// ```
    pub fn ylabel(&mut self, label: impl Into<String>) -> &mut Self {
        self.ylabel = Some(label.into());
        self
    }

    /// Show a legend of the labelled series, in the corner with the fewest points.
    ///
    /// ```
    /// # let mut fig = neurust_plot::Figure::new();
    /// fig.ax(0).unwrap().legend();
    /// ```
    pub fn legend(&mut self) -> &mut Self {
        self.legend = true;
        self
    }

    /// Light grid lines at the ticks.
    ///
    /// ```
    /// # let mut fig = neurust_plot::Figure::new();
    /// fig.ax(0).unwrap().grid(true);
    /// ```
    pub fn grid(&mut self, on: bool) -> &mut Self {
        self.grid = on;
        self
    }

    /// Hide frame, ticks and axis labels (matplotlib's `axis("off")`).
    ///
    /// ```
    /// # let mut fig = neurust_plot::Figure::new();
    /// fig.ax(0).unwrap().axis_off();
    /// ```
    pub fn axis_off(&mut self) -> &mut Self {
        self.axis_off = true;
        self
    }

    /// Fix the x range.
    ///
    /// ```
    /// # let mut fig = neurust_plot::Figure::new();
    /// fig.ax(0).unwrap().xlim(0.0, 10.0);
    /// ```
    pub fn xlim(&mut self, lo: f64, hi: f64) -> &mut Self {
        self.xlim = Some((lo, hi));
        self
    }

    /// Fix the y range.
    ///
    /// ```
    /// # let mut fig = neurust_plot::Figure::new();
    /// fig.ax(0).unwrap().ylim(0.0, 1.0);
    /// ```
    pub fn ylim(&mut self, lo: f64, hi: f64) -> &mut Self {
        self.ylim = Some((lo, hi));
        self
    }

    /// Put x ticks at `positions` with the given labels.
    ///
    /// ```
    /// # let mut fig = neurust_plot::Figure::new();
    /// fig.ax(0).unwrap().xticks(&[0.0, 1.0], &["cat", "dog"]);
    /// ```
    pub fn xticks(&mut self, positions: &[f64], labels: &[impl ToString]) -> &mut Self {
        self.xticks = Some(
            positions
                .iter()
                .cloned()
                .zip(labels.iter().map(|l| l.to_string()))
                .collect(),
        );
        self
    }

    /// Put y ticks at `positions` with the given labels.
    ///
    /// ```
    /// # let mut fig = neurust_plot::Figure::new();
    /// fig.ax(0).unwrap().yticks(&[0.0, 1.0], &["low", "high"]);
    /// ```
    pub fn yticks(&mut self, positions: &[f64], labels: &[impl ToString]) -> &mut Self {
        self.yticks = Some(
            positions
                .iter()
                .cloned()
                .zip(labels.iter().map(|l| l.to_string()))
                .collect(),
        );
        self
    }
}
