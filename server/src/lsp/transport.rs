//! The transport: `Content-Length` frames over standard input and output.
//!
//! One loop reads the client's frames in order and hands each message to
//! the service (`ordered.rs`), or, for a reply to one of the server's own
//! requests, to tower-lsp-server's client socket. One task writes
//! everything the server sends. The loop ends at `exit` or at the end of
//! the input, and then the server ends: what is already queued is written
//! (for at most [`FLUSH_TIMEOUT`]), and nothing still running is awaited.
//! This is why the server does not use tower-lsp-server's `Server::serve`,
//! which waits for every handler to finish, including one waiting forever
//! for a client's answer.
//!
//! `initialize` and `shutdown` are answered before the next message is
//! read (see `serve`); every other request runs as its own task.
//!
//! A body that is not JSON is answered with a Parse error (-32700, id
//! null), JSON that is not a JSON-RPC message with Invalid Request
//! (-32600, with its id when it has one); reading goes on.

use futures::{SinkExt, StreamExt};
use serde_json::Value;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::sync::mpsc;
use tower::Service;
use tower_lsp_server::ClientSocket;
use tower_lsp_server::jsonrpc::{Error, Id, Request, Response};

use super::lifecycle::FLUSH_TIMEOUT;
use super::ordered::Ordered;

/// Frames larger than this are skipped, not buffered.
const MAX_FRAME: usize = 256 << 20;

/// One message from the client.
#[derive(Debug)]
pub enum Incoming {
    Request(Request),
    Response(Response),
    /// Not a message: the error to answer with.
    Invalid(Response),
}

/// Reads one message body.
pub fn parse(body: &[u8]) -> Incoming {
    let mut value: Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(_) => return Incoming::Invalid(Response::from_error(Id::Null, Error::parse_error())),
    };
    // `"params": null` is common (`shutdown`, `exit`) though JSON-RPC wants
    // params omitted: drop it rather than refuse the message.
    if let Some(o) = value.as_object_mut()
        && o.get("params").is_some_and(Value::is_null)
    {
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
    let id = value
        .get("id")
        .cloned()
        .and_then(|id| serde_json::from_value::<Id>(id).ok())
        .unwrap_or(Id::Null);
    let invalid = || Incoming::Invalid(Response::from_error(id.clone(), Error::invalid_request()));
    if !valid {
        return invalid();
    }
    if value.get("method").is_some() {
        serde_json::from_value(value).map_or_else(|_| invalid(), Incoming::Request)
    } else {
        serde_json::from_value(value).map_or_else(|_| invalid(), Incoming::Response)
    }
}

