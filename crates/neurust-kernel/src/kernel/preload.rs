//! What the kernel evaluates before it reports ready: the neurust facade and its prelude, the
//! runtime hooks inside the user-code process, and a rust-analyzer warm-up. Everything goes in
//! one cell (one compile); if that fails, step by step, so one broken part spares the others.

use crate::kernel::cache;
use crate::kernel::engine::Engine;
use crate::kernel::facade::Facade;
use crate::kernel::log::log;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Cells that bring the facade in. evcxr keeps them across user-code process restarts.
///
/// ndarray is also made a direct dependency of the cells: only then does rust-analyzer name
/// ndarray types in full (`Dim<[usize; 3]>` rather than `Dim<[usize; _]>`), which evcxr needs
/// to keep an array variable between cells. The version must be the facade's (semver-compatible
/// requirements resolve to one crate, so the prelude's `Array3` and this one are the same type).
/// It comes first: evcxr checks each `:dep` by resolving that crate alone in the build
/// directory, which leaves the lock holding only its graph, so the tested lock is restored
/// before each `:dep` (see [`execute_facade_cell`](Engine::execute_facade_cell)) and the last
/// one checked must be the facade, whose graph holds ndarray's.
fn facade_cells(facade: &Facade) -> [String; 3] {
    [
        ":dep ndarray = \"0.17\"".to_owned(),
        format!(":dep neurust = {}", facade.dependency()),
        "use neurust::prelude::*;".to_owned(),
    ]
}

/// Code for every fresh user-code process: a panic hook that tells the kernel a cell panicked
/// (so the reply is an error) and a function that flushes user code's stdout
/// (`child/command_loop.rs` calls it after each cell, `child/relay/reads.rs` before a read of
/// stdin), then the facade's notebook hooks (SIGINT handler, live display; process-wide, so
/// later cells need not repeat them).
fn runtime_cells(with_facade: bool) -> Vec<&'static str> {
    let mut cells = vec![PANIC_HOOK];
    if with_facade {
        cells.push(NOTEBOOK_INIT);
    }
    cells
}

