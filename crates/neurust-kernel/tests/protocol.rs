//! Drives the real kernel binary over ZeroMQ, one named test per scenario. The scenarios share
//! one kernel, because starting one (evcxr, the facade stub, rust-analyzer) is the expensive
//! part: `cargo test` runs every test of this file in one process, and they take turns on
//! [`KERNEL`]. Every scenario sets up what it needs, so none depends on another having run
//! before it. (nextest runs each test in a process of its own, where each would start its own
//! kernel; `.config/nextest.toml` leaves these tests out of its default run.)

mod support;

use bytes::Bytes;
use serde_json::json;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};
use support::{Chan, Kernel, Msg, types};

/// The kernel the scenarios of this process share, started by the first that runs. A test holds
/// it for its whole run, so scenarios never interleave.
static KERNEL: Mutex<Option<Kernel>> = Mutex::new(None);

/// The shared kernel, started if need be. After a test failed while holding it (the kernel may
/// be mid-cell, with replies still on their way), the next test gets a fresh one.
fn kernel() -> MutexGuard<'static, Option<Kernel>> {
    let mut slot = KERNEL.lock().unwrap_or_else(|poisoned| {
        KERNEL.clear_poison();
        let mut slot = poisoned.into_inner();
        *slot = None;
        slot
    });
    if slot.is_none() {
        *slot = Some(Kernel::start());
    }
    slot
}

/// Runs `scenario` on the shared kernel.
fn with_kernel(scenario: fn(&mut Kernel)) {
    let mut slot = kernel();
    scenario(slot.as_mut().expect("started"));
}

fn status(reply: &Msg) -> &str {
    reply.content["status"].as_str().unwrap_or("")
}

fn stdout_text(messages: &[Msg]) -> String {
    messages
        .iter()
        .filter(|m| m.msg_type == "stream" && m.content["name"] == "stdout")
        .filter_map(|m| m.content["text"].as_str())
        .collect()
}

#[test]
fn kernel_info() {
    with_kernel(answers_kernel_info);
}

#[test]
fn rejects_bad_signatures() {
    with_kernel(bad_signatures_get_no_reply);
}

#[test]
fn execute_message_order() {
    with_kernel(execute_messages_come_in_order);
}

#[test]
fn streams_are_live() {
    with_kernel(streams_arrive_while_the_cell_runs);
}

#[test]
fn display_messages_interleave_with_streams() {
    with_kernel(displays_keep_their_place_among_streams);
}

#[test]
fn panics_and_compile_errors_are_errors() {
    with_kernel(panics_and_compile_errors_reply_error);
}

#[test]
fn question_mark_errors_are_errors() {
    with_kernel(question_mark_errors_reply_error);
}

#[test]
fn stop_on_error_aborts_queued_cells() {
    with_kernel(queued_cells_are_aborted_after_an_error);
}

#[test]
fn interrupt_keeps_variables() {
    with_kernel(interrupted_cell_keeps_variables);
}

#[test]
fn busy_loop_is_stopped_and_lost_variables_named() {
    with_kernel(busy_loop_is_stopped_and_names_lost_variables);
}

#[test]
fn recovers_from_segfault() {
    with_kernel(a_new_process_follows_a_segfault);
}

/// Shutdown ends the kernel, so this test takes the shared one for good: a test after it starts
/// another. (Named to sort last: `cargo test` starts tests in name order.)
#[test]
fn the_kernel_exits_after_shutdown() {
    let mut slot = kernel();
    let mut k = slot.take().expect("started");
    shuts_down(&mut k);
}

fn answers_kernel_info(k: &mut Kernel) {
    let id = k.request(Chan::Shell, "kernel_info_request", json!({}));
    let reply = k
        .reply(Chan::Shell, Duration::from_secs(10))
        .expect("reply");
    assert_eq!(reply.msg_type, "kernel_info_reply");
    assert_eq!(reply.parent_id, id);
    let info = &reply.content["language_info"];
    assert_eq!(info["name"], "rust");
    assert_eq!(info["file_extension"], ".rs");
    assert_eq!(reply.content["protocol_version"], "5.3");
}

fn bad_signatures_get_no_reply(k: &mut Kernel) {
    let (_, mut wrong) = k.frames("kernel_info_request", &json!({}));
    wrong[1] = Bytes::from("0".repeat(64));
    k.send_raw(Chan::Shell, wrong);
    let (_, mut unsigned) = k.frames("kernel_info_request", &json!({}));
    unsigned[1] = Bytes::new();
    k.send_raw(Chan::Shell, unsigned);
    let garbage: [&[u8]; 4] = [b"not json", b"{}", b"{}", b"{}"];
    let mut malformed = vec![
        Bytes::from_static(b"<IDS|MSG>"),
        Bytes::from(support::sign(&garbage)),
    ];
    malformed.extend(garbage.iter().map(|p| Bytes::copy_from_slice(p)));
    k.send_raw(Chan::Shell, malformed);
    k.send_raw(Chan::Shell, vec![Bytes::from_static(b"no delimiter")]);
    assert!(
        k.reply(Chan::Shell, Duration::from_millis(1500)).is_none(),
        "bad messages must get no reply"
    );
    k.request(Chan::Shell, "kernel_info_request", json!({}));
    let reply = k
        .reply(Chan::Shell, Duration::from_secs(10))
        .expect("still serving");
    assert_eq!(reply.msg_type, "kernel_info_reply");
}

