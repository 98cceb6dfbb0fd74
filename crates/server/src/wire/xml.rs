//! XML request bodies, read into the same API types as JSON.
//!
//! quick-xml's own deserializer hands a text-only element to `deserialize_any`
//! as a map (`{"$text": …}`), so every type that reads "a value or a string"
//! that way — the ServiceNow `external: "true"` and `duration: "30"` fields —
//! refused any XML body. Here the body is first read into a tree of elements
//! and text, and the tree is deserialized the way ServiceNow maps XML onto
//! JSON: an element with children is an object, a text-only element is a
//! string (or the bool or number the field asks for), and repeated sibling
//! elements are an array (one element is an array of one when the field is a
//! list). Attributes are ignored. Errors name the field, as JSON's do.

use std::fmt;

use quick_xml::events::Event;
use serde::de;

mod tree;

use tree::Group;

/// How deeply elements may nest: far beyond any API body, and a bound on the
/// deserializer's recursion.
const MAX_DEPTH: usize = 64;

/// An element's content: text, or child elements in document order.
#[derive(Debug)]
enum Node {
    Text(String),
    Element(Vec<(String, Node)>),
}

/// An element whose end tag is still to come.
struct Open {
    name: String,
    children: Vec<(String, Node)>,
    text: String,
}

/// A body that could not be read: where (`configuration.allowed_codes[0]`)
/// and what.
#[derive(Debug)]
pub struct XmlError {
    path: Vec<Segment>,
    message: String,
}

#[derive(Debug)]
enum Segment {
    Key(String),
    Index(usize),
}

impl XmlError {
    fn syntax(message: impl fmt::Display) -> Self {
        Self {
            path: Vec::new(),
            message: format!("invalid XML body: {message}"),
        }
    }

    fn within(mut self, segment: Segment) -> Self {
        self.path.insert(0, segment);
        self
    }
}

impl fmt::Display for XmlError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, segment) in self.path.iter().enumerate() {
            match segment {
                Segment::Key(key) if index == 0 => formatter.write_str(key)?,
                Segment::Key(key) => write!(formatter, ".{key}")?,
                Segment::Index(position) => write!(formatter, "[{position}]")?,
            }
        }
        if self.path.is_empty() {
            formatter.write_str(&self.message)
        } else {
            write!(formatter, ": {}", self.message)
        }
    }
}

impl std::error::Error for XmlError {}

impl de::Error for XmlError {
    fn custom<T: fmt::Display>(message: T) -> Self {
        Self {
            path: Vec::new(),
            message: message.to_string(),
        }
    }
}

/// Parses an XML body (root element `request`, or any name) into `T`.
pub fn from_str<T: de::DeserializeOwned>(text: &str) -> Result<T, XmlError> {
    T::deserialize(Group(vec![parse(text)?]))
}

/// Reads the document into the root element's content, without recursion.
fn parse(text: &str) -> Result<Node, XmlError> {
    let mut reader = quick_xml::Reader::from_str(text);
    let mut open: Vec<Open> = Vec::new();
    loop {
        let event = reader.read_event().map_err(XmlError::syntax)?;
        let closed = match event {
            Event::Start(start) => {
                if open.len() == MAX_DEPTH {
                    return Err(XmlError::syntax(format!(
                        "elements nest deeper than {MAX_DEPTH} levels"
                    )));
                }
                open.push(Open {
                    name: name_of(start.local_name().as_ref())?,
                    children: Vec::new(),
                    text: String::new(),
                });
                None
            }
            Event::Empty(start) => Some((
                name_of(start.local_name().as_ref())?,
                Node::Text(String::new()),
            )),
            Event::End(_) => {
                let Open {
                    name,
                    children,
                    text,
                } = open
                    .pop()
                    .ok_or_else(|| XmlError::syntax("a closing tag without its opening tag"))?;
                let node = if children.is_empty() {
                    Node::Text(text)
                } else if text.trim().is_empty() {
                    Node::Element(children)
                } else {
                    return Err(XmlError::syntax(format!(
                        "<{name}> mixes text with elements"
                    )));
                };
                Some((name, node))
            }
            Event::Text(content) => {
                append(
                    &mut open,
                    &content.xml10_content().map_err(XmlError::syntax)?,
                )?;
                None
            }
            Event::CData(content) => {
                append(&mut open, &content.decode().map_err(XmlError::syntax)?)?;
                None
            }
            Event::GeneralRef(reference) => {
                let character = match reference.resolve_char_ref().map_err(XmlError::syntax)? {
                    Some(character) => character.to_string(),
                    None => {
                        let name = reference.decode().map_err(XmlError::syntax)?;
                        quick_xml::escape::resolve_xml_entity(&name)
                            .ok_or_else(|| XmlError::syntax(format!("unknown entity &{name};")))?
                            .to_owned()
                    }
                };
                append(&mut open, &character)?;
                None
            }
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) | Event::DocType(_) => None,
            Event::Eof => {
                return Err(XmlError::syntax(
                    "the document has no complete root element",
                ));
            }
        };
        if let Some((name, node)) = closed {
            match open.last_mut() {
                Some(parent) => parent.children.push((name, node)),
                // The root element is the body.
                None => return Ok(node),
            }
        }
    }
}

