//! A JSON number, read as serde_json reads one (without its
//! `float_roundtrip` feature, as the widget builds it): the same errors, and
//! the same value, an integer as `u64` or `i64` where it fits and any other
//! number as the `f64` serde_json's arithmetic makes of its digits. Read
//! here rather than by serde_json's `Number::from_str`, which took its
//! whole reader of text into the widget's wasm for the numbers alone.

use super::{EOF_VALUE, INVALID_NUMBER, Reader, SyntaxError};
use crate::json::Number;

const NUMBER_OUT_OF_RANGE: &str = "number out of range";

impl Reader<'_> {
    /// A number: its digits, as many as a `u64` holds and a power of ten
    /// for the rest, then the value serde_json makes of them.
    pub(super) fn number(&mut self) -> Result<Number, SyntaxError> {
        let negative = self.peek() == Some(b'-');
        if negative {
            self.index += 1;
        }
        let mut significand: u64 = 0;
        let mut exponent: i32 = 0;
        // Whether it is still an integer that a `u64` holds.
        let mut integer = true;
        match self.next() {
            None => return Err(self.error(EOF_VALUE)),
            Some(b'0') => {
                if let Some(b'0'..=b'9') = self.peek() {
                    return Err(self.peek_error(INVALID_NUMBER));
                }
            }
            Some(digit @ b'1'..=b'9') => {
                significand = u64::from(digit - b'0');
                while let Some(digit) = self.digit() {
                    match append_digit(significand, digit) {
                        Some(more) if integer => significand = more,
                        // Beyond a u64: a float, each further digit a power of ten.
                        _ => {
                            integer = false;
                            exponent += 1;
                        }
                    }
                }
            }
            Some(_) => return Err(self.error(INVALID_NUMBER)),
        }
        if self.peek() == Some(b'.') {
            self.index += 1;
            integer = false;
            match self.peek() {
                Some(b'0'..=b'9') => {}
                Some(_) => return Err(self.peek_error(INVALID_NUMBER)),
                None => return Err(self.peek_error(EOF_VALUE)),
            }
            // Fraction digits count until one does not fit; the rest are dropped.
            let mut full = false;
            while let Some(digit) = self.digit() {
                match append_digit(significand, digit) {
                    Some(more) if !full => {
                        significand = more;
                        exponent -= 1;
                    }
                    _ => full = true,
                }
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.index += 1;
            integer = false;
            let positive_exponent = match self.peek() {
                Some(b'-') => {
                    self.index += 1;
                    false
                }
                Some(b'+') => {
                    self.index += 1;
                    true
                }
                _ => true,
            };
            let mut written = match self.next() {
                None => return Err(self.error(EOF_VALUE)),
                Some(digit @ b'0'..=b'9') => i32::from(digit - b'0'),
                Some(_) => return Err(self.error(INVALID_NUMBER)),
            };
            while let Some(digit) = self.digit() {
                match written
                    .checked_mul(10)
                    .and_then(|written| written.checked_add(i32::from(digit)))
                {
                    Some(more) => written = more,
                    // An exponent beyond an i32: out of range, at this
                    // digit, unless the number is zero or that small.
                    None if significand != 0 && positive_exponent => {
                        return Err(self.error(NUMBER_OUT_OF_RANGE));
                    }
                    None => {
                        while self.digit().is_some() {}
                        return self.float(if negative { -0.0 } else { 0.0 });
                    }
                }
            }
            exponent = if positive_exponent {
                exponent.saturating_add(written)
            } else {
                exponent.saturating_sub(written)
            };
        }
        if integer {
            return Ok(match negative {
                false => Number::from(significand),
                true => match (significand as i64).wrapping_neg() {
                    negated if negated < 0 => Number::from(negated),
                    // `-0`, or below an i64: a float.
                    _ => return self.float(-(significand as f64)),
                },
            });
        }
        // serde_json's `f64_from_parts`.
        let mut value = significand as f64;
        loop {
            match POW10.get(exponent.unsigned_abs() as usize) {
                Some(&power) if exponent >= 0 => {
                    value *= power;
                    if value.is_infinite() {
                        return Err(self.error(NUMBER_OUT_OF_RANGE));
                    }
                    break;
                }
                Some(&power) => {
                    value /= power;
                    break;
                }
                None if value == 0.0 => break,
                None if exponent >= 0 => return Err(self.error(NUMBER_OUT_OF_RANGE)),
                None => {
                    value /= 1e308;
                    exponent += 308;
                }
            }
        }
        self.float(if negative { -value } else { value })
    }

    /// The next byte's value if it is a digit, taken.
    fn digit(&mut self) -> Option<u8> {
        let digit = self.peek()?.checked_sub(b'0').filter(|digit| *digit <= 9)?;
        self.index += 1;
        Some(digit)
    }

    /// A float number (always finite here).
    fn float(&self, value: f64) -> Result<Number, SyntaxError> {
        Number::from_f64(value).ok_or_else(|| self.error(NUMBER_OUT_OF_RANGE))
    }
}

