#![allow(clippy::needless_borrow, clippy::useless_vec)] // the calls mirror the code evcxr writes
//! evcxr shows a cell's last expression by compiling `(expr).evcxr_display();`. With the prelude
//! in scope that call must resolve, without ambiguity, for plain values (to `PlainResult`) and
//! for rich ones (to their own display), or a notebook cell would fail to compile or lose its
//! rich output. This file compiling is most of the test.

use neurust::prelude::*;

fn is_plain<T: PlainResult>(_: T) {}

#[test]
fn plain_and_rich_results_resolve() {
    is_plain(1 + 1);
    is_plain(0.5f32);
    is_plain("text");
    is_plain(Some(3u8));
    is_plain((1usize, 2.0f64));
    is_plain(&[28usize, 28][..]);
    is_plain(());
    (1 + 1).evcxr_display();
    (vec![1, 2, 3]).evcxr_display();
    (String::from("quoted")).evcxr_display();

    let history = History::default();
    (history.clone()).evcxr_display();
    (&history).evcxr_display();
    (Sequential::new().summary()).evcxr_display();
    (Figure::new()).evcxr_display();
    (MimeBundleFromDisplay).evcxr_display();

    let images: Array3<u8> = Array3::zeros((2, 28, 28));
    (images).evcxr_display();
    (images.slice(s![0, .., ..])).evcxr_display();
    (&images).evcxr_display();
    (images.mapv(f32::from) / 255.0).evcxr_display();
    (array![true, false]).evcxr_display();
    assert_eq!(images.len(), 2 * 28 * 28, "showing an array keeps it");
}

/// A user type with rich output through `Displayable` (not `Copy`): takes the rich path.
struct MimeBundleFromDisplay;

impl Displayable for MimeBundleFromDisplay {
    fn mime_bundle(&self) -> neurust::display::MimeBundle {
        neurust::display::MimeBundle::new().text("rich")
    }
}
