//! The `dhr` binary: parse the command line, run it, exit with 0, 1 or 2.
#![forbid(unsafe_code)]

fn main() {
    let code = dhr_panel::cli::main();
    // A signal is ending a command that writes a file: its handler removes what was being
    // written and ends the process with 128 + the signal; this thread does not end it first.
    while dhr_panel::store::files::stopping() {
        std::thread::park();
    }
    std::process::exit(code);
}
