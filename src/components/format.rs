//! Durations and clock times as the agent reads them.

use chrono::{DateTime, TimeDelta, Utc};

use crate::i18n::Language;

/// An elapsed time as `m:ss`, or `h:mm:ss` from one hour on; negative
/// durations (clocks that disagree) read as zero.
pub fn elapsed_text(elapsed: TimeDelta) -> String {
    let seconds = elapsed.num_seconds().max(0);
    let (hours, minutes, seconds) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    if hours > 0 {
        format!("{hours}:{minutes:02}:{seconds:02}")
    } else {
        format!("{minutes}:{seconds:02}")
    }
}

/// `instant` as a local clock time in the agent's language (`2:05 PM`,
/// `14:05`), through the browser's `Intl`.
pub fn local_clock_time(instant: DateTime<Utc>, language: Language) -> String {
    let millis = instant.timestamp_millis() as f64;
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(millis));
    let options = js_sys::Object::new();
    for (key, value) in [("hour", "numeric"), ("minute", "2-digit")] {
        // Setting a property of a fresh plain object cannot fail.
        let _ = js_sys::Reflect::set(&options, &key.into(), &value.into());
    }
    date.to_locale_time_string_with_options(language.tag(), &options)
        .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elapsed_times_read_as_clock_durations() {
        assert_eq!(elapsed_text(TimeDelta::seconds(5)), "0:05");
        assert_eq!(elapsed_text(TimeDelta::seconds(75)), "1:15");
        assert_eq!(elapsed_text(TimeDelta::seconds(3725)), "1:02:05");
        assert_eq!(elapsed_text(TimeDelta::seconds(-3)), "0:00");
    }
}
