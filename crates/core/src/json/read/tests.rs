use super::*;

/// This reader and serde_json's reader of the value say the same of `text`.
fn reads_as_serde_json(text: &str) {
    let ours = from_str(text).map_err(|error| (error.to_string(), error.is_eof()));
    let theirs =
        serde_json::from_str::<Value>(text).map_err(|error| (error.to_string(), error.is_eof()));
    assert_eq!(ours, theirs, "{text:?}");
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
