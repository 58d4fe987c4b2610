//! JSON-RPC 2.0 messages, as LSP sends them. The wire format is the JSON of [`Message`]; the
//! transport (stdio framing with `Content-Length`, a web worker's `postMessage`) is the
//! adapter's business.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A request id: a number or a string.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(untagged)]
pub enum RequestId {
    Number(i64),
    String(String),
}

impl From<i64> for RequestId {
    fn from(n: i64) -> Self {
        RequestId::Number(n)
    }
}

impl From<&str> for RequestId {
    fn from(s: &str) -> Self {
        RequestId::String(s.to_string())
    }
}

/// A call that expects a [`Response`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Request {
    pub id: RequestId,
    pub method: String,
    #[serde(default, skip_serializing_if = "Value::is_null")]
    pub params: Value,
}

/// The answer to a [`Request`]: a result or an error.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Response {
    pub id: RequestId,
    /// Present (possibly `null`) on success.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub result: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ResponseError>,
}

/// A field that is there, even as `null`, is `Some`.
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(d).map(Some)
}

/// A JSON-RPC error.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResponseError {
    pub code: i64,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<Value>,
}

/// A message that expects no answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Notification {
    pub method: String,
    #[serde(default, skip_serializing_if = "Value::is_null")]
    pub params: Value,
}

/// Any message of the protocol, in either direction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Message {
    Request(Request),
    Response(Response),
    Notification(Notification),
}

/// JSON-RPC and LSP error codes.
pub mod error_code {
    pub const PARSE_ERROR: i64 = -32700;
    pub const INVALID_REQUEST: i64 = -32600;
    pub const METHOD_NOT_FOUND: i64 = -32601;
    pub const INVALID_PARAMS: i64 = -32602;
    pub const INTERNAL_ERROR: i64 = -32603;
    pub const SERVER_NOT_INITIALIZED: i64 = -32002;
    pub const REQUEST_FAILED: i64 = -32803;
}

impl Message {
    /// A request.
    pub fn request(id: impl Into<RequestId>, method: &str, params: Value) -> Self {
        Message::Request(Request {
            id: id.into(),
            method: method.to_string(),
            params,
        })
    }

    /// A notification.
    pub fn notification(method: &str, params: Value) -> Self {
        Message::Notification(Notification {
            method: method.to_string(),
            params,
        })
    }

    /// A successful response.
    pub fn ok(id: RequestId, result: Value) -> Self {
        Message::Response(Response {
            id,
            result: Some(result),
            error: None,
        })
    }

    /// An error response.
    pub fn error(id: RequestId, code: i64, message: impl Into<String>) -> Self {
        Message::Response(Response {
            id,
            result: None,
            error: Some(ResponseError {
                code,
                message: message.into(),
                data: None,
            }),
        })
    }

    /// Read a message from its JSON text.
    pub fn from_json(text: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(text)
    }

    /// The message's JSON text, with `"jsonrpc": "2.0"`.
    pub fn to_json(&self) -> String {
        let mut value = serde_json::to_value(self).unwrap_or(Value::Null);
        if let Value::Object(map) = &mut value {
            map.insert("jsonrpc".into(), Value::String("2.0".into()));
        }
        value.to_string()
    }

    /// The method of a request or notification.
    pub fn method(&self) -> Option<&str> {
        match self {
            Message::Request(r) => Some(&r.method),
            Message::Notification(n) => Some(&n.method),
            Message::Response(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_each_kind() {
        let r = Message::from_json(r#"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#).unwrap();
        assert!(
            matches!(r, Message::Request(ref q) if q.id == RequestId::Number(1) && q.params.is_null())
        );
        let n = Message::from_json(r#"{"jsonrpc":"2.0","method":"exit"}"#).unwrap();
        assert!(matches!(n, Message::Notification(ref x) if x.method == "exit"));
        let ok = Message::from_json(r#"{"jsonrpc":"2.0","id":"a","result":null}"#).unwrap();
        assert_eq!(
            ok,
            Message::Response(Response {
                id: "a".into(),
                result: Some(Value::Null),
                error: None
            })
        );
        let err = Message::from_json(
            r#"{"jsonrpc":"2.0","id":2,"error":{"code":-32601,"message":"no"}}"#,
        )
        .unwrap();
        assert!(
            matches!(err, Message::Response(Response { error: Some(ref e), .. }) if e.code == -32601)
        );
    }

    #[test]
    fn writes_jsonrpc_field() {
        let text = Message::notification("x", json!({"a": 1})).to_json();
        let v: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            v,
            json!({"jsonrpc": "2.0", "method": "x", "params": {"a": 1}})
        );
    }
}
