//! The shipped size of the widget: every file of `dist/` raw, gzip -9 and
//! brotli -q 11 (as the server sends it), and the total a browser downloads
//! for the widget's page.

use std::fs;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use super::code_size::{self, Share};
use super::report::{Figure, Section};
use crate::cmd::{Result, root};

/// The total transfer budget (gzip) of the widget.
const BUDGET_GZIP_BYTES: u64 = 150 * 1024;
/// What the issue aims for, below the budget.
const AIM_GZIP_BYTES: u64 = 100 * 1024;

const TITLE: &str = "Bundle";
const COMMAND: &str = "cargo xtask bench bundle";
const METHOD: &str = "The release build (`trunk build --release --offline`): every file of \
    `dist/` raw, `gzip -9` and `brotli -q 11` (the copy `scripts/precompress.mjs` writes \
    for the server to send, or the file itself where brotli does not make it smaller). \
    Total transfer is the sum over the files the \
    widget's page loads, as a browser with an empty cache downloads them (its `cil` scripts are \
    written into its `index.html`); the demo pages, the CRM host page's `cil-core.js` and \
    `cil-host.js` and the integrators' typings are listed but not counted.";

/// Builds the widget in release and measures `dist/`.
pub fn run_section() -> Section {
    let measured = crate::setup::ensure(crate::setup::Needs::build_only())
        .and_then(|()| crate::run::build_widget())
        .and_then(|()| measure());
    match measured {
        Ok(files) => section(&files),
        Err(error) => Section::not_run(TITLE, COMMAND, METHOD, error),
    }
}

