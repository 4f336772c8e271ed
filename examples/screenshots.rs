//! Redraws `screenshots/*.svg` from the demo case with the real drawing code:
//! `cargo run --example screenshots`.

use std::os::unix::fs::DirBuilderExt;
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let scratch = std::env::temp_dir().join(format!("dhr-screenshots-{}", std::process::id()));
    std::fs::DirBuilder::new().mode(0o700).create(&scratch)?;
    let result = dhr_panel::screenshots::demo_screens(&scratch);
    std::fs::remove_dir_all(&scratch)?;
    let out = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("screenshots");
    std::fs::create_dir_all(&out)?;
    for (name, buffer) in result? {
        let path = out.join(format!("{name}.svg"));
        std::fs::write(&path, dhr_panel::ui::svg::buffer_to_svg(&buffer))?;
        println!("wrote {}", path.display());
    }
    Ok(())
}
