//! Reading a parsed JSON or YAML tree with located errors: every value is
//! named by its path (`mappings[2].maps[0].relationship`), and keys an
//! importer does not read are counted as values it cannot carry.

use serde_json::{Map, Value};

use super::ingest::Losses;

/// What kind of value `v` is, for messages.
pub fn kind(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("a boolean ({b})"),
        Value::Number(n) => format!("a number ({n})"),
        Value::String(_) => "a string".into(),
        Value::Array(_) => "an array".into(),
        Value::Object(_) => "an object".into(),
    }
}

/// An object at a path.
#[derive(Clone, Copy)]
pub struct Obj<'a> {
    pub map: &'a Map<String, Value>,
    pub path: &'a str,
}

impl<'a> Obj<'a> {
    /// `v` as an object, or an error naming `path`.
    pub fn of(v: &'a Value, path: &'a str) -> Result<Obj<'a>, String> {
        match v {
            Value::Object(map) => Ok(Obj { map, path }),
            other => Err(format!("{path}: expected an object, found {}", kind(other))),
        }
    }

    pub fn at(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.path)
        }
    }

    /// The value of `key`, absent when missing or null.
    pub fn get(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key).filter(|v| !v.is_null())
    }

    pub fn required(&self, key: &str) -> Result<&'a Value, String> {
        self.get(key)
            .ok_or_else(|| format!("{}: missing `{key}`", self.path_or("the document")))
    }

    fn path_or<'b>(&'b self, top: &'b str) -> &'b str {
        if self.path.is_empty() { top } else { self.path }
    }

    /// An optional string (numbers are taken as their text).
    pub fn string(&self, key: &str) -> Result<Option<&'a str>, String> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(other) => Err(format!(
                "{}: expected a string, found {}",
                self.at(key),
                kind(other)
            )),
        }
    }

    pub fn required_string(&self, key: &str) -> Result<&'a str, String> {
        self.required(key)?;
        let s = self.string(key)?.unwrap_or_default();
        if s.trim().is_empty() {
            return Err(format!("{}: empty", self.at(key)));
        }
        Ok(s)
    }

    /// An optional array.
    pub fn array(&self, key: &str) -> Result<&'a [Value], String> {
        match self.get(key) {
            None => Ok(&[]),
            Some(Value::Array(a)) => Ok(a),
            Some(other) => Err(format!(
                "{}: expected an array, found {}",
                self.at(key),
                kind(other)
            )),
        }
    }

    /// A required array with at least one element.
    pub fn required_array(&self, key: &str) -> Result<&'a [Value], String> {
        self.required(key)?;
        let a = self.array(key)?;
        if a.is_empty() {
            return Err(format!("{}: empty; at least one is required", self.at(key)));
        }
        Ok(a)
    }

    /// Counts every key not in `read` (and not null) as a value the import
    /// does not carry, under `field` + `.` + key.
    pub fn leftovers(&self, field: &str, read: &[&str], losses: &mut Losses) {
        for (k, v) in self.map {
            if !read.contains(&k.as_str()) && !v.is_null() {
                losses.add(&format!("{field}.{k}"), "not imported");
            }
        }
    }
}
