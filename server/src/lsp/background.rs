//! Freeing large values off the request path, and background threads at
//! a lower priority.
//!
//! After an edit the previous version of the edited file goes away: its
//! AST, in a file of 10,000 lines, is tens of thousands of allocations,
//! about a millisecond to free. Whoever drops the last reference pays, and
//! that used to be the update of the diagnostics the editor waits for.
//! Values handed to [`drop_later`] are freed by a background thread
//! instead.

use std::sync::OnceLock;
use std::sync::mpsc::{Sender, channel};

type Garbage = Box<dyn Send>;

/// The thread's inbox, started on first use (`None` if it failed to start).
static SENDER: OnceLock<Option<Sender<Garbage>>> = OnceLock::new();

/// Drops `value` on the background thread (here, should the thread be
/// gone or fail to start).
pub fn drop_later<T: Send + 'static>(value: T) {
    let sender = SENDER.get_or_init(|| {
        let (tx, rx) = channel::<Garbage>();
        std::thread::Builder::new()
            .name("xwalk-drop".into())
            .spawn(move || {
                lower_priority();
                for garbage in rx {
                    drop(garbage);
                }
            })
            .ok()
            .map(|_| tx)
    });
    let garbage: Garbage = Box::new(value);
    if let Some(Err(returned)) = sender.as_ref().map(|s| s.send(garbage)) {
        // The thread is gone: drop here.
        drop(returned.0);
    }
}

/// Lowers the calling thread's scheduling priority, for background work
/// that must not slow down the answers an editor waits for (on Linux the
/// nice value is per thread; elsewhere this does nothing).
pub fn lower_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: setpriority has no memory effects; who = 0 is the calling
    // thread. A failure only leaves the priority as it was.
    unsafe {
        libc::setpriority(libc::PRIO_PROCESS, 0, 10);
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

    #[cfg(target_os = "linux")]
    #[test]
    fn background_threads_run_at_a_lower_priority() {
        let nice = std::thread::spawn(|| {
            lower_priority();
            // SAFETY: as above; reads the calling thread's nice value.
            unsafe { libc::getpriority(libc::PRIO_PROCESS, 0) }
        })
        .join()
        .unwrap();
        assert_eq!(nice, 10);
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
