use super::*;

/// This reader and serde_json's reader of the value say the same of `text`
/// ([`crate::json::disagreement_with_serde_json`]). Exactly so when these
/// tests are built alone, as `cargo xtask test` also runs them: with the
/// workspace, serde_json has the server's `float_roundtrip`, and a float may
/// differ in its last few steps.
fn reads_as_serde_json(text: &str) {
    if let Some(disagreement) = crate::json::disagreement_with_serde_json(text) {
        panic!("{text:?}: {disagreement}");
    }
}

#[test]
fn values_read_as_serde_json_reads_them() {
    for text in [
        "null",
        " true ",
        "false",
        "0",
        "-0",
        "-0.0",
        "7",
        "-7",
        "18446744073709551615",
        "18446744073709551616",
        "-9223372036854775808",
        "-9223372036854775809",
        "1.5",
        "1e3",
        "1E-3",
        "2.5e+10",
        "123456789012345678901234567890",
        "0.1234567890123456789012345",
        "1e-400",
        "18446744073709551615.5",
        "184467440737095516159.99e-3",
        "-18446744073709551616",
        "-9223372036854775808.0",
        "0.000000000000000000000000000000123456789012345678901234",
        "1.7976931348623157e308",
        "1e308",
        "4.9e-324",
        "1e-330",
        "123456789e-400",
        "1e-2147483648",
        "0e2147483648",
        "-0e-2147483648",
        "-1e-99999999999",
        "\"\"",
        "\"plain\"",
        "\"esc \\\" \\\\ \\/ \\b \\f \\n \\r \\t\"",
        "\"\\u00e9 \\u20AC \\ud83d\\ude00 é €\"",
        "[]",
        "[ 1 , [2, []], {} ]",
        "{}",
        "{\"b\": 1, \"a\": {\"c\": [true]}, \"b\": 2}",
        "\n\t\r {\"k\"\n:\n\"v\"}\n",
    ] {
        reads_as_serde_json(text);
        assert!(from_str(text).is_ok(), "{text:?}");
    }
}

#[test]
fn every_error_reads_as_serde_json_words_it() {
    let deep = format!("{}{}", "[".repeat(127), "]".repeat(127));
    let too_deep = format!("{}{}", "[".repeat(128), "]".repeat(128));
    for text in [
        "",
        "   ",
        "[1, 2",
        "[1 2]",
        "[1,]",
        "[1,",
        "[,1]",
        "{\"a\": 1",
        "{\"a\" 1}",
        "{\"a\"",
        "{\"a\": 1 \"b\": 2}",
        "{\"a\": 1,}",
        "{\"a\": 1,",
        "{\"a\": 1, 2: 3}",
        "{1: 2}",
        "{,}",
        "\"open",
        "\"ctrl \u{1} char\"",
        "\"bad \\x escape\"",
        "\"cut \\",
        "\"\\u12\"",
        "\"\\u12",
        "\"\\uzzzz\"",
        "\"\\ude00\"",
        "\"\\ud83d\"",
        "\"\\ud83d\\n\"",
        "\"\\ud83dx\"",
        "\"\\ud83d\\u0041\"",
        "\"\\ud83d\\",
        "\"\\ud83d",
        "nul",
        "nulx",
        "tru",
        "fals",
        "nil",
        "-",
        "-x",
        "01",
        "1.",
        "1.x",
        "1e",
        "1e+",
        "1ex",
        "1e400",
        "2e308",
        "0.5e2147483647",
        "-1.8e308",
        "1e2147483647",
        "1.5e2147483648",
        "18446744073709551616e290",
        "-1e400",
        "1e99999999999",
        "1e-99999999999",
        "0e99999999999",
        "[1e400]",
        "\n\n  [1, 1e400]",
        "1 2",
        "{} x",
        "x",
        "]",
        "\u{feff}{}",
        "[\"é\", x]",
        &deep,
        &too_deep,
    ] {
        reads_as_serde_json(text);
    }
}

/// Numbers of every shape, as serde_json reads them: integers at the edges
/// of `u64` and `i64`, long digits, fractions and exponents at the edges of
/// `f64` (the reader of numbers is core's own, `number.rs`).
#[test]
fn numbers_read_as_serde_json_reads_them() {
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move |below: u64| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % below
    };
    let digits = |count: u64, next: &mut dyn FnMut(u64) -> u64| -> String {
        (0..count)
            .map(|_| char::from(b'0' + next(10) as u8))
            .collect()
    };
    for _ in 0..20_000 {
        let mut text = String::new();
        if next(2) == 0 {
            text.push('-');
        }
        let whole = digits(1 + next(25), &mut next);
        text.push_str(whole.trim_start_matches('0'));
        if text.is_empty() || text == "-" {
            text.push('0');
        }
        if next(2) == 0 {
            text.push('.');
            text.push_str(&digits(1 + next(25), &mut next));
        }
        if next(2) == 0 {
            text.push(['e', 'E'][next(2) as usize]);
            text.push_str(["", "+", "-"][next(3) as usize]);
            text.push_str(&(next(360)).to_string());
        }
        reads_as_serde_json(&text);
    }
}