fn section(files: &[ShippedFile]) -> Section {
    let total = |size: fn(&ShippedFile) -> u64| widget_page(files).map(size).sum::<u64>();
    let gzip = total(|file| file.gzip);
    let wasm_gzip: u64 = widget_page(files)
        .filter(|file| file.name.ends_with(".wasm"))
        .map(|file| file.gzip)
        .sum();
    let share = if gzip == 0 {
        0.0
    } else {
        wasm_gzip as f64 * 100.0 / gzip as f64
    };
    Section::new(TITLE, COMMAND, METHOD)
        .figure(Figure::new("total transfer, gzip -9", kb(gzip)).budget(
            format!("≤ {} (aim {})", kb(BUDGET_GZIP_BYTES), kb(AIM_GZIP_BYTES)),
            gzip <= BUDGET_GZIP_BYTES,
            format!(
                "the wasm module is {share:.0} % of the transfer, and no flag shrinks it \
                 further (wasm-opt -Oz with --low-memory-unused, lto, opt-level z, \
                 codegen-units 1 and std rebuilt with panic=immediate-abort are on, and \
                 the wasm's producers and target-features sections are left out; opt-level s, wasm-opt -O3, \
                 --converge, --gufa, --ignore-implicit-traps, -tnh and a lower LLVM inline \
                 threshold are no smaller; a second wasm-opt pass with --flatten \
                 --rereloop takes 1.1 KB off, 0.4 %, not adopted for so little; Leptos' \
                 view macro patched to write every attribute untyped, so that one erased \
                 attribute type serves every name, took 3.8 KB off, 1.3 %, not adopted: it \
                 gives up the compile-time check of attribute names (the names set at a \
                 few places are now custom attributes named by an enum, below); HTML, CSS and JS are \
                 minified; -Zlocation-detail=none and -Zfmt-debug=none on top of \
                 immediate-abort are no smaller). The excess is spread over every part (see where the \
                 code comes from), measured by cutting parts out of a scratch build of the wasm module (gzip, on an \
                 earlier build of 323 KB): the views 89 KB; the `cil` bridge 16, the event \
                 stream 31, the backends' requests and the outbox delivery 29, the \
                 agent-state requests 24, the Desk and the rest of the runtime 72; the page \
                 shell (mount, configuration, an idle store) 62, of which a Leptos counter is \
                 29. Reaching 150 KB needs each part at about half its size, and the size is the \
                 code of each part's features, not one layer: the workitem card built with \
                 plain DOM calls instead of Leptos' views measured only 18 % smaller (4.3 KB \
                 against 5.3), and consolidating the reactive code's types (78 typed \
                 instantiations of signals, memos and effects, 50 KB before compression) took \
                 17 KB off (done so far, below). It needs every \
                 part written for size — a rewrite of the widget, not a tweak. Done so far: \
                 lower-casing through the browser instead of Rust's Unicode tables (−8 KB), \
                 flat sorted maps instead of BTreeMap and HashMap (−11 KB), the last \
                 BTreeMaps and the generic sorts that built them (−11.4 KB), the JS classes \
                 that wasm-streams exports for Leptos' server functions, unused here \
                 (vendor/README.md, −6.5 KB), short names for the wasm's imports from its \
                 JS glue, whose hashed names gzip cannot share across the two files \
                 (−4.4 KB), one reader of \
                 the workitem for events and `getChannel` (−8 KB), the b+s objects read by hand \
                 instead of serde's flatten and path tracking (−15.7 KB), the `cil` requests \
                 read by hand too (−5.8 KB), every JSON the widget reads (answers, error \
                 bodies, stored values, events) parsed into one JSON value type and read by \
                 hand (−7.4 KB), that JSON value core's own, whose object is a sorted vector \
                 where serde_json's is a B-tree, and read from text by core's own reader \
                 (−8.8 KB), JSON text (requests, stored values, `cil` events) written by \
                 core's own writer instead of serde's serializer (−6.3 KB), minified HTML, \
                 CSS and JS (−5.0 KB), the reactive code \
                 consolidated: effects through one boxed function, memos and signals of one-off \
                 types kept as the texts and flags shown, the store's handlers in one stored \
                 value, reactive texts and attributes of one output type (`String`, \
                 `Option<String>`) and written as literal closures (−17.0 KB; one element \
                 reference type for every tag instead of `NodeRef`s measured −0.4 KB, not \
                 adopted), core's readers matching on the field taken out instead of \
                 passing large values through `Option` and `Result` adapters, and reading \
                 into a default value field by field (−4.2 KB), the one call that pulled \
                 serde_json's error texts into the wasm (−1.0 KB), console messages \
                 formatted in one place (−0.4 KB), RFC 3339 read and written by core \
                 instead of chrono's text code (−1.8 KB; measured and not worth doing: \
                 writing integers without core::fmt, at most −0.4 KB, as panics keep its \
                 usize writer, and remapping the crates' source paths in panic locations, \
                 −0.07 KB), the CTI requests' answers read as JSON and their results by \
                 their callers, not one reader instance per answer type (−0.7 KB), values \
                 only texts and attributes read taken where they are shown instead of memos \
                 of their own types, and components returning their reactive view through \
                 `view!`'s one render path for its output type instead of as closures of \
                 their own types (−2.9 KB), the widget's own copies of workitems (−1.3 KB), \
                 the readers' errors boxed, so that each reader's result and each `?` of \
                 each field carries one word instead of six, and a field taken out and named \
                 in an error by two functions every reader shares (−7.8 KB), the \
                 interaction record's answer shared with its waiters through a plain slot \
                 instead of futures' `Shared` (−0.8 KB), the requests' error boxed likewise \
                 (`ApiError`, −1.0 KB), every event handler of the views boxed into one type \
                 per event and every memo's reading function boxed, so that Leptos' \
                 listener and memo code is compiled once per event and per value type \
                 rather than once per closure (−3.9 KB), core's workitem events read \
                 by one reader, its spec words looked up in their lists and its ended \
                 calls kept in a ring of a plain vector (−1.0 KB), the phrases filled from one \
                 template per language by one function instead of a `format!` each (−0.4 KB), \
                 JSON numbers read by core's own reader instead of serde_json's, which \
                 brought its reader of text (−1.2 KB), no searcher of text left (the code \
                 picker's filter, the templates, the DTMF check and serde's words compare \
                 by character or byte, −1.2 KB), the runtime's maps of a few entries as \
                 plain lists, its last `VecDeque`, futures' oneshot channel and one task type \
                 for its spawned work and one for its CTI requests (−3.5 KB), the stored \
                 values and the requests' answers read as JSON by code compiled once (−0.5 \
                 KB), the clocks' difference out of a signal (−0.4 KB), talc as the \
                 allocator instead of dlmalloc (−0.8 KB), the `cil` scripts written into \
                 the page (−0.6 KB), the views' contexts taken without Leptos' \
                 `expect_context`, whose panic message linked `Debug`'s escaping of text \
                 (−0.6 KB), wasm-opt's --low-memory-unused and the custom sections left \
                 out (−1.6 KB), core's and the widget's readers building each value in \
                 one go from every field read with the first error kept (`Fields`, \
                 −2.2 KB), the runtime's waits and requests without needless async layers \
                 and clones (−0.7 KB), the views' attribute and memo value types \
                 shared (−6.2 KB), std's thread handle left out of Leptos' `SendWrapper` \
                 on one-threaded wasm (vendor/README.md, −3.8 KB), no text sliced by \
                 indexing, whose panic formats the cut character, and the read errors' \
                 strings quoted without Rust's tables of printable characters (−4.1 KB), \
                 the JSON reader's powers of ten worked out instead of a table of 309 \
                 floats (−2.2 KB), the `cil` requests read through one table of readers \
                 and the core readers' shared parts shared more (−1.6 KB), the runtime's \
                 closures of one shape made one type and its large values moved less \
                 (−1.3 KB), and the views' attributes of names set at a few places \
                 written as custom attributes named by an enum (which keeps the names \
                 checked at compile time), their optional children and list items erased \
                 and five events listened to as one custom event type (−6.1 KB), \
                 the wasm built by a pinned nightly toolchain that rebuilds std with the \
                 immediate-abort panic strategy, so that std's panic machinery and every \
                 panic message and location are left out (−15.5 KB), the wasm's \
                 functions ordered so that each follows the one whose code is most like \
                 it, which gzip's 32 KB window then shares (scripts/wasm-order.mjs, \
                 −5.5 KB), the reactive graph's sets of sources and subscribers and its \
                 owners' contexts as small vectors instead of hashed sets and maps \
                 (−3.6 KB), the panels and cards keyed by a list of the widget's own \
                 instead of Leptos' `For` and its diff through hashed sets (−4.9 KB), \
                 tachys' delegated-listener branch, its clone of every attribute type and \
                 its elements of every view type left out, none of which the widget uses \
                 (vendor/README.md, −4.3 KB), the backends' request bodies written from \
                 where their parts lie instead of built as request values (−1.8 KB), and \
                 core's two date-time readers sharing their zone code, a render effect's \
                 rerun loop compiled once and the last one-off attribute and text types \
                 shared (−1.7 KB); measured and not adopted: std's optimize_for_size \
                 (−0.1 KB), -Zinline-mir=no (−0.2 KB), -Zshare-generics (+0.1 KB), \
                 -Zcross-crate-inline-threshold=never (+0.4 KB); the server sends the files precompressed with brotli -q 11 ({} in total)",
                kb(total(|file| file.brotli))
            ),
        ))
        .figure(Figure::new(
            "total transfer, brotli -q 11",
            kb(total(|file| file.brotli)),
        ))
        .figure(Figure::new("total raw", kb(total(|file| file.raw))))
        .detail(format!("{}\n{}", table(files), code_profile()))
}