fn execute_messages_come_in_order(k: &mut Kernel) {
    let (reply, iopub) = k.execute("println!(\"a\"); 40 + 2");
    assert_eq!(status(&reply), "ok");
    assert_eq!(
        types(&iopub),
        [
            "status",
            "execute_input",
            "stream",
            "execute_result",
            "status"
        ]
    );
    assert_eq!(iopub[0].content["execution_state"], "busy");
    assert_eq!(iopub[3].content["data"]["text/plain"], "42");
    let count = reply.content["execution_count"].as_i64().expect("count");
    assert_eq!(iopub[3].content["execution_count"], count);
}

fn streams_arrive_while_the_cell_runs(k: &mut Kernel) {
    let code = "for i in 0..3 { println!(\"tick {i}\"); \
                std::thread::sleep(std::time::Duration::from_millis(500)); }";
    let (reply, iopub) = k.execute(code);
    assert_eq!(status(&reply), "ok");
    let ticks: Vec<&Msg> = iopub.iter().filter(|m| m.msg_type == "stream").collect();
    assert_eq!(stdout_text(&iopub), "tick 0\ntick 1\ntick 2\n");
    let idle = iopub.last().expect("idle").at;
    let first = ticks.first().expect("a stream message").at;
    assert!(
        idle.duration_since(first) >= Duration::from_millis(800),
        "the first line must arrive while the cell still runs"
    );
}

fn displays_keep_their_place_among_streams(k: &mut Kernel) {
    let (reply, iopub) = k.execute(
        "show(\"plot\", \"one\"); println!(\"middle\"); update(\"plot\", \"two\"); \
         let tag = std::env::var(\"NEURUST_OUTPUT_TAG\").unwrap(); \
         println!(\"{tag}NEURUST-DISPLAY-V1 {{\\\"action\\\":\\\"clear\\\",\\\"wait\\\":true}}\");",
    );
    assert_eq!(status(&reply), "ok");
    let kinds: Vec<&str> = types(&iopub)
        .into_iter()
        .filter(|t| *t != "status" && *t != "execute_input")
        .collect();
    assert_eq!(
        kinds,
        [
            "display_data",
            "stream",
            "update_display_data",
            "clear_output"
        ]
    );
    let shown = iopub
        .iter()
        .find(|m| m.msg_type == "display_data")
        .expect("display");
    assert_eq!(shown.content["transient"]["display_id"], "plot");
    assert_eq!(shown.content["data"]["text/plain"], "one");
}

fn panics_and_compile_errors_reply_error(k: &mut Kernel) {
    let (reply, iopub) = k.execute("panic!(\"boom\")");
    assert_eq!(status(&reply), "error");
    assert_eq!(reply.content["ename"], "panic");
    assert!(
        reply.content["evalue"]
            .as_str()
            .unwrap_or("")
            .contains("boom")
    );
    assert!(types(&iopub).contains(&"error"));

    let (reply, _) = k.execute("let x: i32 = \"text\";");
    assert_eq!(status(&reply), "error");
    let traceback = reply.content["traceback"].to_string();
    assert!(
        traceback.contains("cell:1:"),
        "compile errors carry spans: {traceback}"
    );
}

/// A `?` that returns an error ends the cell with an error reply (evcxr alone says "ok"); the
/// output printed before the `?` and the message itself still reach the notebook.
fn question_mark_errors_reply_error(k: &mut Kernel) {
    let (reply, iopub) =
        k.execute("println!(\"before\");\nlet n: i32 = \"seven\".parse()?;\nprintln!(\"after\");");
    assert_eq!(status(&reply), "error", "{reply:?}");
    assert_eq!(reply.content["ename"], "Error");
    assert_eq!(reply.content["evalue"], "invalid digit found in string");
    assert_eq!(stdout_text(&iopub), "before\n");
    assert!(types(&iopub).contains(&"error"));

    let (reply, iopub) = k.execute("let fine: i32 = \"7\".parse()?;\nfine + 1");
    assert_eq!(status(&reply), "ok");
    let result = iopub.iter().find(|m| m.msg_type == "execute_result");
    assert_eq!(result.expect("result").content["data"]["text/plain"], "8");
}