fn name_of(bytes: &[u8]) -> Result<String, XmlError> {
    String::from_utf8(bytes.to_vec()).map_err(|_| XmlError::syntax("an element name is not UTF-8"))
}

fn append(open: &mut [Open], text: &str) -> Result<(), XmlError> {
    match open.last_mut() {
        Some(element) => element.text.push_str(text),
        None if text.trim().is_empty() => {}
        None => return Err(XmlError::syntax("text outside the root element")),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::Deserialize;

    use super::from_str;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Body {
        name: String,
        #[serde(default)]
        count: Option<u32>,
        #[serde(default)]
        flag: Option<bool>,
        #[serde(default)]
        items: Vec<Item>,
        #[serde(default)]
        extra: Option<BTreeMap<String, serde_json::Value>>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Item {
        code: String,
    }

    #[test]
    fn reads_text_numbers_booleans_lists_and_maps() {
        let body: Body = from_str(
            "<?xml version=\"1.0\"?><!-- a comment --><request a=\"ignored\">\
             <name> Ann &amp; Bo </name><count>3</count><flag>1</flag>\
             <items><code>x</code></items><items><code>y</code></items>\
             <extra><k>v</k><list>1</list><list>2</list></extra></request>",
        )
        .unwrap();
        assert_eq!(body.name, " Ann & Bo ");
        assert_eq!(body.count, Some(3));
        assert_eq!(body.flag, Some(true));
        assert_eq!(
            body.items,
            [Item { code: "x".into() }, Item { code: "y".into() }]
        );
        let extra = body.extra.unwrap();
        assert_eq!(extra["k"], "v");
        assert_eq!(extra["list"], serde_json::json!(["1", "2"]));
    }

    #[test]
    fn empty_elements_are_empty_values() {
        let body: Body = from_str("<request><name/><items/><extra></extra></request>").unwrap();
        assert_eq!(body.name, "");
        assert!(body.items.is_empty());
        assert_eq!(body.extra, Some(BTreeMap::new()));
    }

    #[test]
    fn errors_name_the_field_or_say_what_is_malformed() {
        let cases = [
            (
                "<request><name>a</name><count>many</count></request>",
                "count: invalid value",
            ),
            (
                "<request><name>a</name><items><code/><code/></items></request>",
                "items[0].code: given 2 times",
            ),
            (
                "<request><name>a</name><items><code>x</code></items><items/></request>",
                "items[1]: missing field `code`",
            ),
            (
                "<request><count>1</count></request>",
                "missing field `name`",
            ),
            (
                "<request><name>a<b/></name></request>",
                "invalid XML body: <name> mixes text",
            ),
            ("<request><name>a</nom></request>", "invalid XML body"),
            (
                "<request><name>&bogus;</name></request>",
                "invalid XML body: unknown entity",
            ),
            (
                "<request>",
                "invalid XML body: the document has no complete root element",
            ),
            (
                "text<request/>",
                "invalid XML body: text outside the root element",
            ),
        ];
        for (xml, expected) in cases {
            let error = from_str::<Body>(xml).unwrap_err().to_string();
            assert!(error.starts_with(expected), "{xml}: {error}");
        }
        let deep = format!("<r>{}</r>", "<a>".repeat(64));
        let error = from_str::<Body>(&deep).unwrap_err().to_string();
        assert!(error.contains("deeper than 64"), "{error}");
    }
}
