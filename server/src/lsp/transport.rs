//! A framing layer in front of tower-lsp-server's reader: it reads
//! `Content-Length` frames itself and replaces a frame whose body is not a
//! JSON-RPC message by a marker notification, which `ordered` answers with
//! a Parse error (-32700) or Invalid Request (-32600). tower-lsp-server's
//! own reader stops reading after a bad body; behind this layer it never
//! sees one.

use serde_json::Value;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};

/// Method of the marker sent for a body that is not JSON.
pub const PARSE_ERROR: &str = "$/xwalk/parseError";
/// Method of the marker sent for JSON that is not a JSON-RPC message; its
/// params carry the message's `id` when it had one.
pub const INVALID_REQUEST: &str = "$/xwalk/invalidRequest";

/// Frames larger than this are skipped, not buffered.
const MAX_FRAME: usize = 256 << 20;

/// What to forward for one body.
pub fn sanitise(body: &[u8]) -> Vec<u8> {
    let mut value: Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(_) => return marker(PARSE_ERROR, Value::Null),
    };
    // `"params": null` is common (`shutdown`, `exit`) though JSON-RPC wants
    // params omitted: drop it rather than refuse the message.
    let null_params = value.get("params").is_some_and(Value::is_null);
    if null_params && let Some(o) = value.as_object_mut() {
        o.remove("params");
    }
    let valid = value.as_object().is_some_and(|o| {
        o.get("jsonrpc").and_then(Value::as_str) == Some("2.0")
            && match o.get("method") {
                Some(m) => {
                    m.is_string()
                        && o.get("params")
                            .is_none_or(|p| p.is_object() || p.is_array())
                }
                None => {
                    o.contains_key("id") && (o.contains_key("result") || o.contains_key("error"))
                }
            }
            && o.get("id")
                .is_none_or(|id| id.is_string() || id.is_i64() || id.is_u64() || id.is_null())
    });
    if valid && null_params {
        serde_json::to_vec(&value).expect("a JSON value serialises")
    } else if valid {
        body.to_vec()
    } else {
        let id = value
            .get("id")
            .filter(|id| id.is_string() || id.is_i64() || id.is_u64())
            .cloned()
            .unwrap_or(Value::Null);
        marker(INVALID_REQUEST, serde_json::json!({ "id": id }))
    }
}

fn marker(method: &str, params: Value) -> Vec<u8> {
    let mut msg = serde_json::json!({ "jsonrpc": "2.0", "method": method });
    if !params.is_null() {
        msg["params"] = params;
    }
    serde_json::to_vec(&msg).expect("a marker serialises")
}

/// Copies frames from `input` to `output`, sanitising each body. Header
/// lines other than `Content-Length` are ignored; a frame without one is
/// skipped. Ends at the end of the input.
pub async fn forward_frames<R, W>(input: R, mut output: W)
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let mut reader = BufReader::new(input);
    let mut line = Vec::new();
    loop {
        let mut length: Option<usize> = None;
        // Headers end at an empty line.
        loop {
            line.clear();
            match reader.read_until(b'\n', &mut line).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            let text = String::from_utf8_lossy(&line);
            let text = text.trim();
            if text.is_empty() {
                if length.is_some() {
                    break;
                }
                continue;
            }
            if let Some((name, value)) = text.split_once(':')
                && name.trim().eq_ignore_ascii_case("content-length")
            {
                length = value.trim().parse().ok();
            }
        }
        let Some(length) = length else { continue };
        let forwarded = if length > MAX_FRAME {
            let mut skip = (&mut reader).take(length as u64);
            if tokio::io::copy(&mut skip, &mut tokio::io::sink())
                .await
                .is_err()
            {
                return;
            }
            marker(INVALID_REQUEST, serde_json::json!({ "id": Value::Null }))
        } else {
            let mut body = vec![0; length];
            if reader.read_exact(&mut body).await.is_err() {
                return;
            }
            sanitise(&body)
        };
        let header = format!("Content-Length: {}\r\n\r\n", forwarded.len());
        if output.write_all(header.as_bytes()).await.is_err()
            || output.write_all(&forwarded).await.is_err()
            || output.flush().await.is_err()
        {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitises_bodies() {
        let ok = br#"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#;
        assert_eq!(sanitise(ok), ok.to_vec());
        let bad = sanitise(b"{not json");
        assert!(String::from_utf8(bad).unwrap().contains(PARSE_ERROR));
        let odd = String::from_utf8(sanitise(br#"{"jsonrpc":"2.0","id":7,"params":3}"#)).unwrap();
        assert!(
            odd.contains(INVALID_REQUEST) && odd.contains("\"id\":7"),
            "{odd}"
        );
        let shutdown = sanitise(br#"{"jsonrpc":"2.0","id":2,"method":"shutdown","params":null}"#);
        assert_eq!(
            shutdown,
            br#"{"id":2,"jsonrpc":"2.0","method":"shutdown"}"#.to_vec()
        );
        let odd = String::from_utf8(sanitise(br#"[1,2]"#)).unwrap();
        assert!(odd.contains(INVALID_REQUEST));
    }

    #[tokio::test]
    async fn keeps_reading_after_garbage() {
        let input = b"Content-Length: 3\r\n\r\n{x}garbage line\r\nContent-Length: 40\r\n\r\n{\"jsonrpc\":\"2.0\",\"method\":\"initialized\"}".to_vec();
        let mut out = Vec::new();
        forward_frames(&input[..], &mut out).await;
        let out = String::from_utf8(out).unwrap();
        assert!(out.contains(PARSE_ERROR), "{out}");
        assert!(
            out.ends_with("{\"jsonrpc\":\"2.0\",\"method\":\"initialized\"}"),
            "{out}"
        );
    }
}
