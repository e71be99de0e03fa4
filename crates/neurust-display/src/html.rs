//! [`escape_html`]: text made safe to place inside HTML, for every crate that writes HTML
//! outputs (the plots' tables, the kernel's `:vars`).

/// Escape text for HTML.
///
/// ```
/// assert_eq!(neurust_display::escape_html("<a & b>"), "&lt;a &amp; b&gt;");
/// ```
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
