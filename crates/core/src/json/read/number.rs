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
            match power_of_ten(exponent.unsigned_abs()) {
                Some(power) if exponent >= 0 => {
                    value *= power;
                    if value.is_infinite() {
                        return Err(self.error(NUMBER_OUT_OF_RANGE));
                    }
                    break;
                }
                Some(power) => {
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

/// The powers of ten serde_json multiplies and divides by: the `f64`
/// nearest 10^`exponent`, for 0 to 308 (`None` beyond), as serde_json's
/// table holds them. Worked out rather than stored: the table was 2.4 KB of
/// the widget's wasm that gzip cannot shrink, and these few floats are read
/// seldom. 10^n is 5^n · 2^n: 5^n is multiplied out exactly in 32-bit
/// limbs, rounded to the 53 bits of an `f64` (to nearest, ties to even),
/// and 2^n goes into the exponent.
fn power_of_ten(exponent: u32) -> Option<f64> {
    if exponent > 308 {
        return None;
    }
    // 5^308 < 2^716: 23 limbs, least significant first.
    let mut limbs = [0_u32; 23];
    limbs[0] = 1;
    let mut used = 1;
    for _ in 0..exponent {
        let mut carry = 0;
        for limb in &mut limbs[..used] {
            let product = u64::from(*limb) * 5 + carry;
            *limb = product as u32;
            carry = product >> 32;
        }
        if carry != 0 {
            limbs[used] = carry as u32;
            used += 1;
        }
    }
    let bit = |index: u32| (limbs[index as usize / 32] >> (index % 32)) & 1 == 1;
    let length = used as u32 * 32 - limbs[used - 1].leading_zeros();
    // The bits below the 53 kept.
    let mut dropped = length.saturating_sub(53);
    let mut significand = (dropped..length).rev().fold(0_u64, |significand, index| {
        (significand << 1) | u64::from(bit(index))
    });
    if dropped > 0 && bit(dropped - 1) {
        let beyond_half = (0..dropped - 1).any(bit);
        if beyond_half || significand & 1 == 1 {
            significand += 1;
            if significand == 1 << 53 {
                significand >>= 1;
                dropped += 1;
            }
        }
    }
    // Exact: the significand has at most 53 bits, and 2^(dropped + n)
    // is at most 2^971.
    let scale = f64::from_bits(u64::from(1023 + dropped + exponent) << 52);
    Some(significand as f64 * scale)
}

#[cfg(test)]
mod tests {
    use super::power_of_ten;

    /// Each power is the float Rust reads `1eN` as, the nearest to 10^N.
    #[test]
    fn the_powers_of_ten_are_the_nearest_floats() {
        for exponent in 0..=308 {
            let nearest: f64 = format!("1e{exponent}").parse().unwrap();
            assert_eq!(
                power_of_ten(exponent).map(f64::to_bits),
                Some(nearest.to_bits()),
                "1e{exponent}"
            );
        }
        assert_eq!(power_of_ten(309), None);
    }
}