/// Reads the next frame's body; `None` at the end of the input. Header
/// lines other than `Content-Length` are ignored; a frame without one is
/// skipped; a body over [`MAX_FRAME`] is skipped and read as empty (an
/// Invalid Request).
pub async fn read_frame<R: AsyncRead + Unpin>(reader: &mut BufReader<R>) -> Option<Vec<u8>> {
    let mut line = Vec::new();
    loop {
        let mut length: Option<usize> = None;
        // Headers end at an empty line.
        loop {
            line.clear();
            if reader.read_until(b'\n', &mut line).await.ok()? == 0 {
                return None;
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
        if length > MAX_FRAME {
            let mut skip = (&mut *reader).take(length as u64);
            tokio::io::copy(&mut skip, &mut tokio::io::sink())
                .await
                .ok()?;
            return Some(b"{}".to_vec());
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body).await.ok()?;
        return Some(body);
    }
}

/// Serves `service` over `input` and `output` until `exit` or the end of
/// the input.
pub async fn serve<R, W>(input: R, mut output: W, mut service: Ordered, socket: ClientSocket)
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin + Send + 'static,
{
    // `None` tells the writer to stop after what is queued before it.
    let (out, mut queue): (Out, _) = mpsc::unbounded_channel();
    let writer = tokio::spawn(async move {
        let mut frame = Frame::default();
        while let Some(Some(message)) = queue.recv().await {
            let Some(bytes) = frame.write(&message) else {
                continue;
            };
            if output.write_all(bytes).await.is_err() {
                return;
            }
            // Freed while the frame is written (a completion's answer is
            // thousands of values).
            drop(message);
            if output.flush().await.is_err() {
                return;
            }
        }
    });
    let (mut to_client, mut replies) = socket.split();
    let requests_out = out.clone();
    let forward = tokio::spawn(async move {
        while let Some(request) = to_client.next().await {
            send(&requests_out, Outgoing::Request(request));
        }
    });
    let mut reader = BufReader::new(input);
    while let Some(body) = read_frame(&mut reader).await {
        match parse(&body) {
            Incoming::Invalid(error) => send(&out, Outgoing::Response(error)),
            Incoming::Response(reply) => {
                let _ = replies.send(reply).await;
            }
            Incoming::Request(request) => {
                if std::future::poll_fn(|cx| service.poll_ready(cx))
                    .await
                    .is_err()
                {
                    break;
                }
                let method = request.method();
                let exit = method == "exit";
                // `initialize` and `shutdown` are answered before the next
                // message is read: a client that writes `initialize`,
                // `initialized` and a request in one go (without waiting, as
                // the specification asks) must not have `initialized` dropped
                // as "not initialized yet", and `exit` right after `shutdown`
                // must find the server shut down (exit status 0).
                let in_order = matches!(method, "initialize" | "shutdown");
                let reply = service.call(request);
                if exit {
                    break;
                }
                if in_order {
                    if let Ok(Some(response)) = reply.await {
                        send(&out, Outgoing::Response(response));
                    }
                    continue;
                }
                let out = out.clone();
                tokio::spawn(async move {
                    if let Ok(Some(response)) = reply.await {
                        send(&out, Outgoing::Response(response));
                    }
                });
            }
        }
    }
    forward.abort();
    let _ = out.send(None);
    let _ = tokio::time::timeout(FLUSH_TIMEOUT, writer).await;
}

type Out = mpsc::UnboundedSender<Option<Outgoing>>;

/// A message for the client, serialised by the writer.
#[derive(Debug, serde::Serialize)]
#[serde(untagged)]
enum Outgoing {
    Response(Response),
    Request(Request),
}

/// Queues a message for the writer.
fn send(out: &Out, message: Outgoing) {
    let _ = out.send(Some(message));
}

/// Room for the `Content-Length` header before the body: its longest form
/// (a 20-digit length).
const HEADER_ROOM: usize = "Content-Length: \r\n\r\n".len() + 20;

/// A buffer larger than this is not kept for the next message.
const KEEP: usize = 1 << 20;

/// The writer's buffer, kept from one message to the next: a message is
/// serialised after room for its header, which is then written in front
/// of it, so that header and body go out in one write. A completion
/// answers with some 50 kB; serialising each into a fresh vector grown by
/// doubling, then freeing it (a free of 64 kB or more makes glibc's
/// allocator consolidate its small free chunks), cost every request.
#[derive(Default)]
struct Frame {
    buf: Vec<u8>,
}

impl Frame {
    /// The frame of `message`: header and body; `None` when it cannot be
    /// serialised.
    fn write(&mut self, message: &impl serde::Serialize) -> Option<&[u8]> {
        if self.buf.capacity() > KEEP {
            self.buf = Vec::new();
        }
        self.buf.clear();
        self.buf.resize(HEADER_ROOM, b' ');
        serde_json::to_writer(&mut self.buf, message).ok()?;
        let header = format!("Content-Length: {}\r\n\r\n", self.buf.len() - HEADER_ROOM);
        let start = HEADER_ROOM - header.len();
        self.buf[start..HEADER_ROOM].copy_from_slice(header.as_bytes());
        Some(&self.buf[start..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error_code(i: Incoming) -> (i64, Id) {
        match i {
            Incoming::Invalid(r) => {
                let (id, body) = r.into_parts();
                (body.unwrap_err().code.code(), id)
            }
            other => panic!("not an error: {other:?}"),
        }
    }

    #[test]
    fn parses_messages_and_refuses_the_rest() {
        let Incoming::Request(r) = parse(br#"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#) else {
            panic!()
        };
        assert_eq!(r.method(), "shutdown");
        let Incoming::Request(r) =
            parse(br#"{"jsonrpc":"2.0","id":2,"method":"shutdown","params":null}"#)
        else {
            panic!("params: null is accepted")
        };
        assert!(r.params().is_none());
        assert!(matches!(
            parse(br#"{"jsonrpc":"2.0","id":3,"result":null}"#),
            Incoming::Response(_)
        ));
        assert_eq!(error_code(parse(b"{not json")), (-32700, Id::Null));
        assert_eq!(
            error_code(parse(br#"{"jsonrpc":"2.0","id":7,"params":3}"#)),
            (-32600, Id::Number(7))
        );
        assert_eq!(error_code(parse(br#"[1,2]"#)), (-32600, Id::Null));
    }

    /// A frame is the header and the JSON of the message, from a buffer
    /// kept between messages (a long one, then a short one, then one
    /// over what is kept).
    #[test]
    fn frames_header_and_body_in_one_buffer() {
        let mut frame = Frame::default();
        let mut kept = Vec::new();
        for len in [60_000, 3, KEEP + 10, 0] {
            let response = Response::from_ok(Id::Number(7), Value::String("é".repeat(len)));
            // What the response serialises to by itself.
            let body = serde_json::to_vec(&response).unwrap();
            let mut expected = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
            expected.extend_from_slice(&body);
            let message = Outgoing::Response(response);
            assert_eq!(frame.write(&message).unwrap(), &expected[..]);
            kept.push(frame.buf.capacity());
        }
        // The short message reuses the long one's buffer; the one over
        // what is kept is not kept for the next.
        assert!(kept[0] > 120_000 && kept[1] == kept[0], "{kept:?}");
        assert!(kept[2] > KEEP && kept[3] < KEEP, "{kept:?}");
    }

    #[tokio::test]
    async fn keeps_reading_after_garbage() {
        let input = b"Content-Length: 3\r\n\r\n{x}garbage line\r\nContent-Length: 40\r\n\r\n{\"jsonrpc\":\"2.0\",\"method\":\"initialized\"}".to_vec();
        let mut reader = BufReader::new(&input[..]);
        assert_eq!(read_frame(&mut reader).await.unwrap(), b"{x}");
        let body = read_frame(&mut reader).await.unwrap();
        assert!(matches!(parse(&body), Incoming::Request(r) if r.method() == "initialized"));
        assert!(read_frame(&mut reader).await.is_none());
    }
}
