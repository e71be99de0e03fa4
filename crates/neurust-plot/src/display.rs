//! Showing figures: [`Displayable`] for [`Figure`], and the plain-program fallback
//! that saves the figure and says where.

use std::sync::atomic::{AtomicU64, Ordering};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use neurust_display::{Displayable, MimeBundle};

use crate::Figure;
use crate::figure::vegalite::VEGALITE_MIME;

impl Figure {
    fn describe(&self) -> String {
        let n = self.axes.len();
        format!("<Figure size {}x{} with {n} Axes>", self.width, self.height)
    }

    /// The figure as an `<img>` holding its SVG, for embedding in HTML outputs.
    ///
    /// ```
    /// let html = neurust_plot::Figure::new().img_html().unwrap();
    /// assert!(html.starts_with("<img src=\"data:image/svg+xml;base64,"));
    /// ```
    pub fn img_html(&self) -> crate::Result<String> {
        let svg = self.to_svg()?;
        Ok(format!(
            "<img src=\"data:image/svg+xml;base64,{}\" width=\"{}\" height=\"{}\" alt=\"{}\"/>",
            STANDARD.encode(svg),
            self.width,
            self.height,
            self.describe()
        ))
    }

    /// Show now as its own output (the inherent twin of [`Displayable::show`], so no
    /// trait import is needed).
    ///
    /// ```
    /// neurust_plot::Figure::new().show();
    /// ```
    pub fn show(&self) {
        neurust_display::display(self)
    }

    /// Called by evcxr on a cell's last expression: the figure becomes the result.
    ///
    /// ```
    /// neurust_plot::Figure::new().evcxr_display();
    /// ```
    pub fn evcxr_display(&self) {
        Displayable::evcxr_display(self)
    }
}

impl Displayable for Figure {
    /// `image/svg+xml` plus a `text/plain` description, and a Vega-Lite spec for
    /// curves and bars ([`Figure::vegalite`]); a drawing error becomes the text so the
    /// notebook still shows what went wrong.
    fn mime_bundle(&self) -> MimeBundle {
        match self.to_svg() {
            Ok(svg) => {
                let bundle = MimeBundle::new().svg(svg).text(self.describe());
                match self.vegalite() {
                    Some(spec) => bundle.with(VEGALITE_MIME, spec),
                    None => bundle,
                }
            }
            Err(e) => MimeBundle::new().text(format!("{}: {e}", self.describe())),
        }
    }

    /// Saves the figure as an SVG in the temp directory and says where.
    fn plain_text(&self) -> String {
        static N: AtomicU64 = AtomicU64::new(0);
        let name = format!(
            "neurust-figure-{}-{}.svg",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        );
        let path = std::env::temp_dir().join(name);
        match self.save(&path) {
            Ok(()) => format!(
                "{} saved to {} (open it in a browser)",
                self.describe(),
                path.display()
            ),
            Err(e) => format!("{}: {e}", self.describe()),
        }
    }
}