/// The panic hook's line carries the per-process tag (`neurust_stream::tag`), so the relay
/// knows it from a cell printing the same text.
pub(crate) const PANIC_HOOK: &str = "{ let tag = std::env::var(\"NEURUST_OUTPUT_TAG\").unwrap_or_default();
std::panic::set_hook(Box::new(move |info| {
    let payload = info.payload();
    let text = if let Some(s) = payload.downcast_ref::<&str>() { s.to_string() }
        else if let Some(s) = payload.downcast_ref::<String>() { s.clone() }
        else { String::from(\"panic\") };
    let place = info.location().map(|l| format!(\" (at {}:{})\", l.file(), l.line()))
        .unwrap_or_default();
    println!(\"{tag}NEURUST-PANIC-V1 {:?}\", format!(\"{text}{place}\"));
}));
extern \"C\" fn flush() { let _ = std::io::Write::flush(&mut std::io::stdout()); }
unsafe { std::env::set_var(\"NEURUST_FLUSH_STDOUT\", (flush as extern \"C\" fn() as usize).to_string()); } }";

const NOTEBOOK_INIT: &str = "neurust::notebook::init();";

/// Warms rust-analyzer's type inference (the first variable-defining cell is otherwise slow) and
/// turns on evcxr's support for `?` in cells. evcxr turns that on only after a cell with `?`
/// has failed to compile without it (error E0277), so without this the user's first `?` cell
/// (in the tutorial, the first cell that loads MNIST) would be compiled twice. Once on, it
/// stays on for the session, user-code process restarts included.
const WARM_UP: &str = "let _neurust_kernel_ready: u8 = \"1\".parse::<u8>()?;";

/// rust-analyzer's first look at the facade's main types is slow (its caches start cold), and
/// would otherwise fall on the user's first cell that loads data or builds a model: inferring
/// them, and above all naming them for evcxr (`ArrayBase<OwnedRepr<u8>, Dim<[usize; 3]>>`),
/// which walks every crate's exports once. This cell shows it the tutorial's calls and binds
/// their results, without running them (the branches never run); the last binding, a `u8`, is
/// the only one kept (every top-level `let` here is that one name: evcxr keeps each top-level
/// variable, and `:vars` lists it); [`WARM_UP`] follows it to leave that name a `u8`. Evaluated
/// on its own after the facade has loaded, so an API it does not know costs a logged error, not
/// the one-cell preload.
const FACADE_WARM_UP: &str =
    "let _neurust_kernel_ready = if \"\".len() == 1 { Some(mnist::load_data()?) } else { None };
let _neurust_kernel_ready = if \"\".len() == 1 {
    let ((x, y), _) = mnist::load_data()?;
    let x = x.to_f32() / 255.0;
    let mut m = Sequential::with_seed(1);
    m.add(Flatten::new().input_shape([28, 28]));
    m.add(Dense::new(1).activation(\"relu\"));
    m.compile(\"adam\", \"sparse_categorical_crossentropy\", &[\"accuracy\"])?;
    let h = m.fit(&x, &y).epochs(1).validation_split(0.2).run()?;
    let e = m.evaluate(&x, &y)?;
    let p = m.predict(&x.slice(s![0..1, .., ..]))?;
    let shown = (digit_grid(&x, &y, 1, 1)?, plot_history(&h)?);
    Some((argmax(p.row(0)), x, m, h, e, p, shown))
} else {
    None
};";

impl Engine {
    pub(crate) fn preload(&mut self, facade: Option<&Facade>) {
        let t = Instant::now();
        self.cargo_offline(true);
        let offline = self.load_offline(facade);
        self.cargo_offline(false);
        match offline {
            Ok(_) => self.facade_loaded = facade.is_some(),
            Err(e) => {
                log(&format!(
                    "one-cell preload (offline) failed, going step by step with network access: {e}"
                ));
                self.preload_stepwise(facade);
            }
        }
        if self.facade_loaded
            && let Err(e) = self.ctx.execute(&format!("{FACADE_WARM_UP}\n{WARM_UP}"))
        {
            log(&format!("facade warm-up failed: {e}"));
        }
        self.settle();
        log(&format!("preload: {:.2} s", t.elapsed().as_secs_f64()));
    }

    /// evcxr's offline mode (`cargo --offline`). The first try at the preload runs offline: when
    /// the dependencies are downloaded already (always, once the cache is built), cargo then
    /// does not ask the registry about them, so starting a kernel makes no network request.
    /// Only the step-by-step retry may fetch them. A user's own `:dep` runs online afterwards.
    fn cargo_offline(&mut self, offline: bool) {
        let command = if offline { ":offline 1" } else { ":offline 0" };
        if let Err(e) = self.ctx.execute(command) {
            log(&format!("`{command}` failed: {e}"));
        }
    }

    /// The preload in (almost) one cell: ndarray's `:dep` alone (it must be checked before the
    /// facade's, see [`facade_cells`]), then the facade, the runtime hooks and the warm-up.
    fn load_offline(&mut self, facade: Option<&Facade>) -> Result<(), evcxr::Error> {
        let mut cells: Vec<String> = Vec::new();
        if let Some(facade) = facade {
            let [ndarray, rest @ ..] = facade_cells(facade);
            self.execute_facade_cell(&ndarray)?;
            start_lock_from_tested();
            cells.extend(rest);
        }
        cells.extend(
            runtime_cells(facade.is_some())
                .into_iter()
                .map(str::to_owned),
        );
        cells.push(WARM_UP.to_owned());
        self.ctx.execute(&cells.join("\n")).map(drop)
    }

    /// Runs one of [`facade_cells`], restoring the tested lock first when it adds a dependency.
    fn execute_facade_cell(&mut self, cell: &str) -> Result<(), evcxr::Error> {
        if cell.starts_with(":dep") {
            start_lock_from_tested();
        }
        self.ctx.execute(cell).map(drop)
    }

    fn preload_stepwise(&mut self, facade: Option<&Facade>) {
        if let Some(facade) = facade {
            let cells = facade_cells(facade);
            let mut loaded = cells.iter().try_for_each(|c| self.execute_facade_cell(c));
            if let Err(e) = &loaded {
                // Damaged build outputs that cargo takes as up to date fail this way: make it
                // rebuild the neurust crates, once.
                let slot = std::env::var_os("EVCXR_TMPDIR").map(PathBuf::from);
                let removed = slot.as_deref().map_or(0, cache::forget_neurust);
                log(&format!(
                    "loading the facade failed ({e}); rebuilding the neurust crates ({removed} cached outputs removed)"
                ));
                if removed > 0 {
                    loaded = cells.iter().try_for_each(|c| self.execute_facade_cell(c));
                }
            }
            match loaded {
                Ok(()) => self.facade_loaded = true,
                Err(e) => self.note(format!(
                    "neurust-kernel: could not load the neurust facade ({facade}):\n{e}\n"
                )),
            }
        }
        self.init_runtime();
        if let Err(e) = self.ctx.execute(WARM_UP) {
            log(&format!("warm-up failed: {e}"));
        }
    }

    /// Installs the runtime hooks in the (possibly new) user-code process.
    pub(crate) fn init_runtime(&mut self) {
        let mut cells: Vec<String> = runtime_cells(self.facade_loaded)
            .into_iter()
            .map(str::to_owned)
            .collect();
        cells.extend(self.workdir_cell());
        if self.ctx.execute(&cells.join("\n")).is_err() {
            for code in &cells {
                if let Err(e) = self.ctx.execute(code) {
                    self.note(format!(
                        "neurust-kernel: start-up cell `{code}` failed: {e}\n"
                    ));
                }
            }
        }
        self.settle();
    }

    /// Makes `dir` the working directory of the kernel and of user code, from now on and in
    /// every later user-code process: a standby engine started elsewhere was claimed by a
    /// kernel launched in `dir` (Jupyter starts a kernel in its notebook's directory).
    pub(crate) fn adopt(&mut self, dir: PathBuf) {
        if std::env::current_dir().is_ok_and(|current| current == dir) {
            return;
        }
        if let Err(e) = std::env::set_current_dir(&dir) {
            log(&format!("cannot enter {}: {e}", dir.display()));
            return;
        }
        self.workdir = Some(dir);
        if let Some(cell) = self.workdir_cell()
            && let Err(e) = self.ctx.execute(&cell)
        {
            log(&format!(
                "user code could not enter the kernel's directory: {e}"
            ));
        }
        self.settle();
    }

    /// A cell that enters the adopted working directory (none when the engine never moved, or
    /// for a path Rust source cannot spell).
    fn workdir_cell(&self) -> Option<String> {
        let dir = self.workdir.as_ref()?.to_str()?;
        Some(format!("{{ let _ = std::env::set_current_dir({dir:?}); }}"))
    }

    /// Drops output and panic notices produced by start-up code.
    fn settle(&mut self) {
        self.forwarder.flush();
        self.shared.take_panic();
        self.update_child_pid();
    }

    /// Logs a start-up problem and keeps it to show with the first cell's output.
    fn note(&mut self, text: String) {
        log(&text);
        self.startup_note.get_or_insert(text);
    }
}

/// Starts the cell crate's lock from the tested one (see `cache::lock`).
fn start_lock_from_tested() {
    let Some(slot) = std::env::var_os("EVCXR_TMPDIR") else {
        return;
    };
    if let Err(e) = cache::lock::start_from_tested(Path::new(&slot)) {
        log(&format!(
            "could not start the build cache's Cargo.lock from the tested one: {e}"
        ));
    }
}
