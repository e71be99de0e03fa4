//! The thread team: every part once, disjoint ranges, nested jobs.

use super::*;

/// Each part runs exactly once whether parts are fewer than the threads, have homes (below
/// `HOMES`) or not.
#[test]
fn every_part_runs_exactly_once_for_any_count() {
    for parts in [1, 2, 3, HOMES - 1, HOMES, HOMES + 1, 100] {
        for _ in 0..50 {
            let runs: Vec<AtomicUsize> = (0..parts).map(|_| AtomicUsize::new(0)).collect();
            run_parts(parts, &|p| {
                runs[p].fetch_add(1, Ordering::Relaxed);
            });
            assert!(
                runs.iter().all(|r| r.load(Ordering::Relaxed) == 1),
                "{parts} parts"
            );
        }
    }
}

#[test]
fn every_part_runs_once_and_results_are_visible() {
    let mut out = vec![0usize; 1000];
    for round in 0..200 {
        let shared = SharedMut::new(&mut out);
        let parts = num_threads();
        run_parts(num_threads(), &|part| {
            let r = split_range(1000, part, parts, 16);
            // SAFETY: split_range gives disjoint ranges.
            for v in unsafe { shared.range(r) } {
                *v += round;
            }
        });
    }
    let want: usize = (0..200).sum();
    assert!(out.iter().all(|&v| v == want));
}

#[test]
fn split_range_covers_everything_once() {
    for len in [0, 1, 15, 16, 17, 256, 1000] {
        for parts in 1..5 {
            let mut covered = vec![0; len];
            for p in 0..parts {
                for i in split_range(len, p, parts, 16) {
                    covered[i] += 1;
                }
            }
            assert!(covered.iter().all(|&c| c == 1), "len {len} parts {parts}");
        }
    }
}

#[test]
fn nested_runs_do_not_deadlock() {
    let count = AtomicUsize::new(0);
    run_parts(num_threads(), &|_| {
        run_parts(num_threads(), &|_| {
            count.fetch_add(1, Ordering::Relaxed);
        })
    });
    assert_eq!(count.load(Ordering::Relaxed), num_threads() * num_threads());
}

/// The task runs exactly once, whether a worker takes it after the body's job or the caller
/// runs it at the end, and its writes are visible when `with_background` returns.
#[test]
fn a_background_task_runs_once_beside_the_body() {
    for jobs in [0, 1, 3] {
        for round in 0..200 {
            let mut out = vec![0usize; 64];
            let parts = AtomicUsize::new(0);
            let mut runs = 0;
            let got = with_background(
                &mut || {
                    runs += 1;
                    out.iter_mut().for_each(|v| *v = round);
                },
                || {
                    for _ in 0..jobs {
                        run_parts(num_threads(), &|_| {
                            parts.fetch_add(1, Ordering::Relaxed);
                        });
                    }
                    round + 1
                },
            );
            assert_eq!((got, runs), (round + 1, 1), "{jobs} jobs, round {round}");
            assert!(out.iter().all(|&v| v == round));
            assert_eq!(parts.load(Ordering::Relaxed), jobs * num_threads());
        }
    }
}

/// Posted inside another's body or inside a job, a task still runs once and has finished when
/// `with_background` returns (it runs first, on the caller, when the slot is taken).
#[test]
fn nested_background_tasks_run_once_and_finish() {
    let (mut outer, mut inner) = (0, 0);
    with_background(&mut || outer += 1, || {
        with_background(&mut || inner += 1, || ());
        assert_eq!(inner, 1);
    });
    assert_eq!(outer, 1);
    let ran: Vec<AtomicUsize> = (0..4).map(|_| AtomicUsize::new(0)).collect();
    run_parts(4, &|p| {
        with_background(&mut || _ = ran[p].fetch_add(1, Ordering::Relaxed), || ());
        assert_eq!(ran[p].load(Ordering::Relaxed), 1, "part {p}");
    });
}

/// A task that panics makes `with_background` panic, and the next task runs normally.
#[test]
fn a_panicking_background_task_is_reported_and_the_team_goes_on() {
    let caught = catch_unwind(|| {
        with_background(&mut || panic!("task fails"), || {
            run_parts(num_threads(), &|_| {});
        })
    });
    assert!(caught.is_err());
    let mut ran = false;
    with_background(&mut || ran = true, || run_parts(num_threads(), &|_| {}));
    assert!(ran);
}

/// With a worker, the task runs on it once the body's job is done; without one, on the caller.
/// Tried until it does (for up to 20 s), since under `cargo test` other tests may hold the
/// team or the slot.
#[test]
fn a_worker_takes_the_task_after_the_bodys_job() {
    let caller = thread::current().id();
    let start = std::time::Instant::now();
    loop {
        let ran_on = Mutex::new(None);
        with_background(
            &mut || *ran_on.lock().unwrap() = Some(thread::current().id()),
            || {
                run_parts(num_threads(), &|_| {});
                let waited = std::time::Instant::now();
                while ran_on.lock().unwrap().is_none()
                    && waited.elapsed() < std::time::Duration::from_millis(100)
                {
                    thread::yield_now();
                }
            },
        );
        let ran_on = ran_on.into_inner().unwrap().expect("the task ran");
        if num_threads() == 1 {
            assert_eq!(ran_on, caller);
            return;
        }
        if ran_on != caller {
            return;
        }
        assert!(
            start.elapsed() < std::time::Duration::from_secs(20),
            "no worker took the task in 20 s"
        );
        thread::sleep(std::time::Duration::from_millis(1));
    }
}