/// `significand` with `digit` written after it, if a `u64` holds that.
fn append_digit(significand: u64, digit: u8) -> Option<u64> {
    significand
        .checked_mul(10)
        .and_then(|significand| significand.checked_add(u64::from(digit)))
}

/// The powers of ten serde_json multiplies and divides by, each the `f64`
/// nearest it (serde_json's table, MIT or Apache-2.0).
#[rustfmt::skip]
static POW10: [f64; 309] = [
    1e000, 1e001, 1e002, 1e003, 1e004, 1e005, 1e006, 1e007, 1e008, 1e009, //
    1e010, 1e011, 1e012, 1e013, 1e014, 1e015, 1e016, 1e017, 1e018, 1e019, //
    1e020, 1e021, 1e022, 1e023, 1e024, 1e025, 1e026, 1e027, 1e028, 1e029, //
    1e030, 1e031, 1e032, 1e033, 1e034, 1e035, 1e036, 1e037, 1e038, 1e039, //
    1e040, 1e041, 1e042, 1e043, 1e044, 1e045, 1e046, 1e047, 1e048, 1e049, //
    1e050, 1e051, 1e052, 1e053, 1e054, 1e055, 1e056, 1e057, 1e058, 1e059, //
    1e060, 1e061, 1e062, 1e063, 1e064, 1e065, 1e066, 1e067, 1e068, 1e069, //
    1e070, 1e071, 1e072, 1e073, 1e074, 1e075, 1e076, 1e077, 1e078, 1e079, //
    1e080, 1e081, 1e082, 1e083, 1e084, 1e085, 1e086, 1e087, 1e088, 1e089, //
    1e090, 1e091, 1e092, 1e093, 1e094, 1e095, 1e096, 1e097, 1e098, 1e099, //
    1e100, 1e101, 1e102, 1e103, 1e104, 1e105, 1e106, 1e107, 1e108, 1e109, //
    1e110, 1e111, 1e112, 1e113, 1e114, 1e115, 1e116, 1e117, 1e118, 1e119, //
    1e120, 1e121, 1e122, 1e123, 1e124, 1e125, 1e126, 1e127, 1e128, 1e129, //
    1e130, 1e131, 1e132, 1e133, 1e134, 1e135, 1e136, 1e137, 1e138, 1e139, //
    1e140, 1e141, 1e142, 1e143, 1e144, 1e145, 1e146, 1e147, 1e148, 1e149, //
    1e150, 1e151, 1e152, 1e153, 1e154, 1e155, 1e156, 1e157, 1e158, 1e159, //
    1e160, 1e161, 1e162, 1e163, 1e164, 1e165, 1e166, 1e167, 1e168, 1e169, //
    1e170, 1e171, 1e172, 1e173, 1e174, 1e175, 1e176, 1e177, 1e178, 1e179, //
    1e180, 1e181, 1e182, 1e183, 1e184, 1e185, 1e186, 1e187, 1e188, 1e189, //
    1e190, 1e191, 1e192, 1e193, 1e194, 1e195, 1e196, 1e197, 1e198, 1e199, //
    1e200, 1e201, 1e202, 1e203, 1e204, 1e205, 1e206, 1e207, 1e208, 1e209, //
    1e210, 1e211, 1e212, 1e213, 1e214, 1e215, 1e216, 1e217, 1e218, 1e219, //
    1e220, 1e221, 1e222, 1e223, 1e224, 1e225, 1e226, 1e227, 1e228, 1e229, //
    1e230, 1e231, 1e232, 1e233, 1e234, 1e235, 1e236, 1e237, 1e238, 1e239, //
    1e240, 1e241, 1e242, 1e243, 1e244, 1e245, 1e246, 1e247, 1e248, 1e249, //
    1e250, 1e251, 1e252, 1e253, 1e254, 1e255, 1e256, 1e257, 1e258, 1e259, //
    1e260, 1e261, 1e262, 1e263, 1e264, 1e265, 1e266, 1e267, 1e268, 1e269, //
    1e270, 1e271, 1e272, 1e273, 1e274, 1e275, 1e276, 1e277, 1e278, 1e279, //
    1e280, 1e281, 1e282, 1e283, 1e284, 1e285, 1e286, 1e287, 1e288, 1e289, //
    1e290, 1e291, 1e292, 1e293, 1e294, 1e295, 1e296, 1e297, 1e298, 1e299, //
    1e300, 1e301, 1e302, 1e303, 1e304, 1e305, 1e306, 1e307, 1e308,
];