/// The widget's crates, whose code is also shown by path.
const OWN_CRATES: [&str; 2] = ["wrapup_gadget", "wrapup_core"];
/// How many rows each table of the code profile shows.
const PROFILE_ROWS: usize = 12;

/// Where the wasm's code comes from, as Markdown: by crate, and the
/// widget's own by path (`code_size.rs`).
fn code_profile() -> String {
    let path = root()
        .join("target")
        .join("wasm32-unknown-unknown")
        .join("release")
        .join("wrapup-gadget.wasm");
    let sizes = match fs::read(&path)
        .map_err(|error| error.to_string())
        .and_then(|wasm| code_size::function_sizes(&wasm))
    {
        Ok(sizes) => sizes,
        Err(error) => {
            return format!(
                "The code profile could not be read: {}: {error}.\n",
                path.display()
            );
        }
    };
    let all: u64 = sizes.iter().map(|(_, size)| size).sum();
    format!(
        "Where the code comes from: the body of each function of the wasm module as rustc \
         links it, before wasm-bindgen and wasm-opt ({} of code in {} functions), summed by \
         the crate that defines it. These are shares, not bytes shipped: wasm-opt and \
         compression shrink every part. Generic code counts under the crate that defines it \
         (a signal of the widget's type is `reactive_graph`'s); `core` and `alloc` include \
         the drop code of every type.\n\n{}\nThe code of the widget's crates, \
         `wrapup_gadget` and `wrapup_core`, by their first two levels of modules and \
         items:\n\n{}",
        kb(all),
        sizes.len(),
        shares_table("crate", &code_size::by_crate(&sizes), all),
        shares_table("path", &code_size::by_path(&sizes, &OWN_CRATES, 2), all),
    )
}

