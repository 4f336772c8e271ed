//! The `dhr` binary: parse the command line, run it, exit with 0, 1 or 2.
#![forbid(unsafe_code)]

fn main() {
    let code = dhr_panel::cli::main();
    std::process::exit(code);
}
