//! The C allocator's settings for the server's process (glibc on Linux;
//! elsewhere nothing here does anything).
//!
//! glibc gives a thread that finds the arena it would use locked an arena
//! of its own, up to eight per core, and memory freed in an arena is reused
//! only by the threads that allocate from it. The server allocates from
//! the runtime's workers, the blocking pool (checks, the suggestions'
//! tables), rayon's threads and the thread that frees old versions
//! (`background`): during a burst of keystrokes each of a dozen arenas kept
//! a megabyte or more of freed chunks that no other thread could reuse
//! (malloc_info after 200 keystrokes of the LSP benchmark on two cores:
//! 14 arenas, 18.8 MB free in them, 7.1 MB after the first check).
//!
//! One arena per core instead (A/B on two cores, against the same commit
//! with glibc's default): resident memory after the keystrokes 10 MB
//! lower, at the end 11 MB lower, for the same CPU time per keystroke and
//! time to ready. One arena for the whole process saved 2-3 MB more but
//! made the time to ready 40 ms longer: indexing parses on every core,
//! and its threads then wait for the one arena's lock.

/// One malloc arena per core (at least two): call before the runtime
/// starts its threads (an arena a thread already has stays its own).
pub fn arena_per_core() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        let arenas = libc::c_int::try_from(cores.max(2)).unwrap_or(libc::c_int::MAX);
        // SAFETY: mallopt only changes the allocator's parameters;
        // M_ARENA_MAX bounds the arenas created from now on. A failure (0)
        // leaves the default.
        unsafe {
            libc::mallopt(libc::M_ARENA_MAX, arenas);
        }
    }
}