/// The first rows of `shares`, each with its share of `all`, and the rest in one row.
fn shares_table(what: &str, shares: &[Share], all: u64) -> String {
    let percent = |bytes: u64| bytes as f64 * 100.0 / all.max(1) as f64;
    let mut text = format!("| {what} | code | share of all code |\n| --- | ---: | ---: |\n");
    for share in shares.iter().take(PROFILE_ROWS) {
        text.push_str(&format!(
            "| `{}` | {} | {:.1} % |\n",
            share.name,
            kb(share.bytes),
            percent(share.bytes)
        ));
    }
    let rest = &shares[shares.len().min(PROFILE_ROWS)..];
    if !rest.is_empty() {
        let bytes = rest.iter().map(|share| share.bytes).sum();
        text.push_str(&format!(
            "| {} more | {} | {:.1} % |\n",
            rest.len(),
            kb(bytes),
            percent(bytes)
        ));
    }
    text
}

fn kb(bytes: u64) -> String {
    format!("{:.1} KB", bytes as f64 / 1024.0)
}

/// One shipped file.
#[derive(Debug, Clone)]
struct ShippedFile {
    name: String,
    /// Which page downloads it.
    loaded_by: LoadedBy,
    raw: u64,
    gzip: u64,
    brotli: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LoadedBy {
    /// The widget's own page: counted in the transfer.
    Widget,
    /// A CRM page embedding the widget (`cil-core.js` and `cil-host.js`).
    Host,
    /// The demo and CRM sample pages.
    Demo,
    /// Not downloaded by any page (TypeScript typings for integrators).
    Nobody,
}

impl LoadedBy {
    /// Which page downloads the file `name` of `dist/`: the widget's page
    /// loads `index.html` and what it names (`/name`; the release build
    /// writes its `cil` scripts into it, scripts/minify.mjs); of the rest,
    /// the typings are for integrators' editors, `cil-core.js` and
    /// `cil-host.js` are for CRM pages, and everything else serves the demo
    /// pages.
    fn of(name: &str, index_html: &str) -> Self {
        if name == "index.html" || names(index_html, name) {
            Self::Widget
        } else if name.ends_with(".d.ts") {
            Self::Nobody
        } else if matches!(name, "cil-core.js" | "cil-host.js") {
            Self::Host
        } else {
            Self::Demo
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Self::Widget => "widget page",
            Self::Host => "CRM host page",
            Self::Demo => "demo pages",
            Self::Nobody => "not downloaded",
        }
    }
}

/// Whether `html` names the file `/name` as an attribute value or a string,
/// quoted or not (a minified page writes `src=/cil.js`).
fn names(html: &str, name: &str) -> bool {
    let path = format!("/{name}");
    html.match_indices(&path).any(|(at, _)| {
        let before = html[..at].chars().next_back();
        let after = html[at + path.len()..].chars().next();
        matches!(before, Some('"' | '\'' | '='))
            && after.is_none_or(|next| matches!(next, '"' | '\'' | '>') || next.is_whitespace())
    })
}

fn widget_page(files: &[ShippedFile]) -> impl Iterator<Item = &ShippedFile> {
    files
        .iter()
        .filter(|file| file.loaded_by == LoadedBy::Widget)
}

/// Measures every file of `dist/`.
fn measure() -> Result<Vec<ShippedFile>> {
    let dist = root().join("dist");
    let index_html = fs::read_to_string(dist.join("index.html")).map_err(|error| {
        format!(
            "{}/index.html: {error} (build the widget first)",
            dist.display()
        )
    })?;
    let mut files = Vec::new();
    let entries = fs::read_dir(&dist)
        .map_err(|error| format!("{}: {error} (build the widget first)", dist.display()))?;
    for entry in entries {
        let entry = entry.map_err(|error| error.to_string())?;
        let name = entry.file_name().to_string_lossy().into_owned();
        // The precompressed copies the server sends are measured below.
        if !entry.path().is_file() || name.ends_with(".br") || name.ends_with(".gz") {
            continue;
        }
        let bytes = fs::read(entry.path()).map_err(|error| format!("{name}: {error}"))?;
        files.push(ShippedFile {
            loaded_by: LoadedBy::of(&name, &index_html),
            raw: bytes.len() as u64,
            gzip: compressed_size("gzip", &["-9", "-c"], &bytes)?,
            brotli: brotli_size(&entry.path(), bytes.len() as u64)?,
            name,
        });
    }
    files.sort_by_key(|file| {
        (
            file.loaded_by != LoadedBy::Widget,
            std::cmp::Reverse(file.gzip),
        )
    });
    Ok(files)
}

/// The files as a Markdown table with the widget page's total.
fn table(files: &[ShippedFile]) -> String {
    let mut text = String::from(
        "| file | loaded by | raw | gzip -9 | brotli -q 11 |\n| --- | --- | ---: | ---: | ---: |\n",
    );
    for file in files {
        text.push_str(&format!(
            "| {} | {} | {} | {} | {} |\n",
            file.name,
            file.loaded_by.as_str(),
            kb(file.raw),
            kb(file.gzip),
            kb(file.brotli)
        ));
    }
    let total = |size: fn(&ShippedFile) -> u64| widget_page(files).map(size).sum::<u64>();
    text.push_str(&format!(
        "| **total transfer** | widget page | {} | **{}** | {} |\n",
        kb(total(|file| file.raw)),
        kb(total(|file| file.gzip)),
        kb(total(|file| file.brotli)),
    ));
    text
}

/// The size of `path` as the server sends it with brotli: its `.br` copy,
/// written by the release build at quality 11 where it is smaller, or the
/// file itself (`raw` bytes).
fn brotli_size(path: &Path, raw: u64) -> Result<u64> {
    let mut compressed = path.as_os_str().to_owned();
    compressed.push(".br");
    match fs::metadata(&compressed) {
        Ok(metadata) => Ok(metadata.len()),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(raw),
        Err(error) => Err(format!("{}.br: {error}", path.display())),
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_widget_page_is_what_its_index_html_names() {
        let index = r#"<script src="/cil.js"></script><link href="/widget-1.css"/>
            <script src=/cil-core.js></script><script src="/cil-storage.js"></script>
            <link href=/config.json rel=preload>
            import init from '/wrapup-gadget-2.js'; init({ module_or_path: '/wrapup-gadget-2_bg.wasm' })"#;
        for name in [
            "index.html",
            "cil.js",
            "cil-core.js",
            "cil-storage.js",
            "config.json",
            "widget-1.css",
            "wrapup-gadget-2.js",
            "wrapup-gadget-2_bg.wasm",
        ] {
            assert_eq!(LoadedBy::of(name, index), LoadedBy::Widget, "{name}");
        }
        // A name the page does not load, though another name contains it.
        assert_eq!(LoadedBy::of("gadget-2.js", index), LoadedBy::Demo);
        assert_eq!(LoadedBy::of("cil-host.js", index), LoadedBy::Host);
        // The release build's page, with the `cil` scripts written into it.
        let inlined = "<script>window.cil=1</script><link href=/widget-1.css>";
        assert_eq!(LoadedBy::of("cil-core.js", inlined), LoadedBy::Host);
        assert_eq!(LoadedBy::of("cil.d.ts", index), LoadedBy::Nobody);
        assert_eq!(LoadedBy::of("sim-console.js", index), LoadedBy::Demo);
    }
}
