//! Where the widget's code is: the wasm module as rustc links it, before
//! wasm-bindgen and wasm-opt, with each function's body size put under the
//! name its name section gives it, summed by crate and by path.
//!
//! The sizes are before optimisation and compression, so they tell shares,
//! not bytes shipped. Generic code counts under the crate that defines it
//! (a signal of the widget's type is `reactive_graph`'s), as legacy symbol
//! names carry no generic arguments.

/// The code of one crate or path, in bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Share {
    pub name: String,
    pub bytes: u64,
}

/// The body size of every function `wasm` defines, under its demangled name
/// (`?` for a function the name section leaves out). wasm-bindgen's
/// description functions are left out: it removes them from the module.
pub fn function_sizes(wasm: &[u8]) -> Result<Vec<(String, u64)>, String> {
    let mut reader = Reader::new(wasm);
    if reader.take(8)? != b"\0asm\x01\0\0\0" {
        return Err("not a wasm module (version 1)".to_owned());
    }
    let mut imported_functions = 0;
    let mut sizes = Vec::new();
    let mut names = Vec::new();
    while !reader.is_empty() {
        let id = reader.byte()?;
        let length = reader.length()?;
        let mut section = Reader::new(reader.take(length)?);
        match id {
            2 => imported_functions = count_function_imports(&mut section)?,
            10 => {
                for _ in 0..section.length()? {
                    let size = section.length()?;
                    section.take(size)?;
                    sizes.push(size as u64);
                }
            }
            0 if section.name()? == "name" => names = function_names(&mut section)?,
            _ => {}
        }
    }
    let mut named = vec![None; sizes.len()];
    for (index, name) in names {
        if let Some(slot) = index
            .checked_sub(imported_functions)
            .and_then(|at| named.get_mut(at))
        {
            *slot = Some(name);
        }
    }
    Ok(named
        .into_iter()
        .zip(sizes)
        .filter(|(name, _)| !name.as_deref().is_some_and(is_description))
        .map(|(name, size)| {
            let name = name.map_or_else(|| "?".to_owned(), |name| demangle(&name));
            (name, size)
        })
        .collect())
}

fn is_description(name: &str) -> bool {
    name.starts_with("__wbindgen_describe")
}

fn count_function_imports(section: &mut Reader) -> Result<usize, String> {
    let mut functions = 0;
    for _ in 0..section.length()? {
        section.name()?;
        section.name()?;
        match section.byte()? {
            0 => {
                section.length()?;
                functions += 1;
            }
            // A table: its element type, then its limits.
            1 => {
                section.byte()?;
                section.limits()?;
            }
            2 => section.limits()?,
            // A global: its value type and mutability.
            3 => {
                section.take(2)?;
            }
            // A tag: its attribute and type.
            4 => {
                section.byte()?;
                section.length()?;
            }
            kind => return Err(format!("unknown import kind {kind}")),
        }
    }
    Ok(functions)
}

/// The function names subsection (1) of the name section.
fn function_names(section: &mut Reader) -> Result<Vec<(usize, String)>, String> {
    while !section.is_empty() {
        let id = section.byte()?;
        let length = section.length()?;
        let mut subsection = Reader::new(section.take(length)?);
        if id == 1 {
            let mut names = Vec::new();
            for _ in 0..subsection.length()? {
                let index = subsection.length()?;
                names.push((index, subsection.name()?.to_owned()));
            }
            return Ok(names);
        }
    }
    Ok(Vec::new())
}

struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Self { bytes }
    }

    fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    fn take(&mut self, count: usize) -> Result<&'a [u8], String> {
        if count > self.bytes.len() {
            return Err("the module ends inside a section".to_owned());
        }
        let (taken, rest) = self.bytes.split_at(count);
        self.bytes = rest;
        Ok(taken)
    }

    fn byte(&mut self) -> Result<u8, String> {
        Ok(self.take(1)?[0])
    }

    /// An unsigned LEB128 number: a length, count or index.
    fn length(&mut self) -> Result<usize, String> {
        let mut value: u64 = 0;
        for shift in (0..64).step_by(7) {
            let byte = self.byte()?;
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return usize::try_from(value).map_err(|error| error.to_string());
            }
        }
        Err("a number longer than 64 bits".to_owned())
    }

    fn name(&mut self) -> Result<&'a str, String> {
        let length = self.length()?;
        std::str::from_utf8(self.take(length)?).map_err(|error| error.to_string())
    }

    fn limits(&mut self) -> Result<(), String> {
        let flags = self.byte()?;
        self.length()?;
        if flags & 1 != 0 {
            self.length()?;
        }
        Ok(())
    }
}

/// A legacy Rust symbol (`_ZN4core3ptr13drop_in_place17h0123456789abcdefE`)
/// as its path without the hash (`core::ptr::drop_in_place`); a v0 symbol
/// (the standard library's) as its crate before the symbol
/// (`core::_RNvNtCs…_4core3fmt5write`); any other name as it is.
fn demangle(name: &str) -> String {
    if name.starts_with("_R") {
        return match v0_crate(name) {
            Some(crate_name) => format!("{crate_name}::{name}"),
            None => name.to_owned(),
        };
    }
    let Some(mut rest) = name.strip_prefix("_ZN") else {
        return name.to_owned();
    };
    let mut segments = Vec::new();
    while let Some(digits) = rest
        .find(|c: char| !c.is_ascii_digit())
        .filter(|&at| at > 0)
    {
        let Ok(length) = rest[..digits].parse::<usize>() else {
            break;
        };
        let Some(segment) = rest.get(digits..digits + length) else {
            break;
        };
        rest = &rest[digits + length..];
        let is_hash = segment.len() == 17
            && segment.starts_with('h')
            && segment[1..].bytes().all(|byte| byte.is_ascii_hexdigit());
        if !is_hash {
            segments.push(unescape(segment));
        }
    }
    if segments.is_empty() {
        name.to_owned()
    } else {
        segments.join("::")
    }
}

/// The first crate a v0 symbol names: `C`, a disambiguator (`s…_`) if any,
/// then the crate's name with its length (`Cs1a2b_4core` is `core`).
fn v0_crate(symbol: &str) -> Option<&str> {
    symbol.match_indices('C').find_map(|(at, _)| {
        let mut rest = &symbol[at + 1..];
        if let Some(tail) = rest.strip_prefix('s') {
            let end = tail.find('_')?;
            if !tail[..end].bytes().all(|byte| byte.is_ascii_alphanumeric()) {
                return None;
            }
            rest = &tail[end + 1..];
        }
        let digits = rest.find(|c: char| !c.is_ascii_digit())?;
        let length: usize = rest[..digits].parse().ok()?;
        // An identifier that starts with a digit or `_` has a `_` before it.
        let ident = rest[digits..].strip_prefix('_').unwrap_or(&rest[digits..]);
        let name = ident.get(..length)?;
        name.bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || byte == b'_')
            .then_some(name)
    })
}

/// A segment's escapes: `..` for `::`, `$LT$` for `<`, `$u20$` for a space, …
fn unescape(segment: &str) -> String {
    const ESCAPES: [(&str, &str); 9] = [
        ("$LT$", "<"),
        ("$GT$", ">"),
        ("$RF$", "&"),
        ("$BP$", "*"),
        ("$C$", ","),
        ("$SP$", "@"),
        ("$u20$", " "),
        ("$u7b$", "{"),
        ("$u7d$", "}"),
    ];
    // A segment that starts with an escape is written with a `_` before it.
    let mut text = segment
        .strip_prefix("_$")
        .map_or_else(|| segment.to_owned(), |rest| format!("${rest}"))
        .replace("..", "::");
    for (escape, plain) in ESCAPES {
        text = text.replace(escape, plain);
    }
    text
}

