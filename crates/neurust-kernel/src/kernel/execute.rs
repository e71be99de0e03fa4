//! execute_request: execute_input, live output, then an execute_result or an error, and the
//! reply (the engine publishes busy and idle around it). After an error with stop_on_error,
//! returns the requests that were queued when the reply went out (their execute requests are to
//! be aborted).

use crate::kernel::engine::{Engine, Job};
use crate::kernel::failure::{self, Failure};
use crate::kernel::log::log;
use crate::kernel::message::{Message, Parent};
use crate::kernel::outbox::Channel;
use crate::kernel::stdin::CellInput;
use evcxr::{EvalCallbacks, EvalOutputs};
use serde_json::json;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Receiver;

impl Engine {
    pub(crate) fn execute(&mut self, request: &Message, jobs: &Receiver<Job>) -> Vec<Job> {
        let parent = Parent::of(request);
        let code = request.str_field("code").unwrap_or("").to_owned();
        let silent = request.bool_field("silent", false);
        let store_history = request.bool_field("store_history", !silent) && !silent;
        let allow_stdin = request.bool_field("allow_stdin", true);
        let stop_on_error = request.bool_field("stop_on_error", true);

        if store_history {
            self.count += 1;
            if let Ok(mut history) = self.history.lock() {
                history.push(self.count, &code);
            }
        }
        if !silent {
            self.outbox.publish(
                &parent,
                "execute_input",
                json!({ "code": code, "execution_count": self.count }),
            );
        }
        if let Some(note) = self.startup_note.take() {
            self.outbox.stream(&parent, "stderr", note);
        }
        self.shared.set_parent(parent.clone());
        self.shared.take_panic();
        let before: Vec<String> = self
            .ctx
            .variables_and_types()
            .map(|(name, _)| name.to_owned())
            .filter(|name| !crate::kernel::vars::is_kernel_binding(name))
            .collect();

        self.shared.begin();
        let result = if crate::kernel::vars::is_vars_command(&code) {
            Ok(crate::kernel::vars::outputs(self.ctx.variables_and_types()))
        } else {
            self.run_cell(&code, &parent, allow_stdin)
        };
        self.shared.end();
        if let Err(evcxr::Error::SubprocessTerminated(_)) = &result {
            self.forwarder.process_ended();
        }
        self.forwarder.flush();
        let interrupted = self.shared.interrupted();
        let panic = self.shared.take_panic();
        let user_error = self.shared.take_user_error();

        let failure = match result {
            Ok(outputs) => {
                if !silent {
                    self.publish_result(&parent, outputs);
                }
                match (panic, user_error) {
                    (Some(message), _) => Some(Failure::new("panic", message)),
                    (None, message) if interrupted => Some(Failure::new(
                        "KeyboardInterrupt",
                        message.unwrap_or_else(|| {
                            "interrupted: the cell stopped early; every variable was kept".into()
                        }),
                    )),
                    // A `?` returned an error: evcxr printed it on stderr and kept no variable
                    // the cell defined.
                    (None, Some(message)) => Some(Failure::new("Error", message)),
                    (None, None) => None,
                }
            }
            Err(evcxr::Error::SubprocessTerminated(message)) => {
                // evcxr has already started a new user-code process; set it up again.
                self.init_runtime();
                Some(process_lost(&message, &before, interrupted))
            }
            Err(error) => {
                let mut failure = failure::from_error(&error, &code);
                if interrupted {
                    failure = Failure::new(
                        "KeyboardInterrupt",
                        "interrupted while compiling: the cell did not run; every variable was kept",
                    );
                }
                Some(failure)
            }
        };
        self.update_child_pid();

        let reply = match &failure {
            None => json!({
                "status": "ok", "execution_count": self.count,
                "payload": [], "user_expressions": {},
            }),
            Some(failure) => {
                self.outbox.publish(&parent, "error", failure.content());
                let mut content = failure.content();
                content["status"] = json!("error");
                content["execution_count"] = json!(self.count);
                content
            }
        };
        // Taken before the reply leaves: a cell the client sends after seeing the error runs.
        let queued = if failure.is_some() && stop_on_error {
            jobs.try_iter().collect()
        } else {
            Vec::new()
        };
        self.outbox
            .reply(Channel::Shell, &parent, "execute_reply", reply);
        queued
    }

    fn run_cell(
        &mut self,
        code: &str,
        parent: &Parent,
        allow_stdin: bool,
    ) -> Result<EvalOutputs, evcxr::Error> {
        // evcxr calls this when `evcxr_input` announces a read. The user-code process passes
        // that crate's prompt on with the read (`child/relay/reads.rs`) and skips the empty line
        // evcxr sends on the command pipe.
        let mut callbacks = EvalCallbacks {
            input_reader: &|_| String::new(),
        };
        if !allow_stdin {
            return self.ctx.execute_with_callbacks(code, &mut callbacks);
        }
        // The watcher thread owns the replies' receiver during the cell (it cannot be shared).
        let input = CellInput {
            outbox: &self.outbox,
            parent,
            shared: &self.shared,
            replies: std::mem::replace(&mut self.stdin, std::sync::mpsc::channel().1),
        };
        let done = AtomicBool::new(false);
        let ctx = &mut self.ctx;
        let (result, replies) = std::thread::scope(|scope| {
            let watcher = scope.spawn(|| input.serve(&done));
            let result = ctx.execute_with_callbacks(code, &mut callbacks);
            done.store(true, Ordering::SeqCst);
            (result, watcher.join())
        });
        if let Ok(replies) = replies {
            self.stdin = replies;
        }
        result
    }

    fn publish_result(&self, parent: &Parent, outputs: EvalOutputs) {
        if let Some(total) = outputs.timing {
            // `:timing` is on: say where the time went.
            let mut text = format!("Took {}ms\n", total.as_millis());
            for phase in &outputs.phases {
                text.push_str(&format!(
                    "  {}: {}ms\n",
                    phase.name,
                    phase.duration.as_millis()
                ));
            }
            self.outbox.stream(parent, "stderr", text);
        }
        if outputs.content_by_mime_type.is_empty() {
            return;
        }
        // JSON types (`application/json`, Vega-Lite's, …) as JSON, as front ends read them.
        let data = neurust_display::bundle::jupyter_data(outputs.content_by_mime_type);
        self.outbox.publish(
            parent,
            "execute_result",
            json!({ "execution_count": self.count, "data": data, "metadata": {} }),
        );
    }
}

fn process_lost(message: &str, lost: &[String], interrupted: bool) -> Failure {
    let lost_text = if lost.is_empty() {
        "no variables were lost".to_owned()
    } else {
        format!("variables lost: {}", lost.join(", "))
    };
    let (ename, cause) = if interrupted {
        (
            "KeyboardInterrupt",
            "the cell did not stop within 2 s of the interrupt, so the user-code process was restarted"
                .to_owned(),
        )
    } else {
        (
            "ProcessCrash",
            format!("the user-code process died ({})", last_line(message)),
        )
    };
    let evalue = format!("{cause}; {lost_text}");
    log(&evalue);
    let mut failure = Failure::new(ename, evalue);
    if !message.trim().is_empty() && !interrupted {
        failure.traceback.extend(message.lines().map(str::to_owned));
    }
    failure
}

fn last_line(message: &str) -> &str {
    message.trim().lines().last().unwrap_or("no details")
}
