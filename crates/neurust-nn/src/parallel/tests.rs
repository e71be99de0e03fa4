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
