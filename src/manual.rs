//! dhr(1), the manual page, from the command line's own definition (`dhr generate man`):
//! one page with every command in it, since a copied binary's user has no other pages.

/// Writes dhr(1) in roff.
pub fn page(w: &mut Vec<u8>) -> std::io::Result<()> {
    let mut top = crate::cli::command()
        .version(env!("CARGO_PKG_VERSION"))
        .disable_help_subcommand(true);
    top.build();
    let man = clap_mangen::Man::new(top.clone()).manual("DHR Panel");
    man.render_title(w)?;
    section(w, true, |w| man.render_name_section(w))?;
    section(w, true, |w| man.render_synopsis_section(w))?;
    section(w, true, |w| man.render_description_section(w))?;
    section(w, true, |w| man.render_options_section(w))?;
    w.extend_from_slice(b".SH COMMANDS\n");
    for sub in top.get_subcommands().filter(|s| !s.is_hide_set()) {
        command_entry(w, sub)?;
    }
    w.extend_from_slice(b".SH FILES\n");
    section(w, false, |w| man.render_extra_section(w))?;
    w.extend_from_slice(b".SH VERSION\n.nf\n");
    for line in format!("dhr {}", crate::cli::version_text()).lines() {
        let line = line.replace('\\', "\\e").replace('-', "\\-");
        w.extend_from_slice(format!("\\&{line}\n").as_bytes());
    }
    w.extend_from_slice(b".fi\n");
    Ok(())
}

/// A part of a page rendered alone, without the lines that start a page (the title
/// writes them once) and, unless `heading`, without its `.SH` heading.
fn section(
    w: &mut Vec<u8>,
    heading: bool,
    render: impl Fn(&mut Vec<u8>) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let mut part = Vec::new();
    render(&mut part)?;
    for line in String::from_utf8_lossy(&part).lines() {
        let preamble = line.starts_with(".ie \\n(.g .ds Aq") || line.starts_with(".el .ds Aq");
        if preamble || (!heading && line.starts_with(".SH ")) {
            continue;
        }
        w.extend_from_slice(line.as_bytes());
        w.push(b'\n');
    }
    Ok(())
}

/// One command's part of dhr(1) (`.SS dhr export minutes`: synopsis, what it does, its
/// options), then its subcommands'.
fn command_entry(w: &mut Vec<u8>, cmd: &clap::Command) -> std::io::Result<()> {
    let name = cmd.get_bin_name().unwrap_or_else(|| cmd.get_name());
    w.extend_from_slice(format!(".SS \"{name}\"\n").as_bytes());
    // The global options and --help are told once, under OPTIONS.
    let own = |a: &clap::Arg| !a.is_hide_set() && !a.is_global_set() && a.get_id() != "help";
    let has_options = cmd.get_arguments().any(own);
    let man = clap_mangen::Man::new(
        cmd.clone()
            .mut_args(|a| if own(&a) { a } else { a.hide(true) }),
    );
    section(w, false, |w| man.render_synopsis_section(w))?;
    w.extend_from_slice(b".PP\n");
    section(w, false, |w| man.render_description_section(w))?;
    if has_options {
        w.extend_from_slice(b".PP\n");
        section(w, false, |w| man.render_options_section(w))?;
    }
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        command_entry(w, sub)?;
    }
    Ok(())
}
