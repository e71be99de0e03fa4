//! [`MimeBundle`]: one value in several representations, the richest shown.

use std::collections::BTreeMap;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Map, Value};

/// MIME type → content, plus display metadata; built with chained calls.
///
/// Text types hold their text; binary types (PNG) hold base64, as in Jupyter.
///
/// ```
/// use neurust_display::MimeBundle;
/// let b = MimeBundle::new().text("3 rows").html("<table></table>");
/// assert_eq!(b.get("text/plain"), Some("3 rows"));
/// assert_eq!(b.mime_types().count(), 2);
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MimeBundle {
    data: BTreeMap<String, String>,
    metadata: Map<String, Value>,
}

impl MimeBundle {
    /// An empty bundle.
    ///
    /// ```
    /// assert!(neurust_display::MimeBundle::new().is_empty());
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// Set `mime` to `content` (already encoded for binary types).
    ///
    /// ```
    /// # use neurust_display::MimeBundle;
    /// let b = MimeBundle::new().with("text/markdown", "**hi**");
    /// assert_eq!(b.get("text/markdown"), Some("**hi**"));
    /// ```
    pub fn with(mut self, mime: impl Into<String>, content: impl Into<String>) -> Self {
        self.data.insert(mime.into(), content.into());
        self
    }

    /// Set `text/plain`, the fallback every front end can show.
    ///
    /// ```
    /// # use neurust_display::MimeBundle;
    /// assert_eq!(MimeBundle::new().text("x").text_plain(), "x");
    /// ```
    pub fn text(self, text: impl Into<String>) -> Self {
        self.with("text/plain", text)
    }

    /// Set `text/html`.
    ///
    /// ```
    /// # use neurust_display::MimeBundle;
    /// assert!(MimeBundle::new().html("<p>x</p>").get("text/html").is_some());
    /// ```
    pub fn html(self, html: impl Into<String>) -> Self {
        self.with("text/html", html)
    }

    /// Set `image/svg+xml`.
    ///
    /// ```
    /// # use neurust_display::MimeBundle;
    /// assert!(MimeBundle::new().svg("<svg/>").get("image/svg+xml").is_some());
    /// ```
    pub fn svg(self, svg: impl Into<String>) -> Self {
        self.with("image/svg+xml", svg)
    }

    /// Set `image/png` from the raw PNG file bytes (stored as base64).
    ///
    /// ```
    /// # use neurust_display::MimeBundle;
    /// let b = MimeBundle::new().png(&[0x89, b'P', b'N', b'G']);
    /// assert_eq!(b.get("image/png"), Some("iVBORw=="));
    /// assert_eq!(b.png_bytes().unwrap(), vec![0x89, b'P', b'N', b'G']);
    /// ```
    pub fn png(self, bytes: &[u8]) -> Self {
        self.with("image/png", STANDARD.encode(bytes))
    }

    /// Add one metadata entry (for example `"image/png"` → `{"width": 400}`).
    ///
    /// ```
    /// # use neurust_display::MimeBundle;
    /// let b = MimeBundle::new().meta("isolated", serde_json::json!(true));
    /// assert_eq!(b.metadata()["isolated"], true);
    /// ```
    pub fn meta(mut self, key: impl Into<String>, value: Value) -> Self {
        self.metadata.insert(key.into(), value);
        self
    }

    /// The content for `mime`, if present.
    ///
    /// ```
    /// # use neurust_display::MimeBundle;
    /// assert_eq!(MimeBundle::new().get("text/plain"), None);
    /// ```
    pub fn get(&self, mime: &str) -> Option<&str> {
        self.data.get(mime).map(String::as_str)
    }

    /// The `text/plain` content, or an empty string.
    ///
    /// ```
    /// # use neurust_display::MimeBundle;
    /// assert_eq!(MimeBundle::new().text_plain(), "");
    /// ```
    pub fn text_plain(&self) -> &str {
        self.get("text/plain").unwrap_or("")
    }

    /// The decoded `image/png` bytes, if present and valid base64.
    ///
    /// ```
    /// # use neurust_display::MimeBundle;
    /// assert!(MimeBundle::new().png_bytes().is_none());
    /// ```
    pub fn png_bytes(&self) -> Option<Vec<u8>> {
        STANDARD.decode(self.get("image/png")?).ok()
    }

