//! Round trips of the display protocol through encode → one stdout line → decode.

use neurust_display::{Frontend, MARKER, Message, MimeBundle, decode, encode};

/// Encode, check it is exactly one line, decode through a line reader as a kernel would.
fn round_trip(msg: &Message) -> Message {
    let line = encode(msg);
    assert!(line.starts_with(MARKER));
    assert!(
        !line.contains('\n') && !line.contains('\r'),
        "protocol line must be one line"
    );
    let mut out = Vec::new();
    Frontend::Neurust.write(msg, None, &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 1);
    decode(lines[0])
        .expect("is a protocol line")
        .expect("valid")
}

#[test]
fn text_round_trips() {
    let msg = Message::display(MimeBundle::new().text("hello world"), None);
    assert_eq!(round_trip(&msg), msg);
}

#[test]
fn html_round_trips() {
    let html = "<table>\n<tr><td class=\"x\">a &amp; b</td></tr>\n</table>";
    let msg = Message::display(
        MimeBundle::new().html(html).text("a & b"),
        Some("t1".into()),
    );
    let back = round_trip(&msg);
    assert_eq!(back.bundle().unwrap().get("text/html"), Some(html));
    assert_eq!(back.display_id(), Some("t1"));
}

#[test]
fn svg_round_trips() {
    let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\">\n\
               <text x=\"1\" y=\"9\">7 → 1</text></svg>";
    let msg = Message::update(MimeBundle::new().svg(svg), "fig");
    assert_eq!(round_trip(&msg), msg);
}

#[test]
fn two_megabyte_png_round_trips() {
    // Deterministic pseudo-random bytes behind a PNG signature.
    let mut bytes = vec![0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a];
    let mut x: u32 = 12345;
    while bytes.len() < 2 * 1024 * 1024 {
        x = x.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        bytes.push((x >> 24) as u8);
    }
    let msg = Message::display(MimeBundle::new().png(&bytes).text("<Figure>"), None);
    let back = round_trip(&msg);
    assert_eq!(back.bundle().unwrap().png_bytes().unwrap(), bytes);
}

#[test]
fn unicode_newlines_and_the_marker_itself_round_trip() {
    let text = format!(
        "Épreuve 🧠 ∑ 日本語 — tab\there\nsecond line\r\n{MARKER}{{\"action\":\"clear\"}}\n\
         EVCXR_END_CONTENT\n\u{0}nul and \u{2028} separator"
    );
    let msg = Message::display(
        MimeBundle::new().text(text.clone()).html(text.clone()),
        None,
    );
    let back = round_trip(&msg);
    assert_eq!(
        back.bundle().unwrap().get("text/plain"),
        Some(text.as_str())
    );
    assert_eq!(back, msg);
}

#[test]
fn metadata_and_clear_round_trip() {
    let msg = Message::display(
        MimeBundle::new()
            .text("x")
            .meta("image/png", serde_json::json!({"width": 400})),
        None,
    );
    assert_eq!(round_trip(&msg), msg);
    assert_eq!(round_trip(&Message::clear(true)), Message::clear(true));
}

#[test]
fn wire_format_is_as_documented() {
    let line = encode(&Message::display(
        MimeBundle::new().text("hi"),
        Some("a".into()),
    ));
    assert_eq!(
        line,
        r#"NEURUST-DISPLAY-V1 {"action":"display","data":{"text/plain":"hi"},"metadata":{},"display_id":"a"}"#
    );
    // A kernel written in another language may omit metadata, and add fields.
    let m = decode(r#"NEURUST-DISPLAY-V1 {"action":"update","data":{},"display_id":"a","x":1}"#);
    assert_eq!(m.unwrap().unwrap().display_id(), Some("a"));
    // Trailing newline (CRLF too) is accepted.
    assert!(decode(&format!("{line}\r\n")).unwrap().is_ok());
}

#[test]
fn non_protocol_and_malformed_lines() {
    assert!(decode("Epoch 1/5").is_none());
    assert!(
        decode(" NEURUST-DISPLAY-V1 {}").is_none(),
        "marker must start the line"
    );
    assert!(decode("NEURUST-DISPLAY-V1 {}").unwrap().is_err());
    assert!(
        decode(r#"NEURUST-DISPLAY-V1 {"action":"update","data":{}}"#)
            .unwrap()
            .is_err()
    );
}

#[test]
fn evcxr_and_plain_fallbacks() {
    let msg = Message::display(MimeBundle::new().text("t").svg("<svg/>"), None);
    let mut out = Vec::new();
    Frontend::Evcxr.write(&msg, None, &mut out).unwrap();
    assert_eq!(
        String::from_utf8(out).unwrap(),
        "EVCXR_BEGIN_CONTENT image/svg+xml\n<svg/>\nEVCXR_END_CONTENT\n\
         EVCXR_BEGIN_CONTENT text/plain\nt\nEVCXR_END_CONTENT\n"
    );
    let mut out = Vec::new();
    Frontend::Plain
        .write(&msg, Some("saved to /tmp/f.svg"), &mut out)
        .unwrap();
    assert_eq!(out, b"saved to /tmp/f.svg\n");
    let mut out = Vec::new();
    Frontend::Evcxr
        .write(&Message::clear(false), None, &mut out)
        .unwrap();
    assert!(out.is_empty());
}

/// evcxr takes `EVCXR_BEGIN_CONTENT` anywhere in a stdout line as the start of a block, so a
/// display quoting it must not put it on the line verbatim (the cell would hang).
#[test]
fn evcxr_block_markers_in_content_never_reach_the_line() {
    let msg = Message::display(
        MimeBundle::new()
            .text("EVCXR_BEGIN_CONTENT text/plain")
            .html("<p>EVCXR_END_CONTENT \\EVCXR_x</p>"),
        Some("EVCXR_id".into()),
    );
    let line = encode(&msg);
    assert!(!line.contains("EVCXR_"), "{line}");
    assert_eq!(round_trip(&msg), msg);
}
