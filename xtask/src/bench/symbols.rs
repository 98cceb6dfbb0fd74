//! Rust symbol names as the wasm's name section gives them, read well
//! enough to say whose code a function is: a legacy name as its path, a v0
//! name (the standard library's) under its crate. xtask has no dependencies,
//! so there is no demangler crate.

/// A legacy Rust symbol (`_ZN4core3ptr13drop_in_place17h0123456789abcdefE`)
/// as its path without the hash (`core::ptr::drop_in_place`); a v0 symbol
/// (the standard library's) as its crate before the symbol
/// (`core::_RNvNtCs…_4core3fmt5write`); any other name as it is.
pub(super) fn demangle(name: &str) -> String {
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
pub(super) fn crate_of(path: &str) -> &str {
    from_crate(path).map_or("?", crate_name)
}

/// `path` from the crate whose code it is on (see `crate_of`).
pub(super) fn from_crate(path: &str) -> Option<&str> {
    starting_crate(path).or_else(|| {
        path.split_once(" as ")
            .and_then(|(_, rest)| starting_crate(rest))
    })
}

/// `text` from the crate it starts with on, past reference and pointer marks.
fn starting_crate(text: &str) -> Option<&str> {
    let start = text
        .trim_start_matches(['<', '&', '[', '(', ' ', '*'])
        .trim_start_matches("mut ")
        .trim_start_matches("dyn ")
        .trim_start_matches("const ");
    let name = crate_name(start);
    // A crate's name is more than a generic parameter's `_`.
    (!name.is_empty() && name != "_").then_some(start)
}

/// The crate name `path` starts with.
pub(super) fn crate_name(path: &str) -> &str {
    let end = path
        .find(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'))
        .unwrap_or(path.len());
    &path[..end]
}

/// The crate and the first `depth` segments after it of `path`, a path from
/// its crate on (`from_crate`).
pub(super) fn prefix_of(path: &str, depth: usize) -> String {
    path.split("::")
        .take(depth + 1)
        .map(|segment| {
            segment
                .find([' ', '>', '<', '$'])
                .map_or(segment, |end| &segment[..end])
        })
        .collect::<Vec<_>>()
        .join("::")
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(
            from_crate(&path).map(|path| prefix_of(path, 1)).as_deref(),
            Some("wrapup_gadget::store")
        );
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
}