    /// The MIME types present, in sorted order.
    ///
    /// ```
    /// # use neurust_display::MimeBundle;
    /// let b = MimeBundle::new().text("a").html("b");
    /// assert_eq!(b.mime_types().collect::<Vec<_>>(), ["text/html", "text/plain"]);
    /// ```
    pub fn mime_types(&self) -> impl Iterator<Item = &str> {
        self.data.keys().map(String::as_str)
    }

    /// The display metadata.
    ///
    /// ```
    /// # use neurust_display::MimeBundle;
    /// assert!(MimeBundle::new().metadata().is_empty());
    /// ```
    pub fn metadata(&self) -> &Map<String, Value> {
        &self.metadata
    }

    /// True when no MIME type is set.
    ///
    /// ```
    /// # use neurust_display::MimeBundle;
    /// assert!(!MimeBundle::new().text("x").is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    /// Split into (data, metadata), as carried by a [`crate::Message`].
    ///
    /// ```
    /// # use neurust_display::MimeBundle;
    /// let (data, meta) = MimeBundle::new().text("x").into_parts();
    /// assert_eq!(data.len(), 1);
    /// assert!(meta.is_empty());
    /// ```
    pub fn into_parts(self) -> (BTreeMap<String, String>, Map<String, Value>) {
        (self.data, self.metadata)
    }

    /// Rebuild from (data, metadata).
    ///
    /// ```
    /// # use neurust_display::MimeBundle;
    /// let b = MimeBundle::new().text("x");
    /// let (d, m) = b.clone().into_parts();
    /// assert_eq!(MimeBundle::from_parts(d, m), b);
    /// ```
    pub fn from_parts(data: BTreeMap<String, String>, metadata: Map<String, Value>) -> Self {
        Self { data, metadata }
    }
}

/// True for the MIME types whose Jupyter content is JSON rather than text: `application/json`
/// and `application/…+json` (Vega-Lite's `application/vnd.vegalite.v5+json`, say), as nbformat
/// defines them.
///
/// ```
/// use neurust_display::bundle::is_json_mime;
/// assert!(is_json_mime("application/vnd.vegalite.v5+json"));
/// assert!(is_json_mime("application/json"));
/// assert!(!is_json_mime("image/svg+xml"));
/// ```
pub fn is_json_mime(mime: &str) -> bool {
    mime.strip_prefix("application/")
        .is_some_and(|sub| sub == "json" || sub.ends_with("+json"))
}

/// A bundle's data as a Jupyter message's `data`: JSON MIME types ([`is_json_mime`]) as the
/// JSON their text holds, since front ends read them as objects (a Vega-Lite renderer given a
/// string would take it for a URL); every other type, and JSON text that does not parse, as
/// a string.
///
/// ```
/// use neurust_display::MimeBundle;
/// use neurust_display::bundle::jupyter_data;
/// let b = MimeBundle::new().text("chart").with("application/vnd.vegalite.v5+json", r#"{"mark":"line"}"#);
/// let data = jupyter_data(b.into_parts().0);
/// assert_eq!(data["application/vnd.vegalite.v5+json"]["mark"], "line");
/// assert_eq!(data["text/plain"], "chart");
/// ```
pub fn jupyter_data(data: impl IntoIterator<Item = (String, String)>) -> Map<String, Value> {
    data.into_iter()
        .map(|(mime, content)| {
            let value = if is_json_mime(&mime) {
                serde_json::from_str(&content).unwrap_or(Value::String(content))
            } else {
                Value::String(content)
            };
            (mime, value)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_types_become_json_and_bad_json_stays_text() {
        let data = jupyter_data([
            ("application/json".to_string(), "[1, 2]".to_string()),
            ("application/vnd.x+json".to_string(), "{oops".to_string()),
            ("application/jsonp".to_string(), "[3]".to_string()),
            ("text/html".to_string(), "{}".to_string()),
        ]);
        assert_eq!(data["application/json"], serde_json::json!([1, 2]));
        assert_eq!(data["application/vnd.x+json"], "{oops");
        assert_eq!(data["application/jsonp"], "[3]");
        assert_eq!(data["text/html"], "{}");
    }
}
