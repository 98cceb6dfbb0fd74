//! Where the widget's code is: the wasm module as rustc links it, before
//! wasm-bindgen and wasm-opt, with each function's body size put under the
//! name its name section gives it, summed by crate and by path.
//!
//! The sizes are before optimisation and compression, so they tell shares,
//! not bytes shipped. Generic code counts under the crate that defines it
//! (a signal of the widget's type is `reactive_graph`'s), as legacy symbol
//! names carry no generic arguments.

use super::symbols::{crate_name, crate_of, demangle, from_crate, prefix_of};

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

/// The code by crate, largest first.
pub fn by_crate(sizes: &[(String, u64)]) -> Vec<Share> {
    sum_by(sizes, |path| Some(crate_of(path).to_owned()))
}

/// The code of `crates` by path: the crate and `depth` segments of it
/// (`wrapup_gadget::components::wrapup_panel`), largest first.
pub fn by_path(sizes: &[(String, u64)], crates: &[&str], depth: usize) -> Vec<Share> {
    sum_by(sizes, |path| {
        let path = from_crate(path)?;
        crates
            .contains(&crate_name(path))
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
