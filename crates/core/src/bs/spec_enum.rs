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
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $text, )+
                    Self::Other(text) => text,
                }
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