/// The crate whose code `path` is: the first crate named in it, past the
/// `<`, `&` and `mut` of a trait impl's self type; the trait's for an impl
/// on any type (`<T as tachys::view::Render>::build` is `tachys`'s).
fn crate_of(path: &str) -> &str {
    first_crate(path)
        .or_else(|| {
            path.split_once(" as ")
                .and_then(|(_, rest)| first_crate(rest))
        })
        .unwrap_or("?")
}

/// The crate that `text` starts with, past reference and pointer marks.
fn first_crate(text: &str) -> Option<&str> {
    let start = text
        .trim_start_matches(['<', '&', '[', '(', ' ', '*'])
        .trim_start_matches("mut ")
        .trim_start_matches("dyn ")
        .trim_start_matches("const ");
    let end = start
        .find(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'))
        .unwrap_or(start.len());
    // A crate's name is more than a generic parameter's `_`.
    (end > 0 && &start[..end] != "_").then(|| &start[..end])
}

/// The first `depth` segments of the path past its crate (`crate_of`).
fn prefix_of(path: &str, depth: usize) -> String {
    let crate_name = crate_of(path);
    let Some(at) = path.find(crate_name) else {
        return crate_name.to_owned();
    };
    path[at..]
        .split("::")
        .take(depth + 1)
        .map(|segment| {
            segment
                .find([' ', '>', '<', '$'])
                .map_or(segment, |end| &segment[..end])
        })
        .collect::<Vec<_>>()
        .join("::")
}

/// The code by crate, largest first.
pub fn by_crate(sizes: &[(String, u64)]) -> Vec<Share> {
    sum_by(sizes, |path| Some(crate_of(path).to_owned()))
}

/// The code of `crates` by path: the crate and `depth` segments of it
/// (`wrapup_gadget::components::wrapup_panel`), largest first.
pub fn by_path(sizes: &[(String, u64)], crates: &[&str], depth: usize) -> Vec<Share> {
    sum_by(sizes, |path| {
        crates
            .contains(&crate_of(path))
            .then(|| prefix_of(path, depth))
    })
}

fn sum_by(sizes: &[(String, u64)], group: impl Fn(&str) -> Option<String>) -> Vec<Share> {
    let mut shares: Vec<Share> = Vec::new();
    for (path, size) in sizes {
        let Some(name) = group(path) else {
            continue;
        };
        match shares.iter_mut().find(|share| share.name == name) {
            Some(share) => share.bytes += size,
            None => shares.push(Share { name, bytes: *size }),
        }
    }
    shares.sort_by(|a, b| b.bytes.cmp(&a.bytes).then_with(|| a.name.cmp(&b.name)));
    shares
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leb(mut value: usize) -> Vec<u8> {
        let mut bytes = Vec::new();
        loop {
            let byte = (value & 0x7f) as u8;
            value >>= 7;
            if value == 0 {
                bytes.push(byte);
                return bytes;
            }
            bytes.push(byte | 0x80);
        }
    }

    fn section(id: u8, body: &[u8]) -> Vec<u8> {
        let mut bytes = vec![id];
        bytes.extend(leb(body.len()));
        bytes.extend(body);
        bytes
    }

    fn name(text: &str) -> Vec<u8> {
        let mut bytes = leb(text.len());
        bytes.extend(text.as_bytes());
        bytes
    }

    /// A module importing one function and defining three, of bodies of
    /// 3, 200 and 2 bytes, named by a name section.
    fn module() -> Vec<u8> {
        let mut wasm = b"\0asm\x01\0\0\0".to_vec();
        let mut imports = leb(2);
        imports.extend(name("env"));
        imports.extend(name("f"));
        imports.extend([0, 0]);
        imports.extend(name("env"));
        imports.extend(name("memory"));
        imports.extend([2, 1, 1, 2]);
        wasm.extend(section(2, &imports));
        let mut code = leb(3);
        for size in [3, 200, 2] {
            code.extend(leb(size));
            code.extend(vec![0; size]);
        }
        wasm.extend(section(10, &code));
        let mut names = leb(3);
        for (index, text) in [
            (1, "_ZN13wrapup_gadget3app3App17h0123456789abcdefE"),
            (2, "_ZN4core3ptr13drop_in_place17h0123456789abcdefE"),
            (3, "__wbindgen_describe_x"),
        ] {
            names.extend(leb(index));
            names.extend(name(text));
        }
        let mut custom = name("name");
        custom.extend(section(1, &names));
        wasm.extend(section(0, &custom));
        wasm
    }

    #[test]
    fn each_function_gets_its_size_and_name() {
        let sizes = function_sizes(&module()).unwrap();
        // The imported function takes the first index; the description
        // function, which wasm-bindgen removes, is left out.
        assert_eq!(
            sizes,
            [
                ("wrapup_gadget::app::App".to_owned(), 3),
                ("core::ptr::drop_in_place".to_owned(), 200),
            ]
        );
    }

    #[test]
    fn a_module_cut_short_is_an_error() {
        let wasm = module();
        assert!(function_sizes(&wasm[..wasm.len() - 3]).is_err());
        assert!(function_sizes(b"\0asm").is_err());
    }

    #[test]
    fn trait_impls_count_under_the_crate_of_their_self_type() {
        let path = demangle(
            "_ZN68_$LT$wrapup_gadget..store..DeskStore$u20$as$u20$core..fmt..Debug$GT$3fmt17h0123456789abcdefE",
        );
        assert_eq!(
            path,
            "<wrapup_gadget::store::DeskStore as core::fmt::Debug>::fmt"
        );
        assert_eq!(crate_of(&path), "wrapup_gadget");
        assert_eq!(prefix_of(&path, 1), "wrapup_gadget::store");
        assert_eq!(
            crate_of("<&mut serde_json::Serializer as x>::f"),
            "serde_json"
        );
        assert_eq!(crate_of("?"), "?");
        assert_eq!(crate_of("<T as tachys::view::Render>::build"), "tachys");
        assert_eq!(crate_of("<&T as core::fmt::Display>::fmt"), "core");
        assert_eq!(
            demangle("_RNvNtCsgXGp5Oqx2Ny_4core3fmt5write"),
            "core::_RNvNtCsgXGp5Oqx2Ny_4core3fmt5write"
        );
        assert_eq!(
            crate_of(&demangle("_RNvCsfLfy6EI15iL_7___rustc13___rdl_realloc")),
            "__rustc"
        );
        assert_eq!(
            demangle(
                "_ZN13wrapup_gadget3app15__component_app28_$u7b$$u7b$closure$u7d$$u7d$17h0123456789abcdefE"
            ),
            "wrapup_gadget::app::__component_app::{{closure}}"
        );
    }

    #[test]
    fn sizes_sum_by_crate_and_by_path() {
        let sizes = [
            (
                "wrapup_gadget::components::code_picker::CodePicker".to_owned(),
                10,
            ),
            (
                "wrapup_gadget::components::code_picker::{{closure}}".to_owned(),
                5,
            ),
            ("wrapup_gadget::app::App".to_owned(), 12),
            ("core::ptr::drop_in_place".to_owned(), 30),
        ];
        assert_eq!(
            by_crate(&sizes),
            [
                Share {
                    name: "core".to_owned(),
                    bytes: 30
                },
                Share {
                    name: "wrapup_gadget".to_owned(),
                    bytes: 27
                },
            ]
        );
        assert_eq!(
            by_path(&sizes, &["wrapup_gadget"], 2),
            [
                Share {
                    name: "wrapup_gadget::components::code_picker".to_owned(),
                    bytes: 15
                },
                Share {
                    name: "wrapup_gadget::app::App".to_owned(),
                    bytes: 12
                },
            ]
        );
    }
}
