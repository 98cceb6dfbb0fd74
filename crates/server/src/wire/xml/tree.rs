//! The tree of an XML body deserialized into an API type: an element with
//! children is an object, a text-only element a string (or the bool or
//! number asked for), same-named siblings a list.

use serde::de::{
    self, DeserializeSeed, IntoDeserializer, MapAccess, SeqAccess, Unexpected, Visitor,
};

use super::{Node, Segment, XmlError};

/// Same-named sibling elements (the root is a group of one): one value, or
/// the items of a list.
pub(super) struct Group(pub(super) Vec<Node>);

impl Group {
    /// The one element of the group; a repeated element where one value is
    /// expected is refused.
    fn single(self) -> Result<Node, XmlError> {
        let count = self.0.len();
        let mut nodes = self.0.into_iter();
        match (nodes.next(), count) {
            (Some(node), 1) => Ok(node),
            _ => Err(de::Error::custom(format!(
                "given {count} times; a single value is expected here"
            ))),
        }
    }

    fn text(self, expected: &dyn de::Expected) -> Result<String, XmlError> {
        match self.single()? {
            Node::Text(text) => Ok(text),
            Node::Element(_) => Err(de::Error::invalid_type(Unexpected::Map, expected)),
        }
    }
}

macro_rules! parse_number {
    ($($method:ident => $visit:ident,)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, XmlError> {
            let text = self.text(&visitor)?;
            match text.trim().parse() {
                Ok(number) => visitor.$visit(number),
                Err(_) => Err(de::Error::invalid_value(Unexpected::Str(&text), &visitor)),
            }
        }
    )*};
}

impl<'de> de::Deserializer<'de> for Group {
    type Error = XmlError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, XmlError> {
        if self.0.len() > 1 {
            return visitor.visit_seq(Items::new(self.0));
        }
        match self.single()? {
            Node::Text(text) => visitor.visit_string(text),
            Node::Element(children) => visitor.visit_map(Fields::new(children)),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, XmlError> {
        let text = self.text(&visitor)?;
        match text.trim() {
            "true" | "1" => visitor.visit_bool(true),
            "false" | "0" => visitor.visit_bool(false),
            _ => Err(de::Error::invalid_value(Unexpected::Str(&text), &visitor)),
        }
    }

    parse_number! {
        deserialize_i8 => visit_i8,
        deserialize_i16 => visit_i16,
        deserialize_i32 => visit_i32,
        deserialize_i64 => visit_i64,
        deserialize_i128 => visit_i128,
        deserialize_u8 => visit_u8,
        deserialize_u16 => visit_u16,
        deserialize_u32 => visit_u32,
        deserialize_u64 => visit_u64,
        deserialize_u128 => visit_u128,
        deserialize_f32 => visit_f32,
        deserialize_f64 => visit_f64,
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, XmlError> {
        let text = self.text(&visitor)?;
        visitor.visit_string(text)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, XmlError> {
        self.deserialize_string(visitor)
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, XmlError> {
        self.deserialize_string(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, XmlError> {
        self.deserialize_string(visitor)
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, XmlError> {
        self.deserialize_string(visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, XmlError> {
        self.deserialize_string(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, XmlError> {
        // An element that is there is a value, even when empty.
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, XmlError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, XmlError> {
        // `<codes/>`: an empty list.
        if let [Node::Text(text)] = self.0.as_slice()
            && text.trim().is_empty()
        {
            return visitor.visit_seq(Items::new(Vec::new()));
        }
        visitor.visit_seq(Items::new(self.0))
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, XmlError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, XmlError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, XmlError> {
        match self.single()? {
            Node::Element(children) => visitor.visit_map(Fields::new(children)),
            // `<interaction/>`: an object without fields.
            Node::Text(text) if text.trim().is_empty() => {
                visitor.visit_map(Fields::new(Vec::new()))
            }
            Node::Text(text) => Err(de::Error::invalid_type(Unexpected::Str(&text), &visitor)),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, XmlError> {
        self.deserialize_map(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, XmlError> {
        let text = self.text(&visitor)?;
        visitor.visit_enum(text.into_deserializer())
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, XmlError> {
        visitor.visit_unit()
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, XmlError> {
        visitor.visit_unit()
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, XmlError> {
        visitor.visit_unit()
    }
}

/// The items of a list: each element of a group.
struct Items {
    nodes: std::vec::IntoIter<Node>,
    index: usize,
}

impl Items {
    fn new(nodes: Vec<Node>) -> Self {
        Self {
            nodes: nodes.into_iter(),
            index: 0,
        }
    }
}

impl<'de> SeqAccess<'de> for Items {
    type Error = XmlError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, XmlError> {
        let Some(node) = self.nodes.next() else {
            return Ok(None);
        };
        let index = self.index;
        self.index += 1;
        seed.deserialize(Group(vec![node]))
            .map(Some)
            .map_err(|error| error.within(Segment::Index(index)))
    }
}

/// The fields of an object: its child elements, same names grouped, in the
/// order each name first appears.
struct Fields {
    groups: std::vec::IntoIter<(String, Vec<Node>)>,
    current: Option<(String, Vec<Node>)>,
}

impl Fields {
    fn new(children: Vec<(String, Node)>) -> Self {
        let mut groups: Vec<(String, Vec<Node>)> = Vec::new();
        for (name, node) in children {
            match groups.iter_mut().find(|(known, _)| *known == name) {
                Some((_, nodes)) => nodes.push(node),
                None => groups.push((name, vec![node])),
            }
        }
        Self {
            groups: groups.into_iter(),
            current: None,
        }
    }
}

impl<'de> MapAccess<'de> for Fields {
    type Error = XmlError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, XmlError> {
        let Some((name, nodes)) = self.groups.next() else {
            return Ok(None);
        };
        let key = seed.deserialize(name.as_str().into_deserializer())?;
        self.current = Some((name, nodes));
        Ok(Some(key))
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, XmlError> {
        let (name, nodes) = self
            .current
            .take()
            .ok_or_else(|| <XmlError as de::Error>::custom("a value without its element"))?;
        seed.deserialize(Group(nodes))
            .map_err(|error| error.within(Segment::Key(name)))
    }
}