fn queued_cells_are_aborted_after_an_error(k: &mut Kernel) {
    k.request(
        Chan::Shell,
        "execute_request",
        json!({ "code": "let broken: u8 = ;" }),
    );
    k.request(Chan::Shell, "execute_request", json!({ "code": "1" }));
    let first = k
        .reply(Chan::Shell, Duration::from_secs(120))
        .expect("first reply");
    let second = k
        .reply(Chan::Shell, Duration::from_secs(120))
        .expect("second reply");
    assert_eq!(status(&first), "error");
    assert_eq!(status(&second), "aborted");
}

fn interrupted_cell_keeps_variables(k: &mut Kernel) {
    let (reply, _) = k.execute("let keep = 7i32;");
    assert_eq!(status(&reply), "ok");
    let id = k.request(
        Chan::Shell,
        "execute_request",
        json!({ "code": "let batches = train_until_stopped(120);" }),
    );
    wait_for_stdout(k, &id, "training started");
    let started = Instant::now();
    k.request(Chan::Control, "interrupt_request", json!({}));
    let ack = k
        .reply(Chan::Control, Duration::from_secs(10))
        .expect("interrupt_reply");
    assert_eq!(ack.msg_type, "interrupt_reply");
    let reply = k
        .reply(Chan::Shell, Duration::from_secs(120))
        .expect("execute_reply");
    k.iopub_until_idle(&id, Duration::from_secs(10));
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "cooperative stop is quick"
    );
    assert_eq!(reply.content["ename"], "KeyboardInterrupt");
    let (reply, iopub) = k.execute("keep + (batches > 0) as i32");
    assert_eq!(status(&reply), "ok", "{:?}", reply.content);
    let result = iopub
        .iter()
        .find(|m| m.msg_type == "execute_result")
        .expect("result");
    assert_eq!(result.content["data"]["text/plain"], "8");
}

fn busy_loop_is_stopped_and_names_lost_variables(k: &mut Kernel) {
    let (reply, _) = k.execute("let keep = 7i32; let batches = 1usize;");
    assert_eq!(status(&reply), "ok");
    let id = k.request(
        Chan::Shell,
        "execute_request",
        json!({ "code": "println!(\"spinning\"); loop { std::hint::spin_loop(); }" }),
    );
    wait_for_stdout(k, &id, "spinning");
    let started = Instant::now();
    k.request(Chan::Control, "interrupt_request", json!({}));
    k.reply(Chan::Control, Duration::from_secs(10))
        .expect("interrupt_reply");
    let reply = k
        .reply(Chan::Shell, Duration::from_secs(120))
        .expect("execute_reply");
    k.iopub_until_idle(&id, Duration::from_secs(30));
    assert!(started.elapsed() < Duration::from_secs(6));
    assert_eq!(reply.content["ename"], "KeyboardInterrupt");
    let evalue = reply.content["evalue"].as_str().unwrap_or("");
    assert!(
        evalue.contains("keep") && evalue.contains("batches"),
        "{evalue}"
    );
}

/// Reads iopub until the cell `parent` has printed `text` (so user code is running).
fn wait_for_stdout(k: &mut Kernel, parent: &str, text: &str) {
    let deadline = Instant::now() + Duration::from_secs(300);
    while let Some(msg) = k.next_iopub(deadline.saturating_duration_since(Instant::now())) {
        if msg.parent_id == parent
            && msg.msg_type == "stream"
            && msg.content["text"].as_str().unwrap_or("").contains(text)
        {
            return;
        }
    }
    panic!("the cell never printed {text:?}");
}

fn a_new_process_follows_a_segfault(k: &mut Kernel) {
    let (reply, _) = k.execute("unsafe { std::ptr::null_mut::<i32>().write_volatile(1) }");
    assert_eq!(status(&reply), "error");
    assert_eq!(reply.content["ename"], "ProcessCrash");
    let (reply, iopub) = k.execute("stub_answer() + 1");
    assert_eq!(status(&reply), "ok");
    let result = iopub
        .iter()
        .find(|m| m.msg_type == "execute_result")
        .expect("result");
    assert_eq!(result.content["data"]["text/plain"], "43");

    // Output printed just before `exit` still arrives (the stdout relay drains at exit).
    let (reply, iopub) = k.execute("println!(\"last words\"); std::process::exit(3)");
    assert_eq!(reply.content["ename"], "ProcessCrash");
    assert_eq!(stdout_text(&iopub), "last words\n");
}

fn shuts_down(k: &mut Kernel) {
    k.request(
        Chan::Control,
        "shutdown_request",
        json!({ "restart": false }),
    );
    let reply = k
        .reply(Chan::Control, Duration::from_secs(10))
        .expect("shutdown_reply");
    assert_eq!(reply.content["status"], "ok");
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if let Ok(Some(_)) = k.child.try_wait() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("the kernel did not exit after shutdown");
}
