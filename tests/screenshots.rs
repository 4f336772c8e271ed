//! The pictures in `screenshots/` are the real screens of today's build: redrawing them
//! gives the same files (`cargo run --example screenshots` refreshes them).

mod common;

#[test]
fn the_screenshots_are_current() {
    let dir = common::private_dir();
    let screens = dhr_panel::screenshots::demo_screens(dir.path()).unwrap();
    assert!(screens.len() >= 9);
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("screenshots");
    let mut stale = Vec::new();
    for (name, buffer) in &screens {
        let svg = dhr_panel::ui::svg::buffer_to_svg(buffer);
        assert!(svg.contains("<svg") && svg.contains("</svg>"));
        let committed =
            std::fs::read_to_string(folder.join(format!("{name}.svg"))).unwrap_or_default();
        if committed != svg {
            stale.push(*name);
        }
    }
    assert!(
        stale.is_empty(),
        "screenshots out of date: {stale:?}; run `cargo run --example screenshots` and commit screenshots/"
    );
}
