//! The shipped size of the widget: every file of `dist/` raw, gzip -9 and
//! brotli -q 11, as a browser would download it.

use std::fs;
use std::io::Write;
use std::process::{Command, Stdio};

use crate::cmd::{Result, root};

/// The total transfer budget (gzip) of the widget.
pub const BUDGET_GZIP_BYTES: u64 = 150 * 1024;

/// One shipped file.
#[derive(Debug, Clone)]
pub struct ShippedFile {
    pub name: String,
    pub raw: u64,
    pub gzip: u64,
    pub brotli: u64,
}

/// Measures the files the widget page loads (the demo page's files and the
/// integrators' typings aside).
pub fn measure() -> Result<Vec<ShippedFile>> {
    let dist = root().join("dist");
    let mut files = Vec::new();
    let entries = fs::read_dir(&dist)
        .map_err(|error| format!("{}: {error} (build the widget first)", dist.display()))?;
    for entry in entries {
        let entry = entry.map_err(|error| error.to_string())?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with("demo.") || name.ends_with(".d.ts") || !entry.path().is_file() {
            continue;
        }
        let bytes = fs::read(entry.path()).map_err(|error| format!("{name}: {error}"))?;
        files.push(ShippedFile {
            raw: bytes.len() as u64,
            gzip: compressed_size("gzip", &["-9", "-c"], &bytes)?,
            brotli: compressed_size("brotli", &["-q", "11", "-c"], &bytes)?,
            name,
        });
    }
    files.sort_by_key(|file| std::cmp::Reverse(file.gzip));
    Ok(files)
}

/// The files as a Markdown table with a total row.
pub fn table(files: &[ShippedFile]) -> String {
    let kb = |bytes: u64| format!("{:.1} KB", bytes as f64 / 1024.0);
    let mut text =
        String::from("| file | raw | gzip -9 | brotli -q 11 |\n| --- | ---: | ---: | ---: |\n");
    for file in files {
        text.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            file.name,
            kb(file.raw),
            kb(file.gzip),
            kb(file.brotli)
        ));
    }
    let total = |size: fn(&ShippedFile) -> u64| files.iter().map(size).sum::<u64>();
    let gzip = total(|file| file.gzip);
    text.push_str(&format!(
        "| **total** | {} | **{}** | {} |\n\nBudget: total transfer (gzip) ≤ {} — **{}**.\n",
        kb(total(|file| file.raw)),
        kb(gzip),
        kb(total(|file| file.brotli)),
        kb(BUDGET_GZIP_BYTES),
        if gzip <= BUDGET_GZIP_BYTES {
            "pass"
        } else {
            "fail"
        },
    ));
    text
}

fn compressed_size(program: &str, args: &[&str], bytes: &[u8]) -> Result<u64> {
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|error| format!("cannot run {program}: {error}"))?;
    let mut stdin = child.stdin.take().ok_or("no stdin")?;
    let input = bytes.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let output = child
        .wait_with_output()
        .map_err(|error| format!("{program}: {error}"))?;
    writer
        .join()
        .map_err(|_| format!("{program}: writer panicked"))?
        .map_err(|error| format!("{program}: {error}"))?;
    Ok(output.stdout.len() as u64)
}
