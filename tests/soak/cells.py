"""The soak test's cells: a reproducible mix of what a notebook session does over a long day.

Names come from small pools (a notebook redefines the same names again and again), so the
session's state stays bounded and any steady growth is the kernel's, not the notebook's.
"""
import random

POOL = 8  # distinct names per kind of definition

# (kind, weight, expected reply status, template); templates see {i} (cell number) and {k}.
KINDS = [
    ("let", 14, "ok", "let soak_v{k} = vec![{i}u64; 16]; soak_v{k}.iter().sum::<u64>()"),
    ("fn", 8, "ok", "fn soak_f{k}(x: u64) -> u64 {{ x * {k} + 1 }}\nsoak_f{k}({i})"),
    ("struct", 8, "ok",
     "#[derive(Debug, Clone)]\nstruct SoakPoint{k} {{ x: i64, y: i64 }}\n"
     "let soak_p{k} = SoakPoint{k} {{ x: {i}, y: -{k} }};\nsoak_p{k}.x + soak_p{k}.y"),
    ("use-state", 10, "ok",
     "soak_v{k}.len() + soak_keep.len() + soak_model.count_params()"),
    ("display-table", 8, "ok",
     'display(&Table::new(["cell", "square"]).row([{i}, {i} * {i}]).caption("soak"));'),
    ("display-digits", 6, "ok",
     "let soak_images = Array3::<u8>::from_shape_fn((4, 28, 28), |(n, r, c)| "
     "((n * 31 + r * 7 + c * {k}) % 256) as u8);\n"
     "display(&digit_grid(&soak_images, &[{k}u8, 1, 2, 3], 1, 4)?);"),
    ("fit", 8, "ok",
     "let soak_x = Array2::from_shape_fn((24, 4), |(i, j)| ((i * 7 + j + {k}) % 5) as f32 / 5.0);\n"
     "let soak_y = Array1::from_shape_fn(24, |i| (i % 3) as u8);\n"
     "let mut soak_net = Sequential::with_seed({i});\n"
     "soak_net.add(Flatten::new().input_shape([4]));\n"
     'soak_net.add(Dense::new(8).activation("relu"));\n'
     'soak_net.add(Dense::new(3).activation("softmax"));\n'
     'soak_net.compile("adam", "sparse_categorical_crossentropy", &["accuracy"])?;\n'
     "let soak_h = soak_net.fit(&soak_x, &soak_y).epochs(2).batch_size(8)"
     ".verbose({verbose}).run()?;\nsoak_h.history[\"loss\"].len()"),
    ("compile-error", 10, "error", 'let soak_bad: i32 = "not a number {i}";'),
    ("runtime-error", 10, "error",
     'let soak_n: i32 = "{i}x".parse()?;\nsoak_n'),
    ("runtime-error-nn", 4, "error",
     'Sequential::new().compile("no-such-optimizer-{k}", "mse", &["accuracy"])?;'),
    ("panic", 10, "error", 'if {i} >= 0 {{ panic!("soak panic in cell {i}"); }}'),
    ("index-panic", 4, "error", "let soak_empty: Vec<u8> = Vec::new();\nsoak_empty[{i}]"),
]

SETUP = [
    "let soak_keep = vec![1, 2, 3];",
    "let mut soak_model = Sequential::with_seed(1);\n"
    "soak_model.add(Flatten::new().input_shape([2, 2]));\n"
    'soak_model.add(Dense::new(4).activation("relu"));\n'
    'soak_model.compile("adam", "mse", &["accuracy"])?;',
] + [f"let soak_v{k} = vec![0u64; 16];" for k in range(POOL)]


def schedule(cells, seed=20261128):
    """[(kind, expected status, code)] for `cells` cells, the same for a given seed."""
    rng = random.Random(seed)
    kinds = [k for k in KINDS]
    weights = [k[1] for k in KINDS]
    out = []
    for i in range(cells):
        kind, _, status, template = rng.choices(kinds, weights)[0]
        k = rng.randrange(POOL)
        code = template.format(i=i, k=k, verbose=i % 2)
        out.append((kind, status, code))
    return out
