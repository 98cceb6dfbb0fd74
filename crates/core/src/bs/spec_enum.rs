//! A macro for the spec's closed lists of words (states, channel types, ...).
//!
//! The b+s Connects API sends these as plain strings. A CTI bridge newer than
//! this crate may send a word the spec does not list yet; that must never make
//! a whole event unreadable, so every such enum has an `Other(String)` variant
//! that keeps the word exactly as received and writes it back unchanged.

/// Declares a spec enum: documented variants with their exact spelling, plus
/// `Other(String)` for anything else, with `as_str`, `Display`, `From<&str>`
/// and string (de)serialization.
macro_rules! spec_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$variant_meta:meta])* $variant:ident => $text:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        $vis enum $name {
            $( $(#[$variant_meta])* $variant, )+
            /// A value the spec does not list, kept exactly as received.
            Other(String),
        }

        impl $name {
            /// Every documented spelling, in the spec's order.
            pub const DOCUMENTED: &'static [&'static str] = &[$($text),+];

            /// The value as the spec spells it (or as received, for `Other`).
            /// Looked up in the list of spellings rather than matched: a
            /// match compiles to a branch per word (the wasm is smaller).
            pub fn as_str(&self) -> &str {
                if let Self::Other(text) = self {
                    return text;
                }
                let this = ::std::mem::discriminant(self);
                let index = Self::VARIANTS
                    .iter()
                    .position(|variant| ::std::mem::discriminant(variant) == this)
                    .unwrap_or_default();
                Self::DOCUMENTED[index]
            }

            /// Whether this is one of the documented values.
            pub fn is_documented(&self) -> bool {
                !matches!(self, Self::Other(_))
            }
        }

        impl $name {
            /// The documented values, in the order of [`Self::DOCUMENTED`].
            const VARIANTS: &'static [Self] = &[$(Self::$variant),+];
        }

        impl From<&str> for $name {
            // Looked up in the list of spellings rather than matched: a
            // match compiles to one comparison per word (the wasm is smaller).
            fn from(text: &str) -> Self {
                match Self::DOCUMENTED.iter().position(|documented| *documented == text) {
                    Some(index) => Self::VARIANTS[index].clone(),
                    None => Self::Other(text.to_owned()),
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, formatter: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                formatter.write_str(self.as_str())
            }
        }

        impl $crate::json::ToJson for $name {
            fn write_json(&self, out: &mut $crate::json::Writer) {
                out.string(self.as_str());
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl $crate::record::FromJson for $name {
            fn from_json(value: $crate::json::Value) -> Result<Self, $crate::record::ReadError> {
                String::from_json(value).map(|text| Self::from(text.as_str()))
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = <::std::borrow::Cow<'de, str> as ::serde::Deserialize>::deserialize(deserializer)?;
                Ok(Self::from(text.as_ref()))
            }
        }
    };
}

pub(crate) use spec_enum;

#[cfg(test)]
mod tests {
    use crate::bs::queue::{DataState, EscalationLevel};
    use crate::bs::{
        AgentState, ChannelType, Classification, Direction, OutboundClassification, ReasonType,
        WorkitemState,
    };

    /// Every documented word reads as its variant, which writes it back;
    /// any other word is kept as it came.
    #[test]
    fn every_word_is_written_as_it_is_read() {
        fn round_trip<T: for<'a> From<&'a str> + PartialEq + std::fmt::Debug>(
            documented: &[&str],
            as_str: impl Fn(&T) -> &str,
            is_documented: impl Fn(&T) -> bool,
        ) {
            for word in documented.iter().copied().chain(["Unlisted", ""]) {
                let read = T::from(word);
                assert_eq!(as_str(&read), word);
                assert_eq!(is_documented(&read), documented.contains(&word), "{word}");
            }
        }
        macro_rules! check {
            ($($name:ty),+) => {
                $( round_trip::<$name>(<$name>::DOCUMENTED, <$name>::as_str, <$name>::is_documented); )+
            };
        }
        check!(
            AgentState,
            ReasonType,
            WorkitemState,
            ChannelType,
            Classification,
            Direction,
            OutboundClassification,
            DataState,
            EscalationLevel
        );
    }
}
