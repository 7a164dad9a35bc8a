//! Freeing large values off the request path.
//!
//! After an edit the previous version of the edited file goes away: its
//! AST, in a file of 10,000 lines, is tens of thousands of allocations,
//! about a millisecond to free. Whoever drops the last reference pays, and
//! that used to be the update of the diagnostics the editor waits for.
//! Values handed to [`drop_later`] are freed by a background thread
//! instead.

use std::sync::Mutex;
use std::sync::mpsc::{Sender, channel};

type Garbage = Box<dyn Send>;

static SENDER: Mutex<Option<Sender<Garbage>>> = Mutex::new(None);

/// Drops `value` on the background thread (here, should the thread be
/// gone or fail to start).
pub fn drop_later<T: Send + 'static>(value: T) {
    let mut sender = SENDER.lock().unwrap_or_else(|e| e.into_inner());
    if sender.is_none() {
        let (tx, rx) = channel::<Garbage>();
        let started = std::thread::Builder::new()
            .name("xwalk-drop".into())
            .spawn(move || {
                for garbage in rx {
                    drop(garbage);
                }
            });
        if started.is_ok() {
            *sender = Some(tx);
        }
    }
    let garbage: Garbage = Box::new(value);
    if let Some(Err(returned)) = sender.as_ref().map(|s| s.send(garbage)) {
        // The thread is gone: drop here.
        drop(returned.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};

    struct Flag(Arc<AtomicBool>);

    impl Drop for Flag {
        fn drop(&mut self) {
            self.0.store(true, Ordering::SeqCst);
        }
    }

    #[test]
    fn drops_on_another_thread() {
        let dropped = Arc::new(AtomicBool::new(false));
        drop_later(Flag(dropped.clone()));
        for _ in 0..500 {
            if dropped.load(Ordering::SeqCst) {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        panic!("the value was never dropped");
    }
}
