#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets into fuzz/seeds/<target>/ (small valid inputs).

Each target's input starts with a flags byte; see the comment at the top of its file under
fuzz_targets/. Run again after changing an input format: `python3 fuzz/make_seeds.py`.
"""

import gzip
import hashlib
import hmac
import io
import json
import pathlib
import struct
import zipfile

HERE = pathlib.Path(__file__).resolve().parent
FIXTURE = HERE.parent / "crates/neurust-datasets/tests/fixtures/mnist-small"
SEP = b"\xff"


def write(target, name, data):
    path = HERE / "seeds" / target / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def compact(value):
    return json.dumps(value, separators=(",", ":")).encode()


# fuzz_wire: flags, then frames separated by 0xFF.
def wire_frames(msg_type, content, key, identities=(b"client",), buffers=()):
    header = compact({"msg_id": "m1", "session": "s1", "username": "u", "date": "",
                      "msg_type": msg_type, "version": "5.3"})
    parts = [header, compact({}), compact({}), compact(content)]
    signature = b""
    if key:
        mac = hmac.new(key, digestmod=hashlib.sha256)
        for part in parts:
            mac.update(part)
        signature = mac.hexdigest().encode()
    return SEP.join([*identities, b"<IDS|MSG>", signature, *parts, *buffers])


write("fuzz_wire", "kernel_info_signed", b"\x00" + wire_frames("kernel_info_request", {}, b"fuzz-key"))
execute = {"code": "let x = 1 + 1;\nx", "silent": False, "store_history": True,
           "user_expressions": {}, "allow_stdin": False, "stop_on_error": True}
write("fuzz_wire", "execute_resigned",
      b"\x01" + wire_frames("execute_request", execute, b"wrong", (b"a", b"b"), (b"\x00\x01",)))
write("fuzz_wire", "complete_unsigned",
      b"\x02" + wire_frames("complete_request", {"code": "vec.pu", "cursor_pos": 6}, b""))
connection = {"shell_port": 1, "iopub_port": 2, "stdin_port": 3, "control_port": 4, "hb_port": 5,
              "ip": "127.0.0.1", "key": "k", "transport": "tcp",
              "signature_scheme": "hmac-sha256", "kernel_name": "neurust"}
write("fuzz_wire", "connection_file", b"\x04" + json.dumps(connection).encode())
write("fuzz_wire", "connection_numeric_key",
      b"\x04" + json.dumps(dict(connection, key=123456789)).encode())

# fuzz_display: stdout lines.
marker = b"NEURUST-DISPLAY-V1 "
display = {"action": "display", "data": {"text/plain": "hi", "text/html": "<b>hi</b>",
                                         "image/png": "iVBORw0KGgo="},
           "metadata": {"image/png": {"width": 28}}, "display_id": "bar"}
write("fuzz_display", "display", marker + compact(display) + b"\n")
update = {"action": "update", "data": {"text/plain": "50%"}, "metadata": {}, "display_id": "bar"}
write("fuzz_display", "update_crlf", marker + compact(update) + b"\r\n")
write("fuzz_display", "clear_embedded",
      b"epoch 1/5 " + marker + compact({"action": "clear", "wait": True}) + b"\nplain text\n")
write("fuzz_display", "malformed", marker + b'{"action":"explode"}\n' + marker + b"{oops\n")

# fuzz_stream: flags (bit 0 in a cell; bits 1-7 piece size - 1), longest held line - 8, then
# the bytes a cell writes: every control line of evcxr and the kernel, glued after unfinished
# text, a long line, invalid UTF-8 and a character cut at a piece's end.
MARKERS = [b"EVCXR_EXECUTION_COMPLETE", b"EVCXR_ERROR_OCCURRED", b"EVCXR_PANIC_NOTIFICATION",
           b"EVCXR_BEGIN_CONTENT text/html", b"<b>x</b>", b"EVCXR_END_CONTENT",
           b"EVCXR_INPUT_REQUEST:Name: ", b"EVCXR_INPUT_REQUEST_PASSWORD:Key: ",
           b"EVCXR_VARIABLE_CHANGED_TYPE:x", b'NEURUST-PANIC-V1 "boom"', b"NEURUST-USER-ERROR-V1",
           b"NEURUST-STDIN-READ-V1 text:Name: ", b"NEURUST-DISPLAY-V1 " + compact(
               {"action": "clear", "wait": False}), b"NEURUST-STDERR-END-V1",
           b"NEURUST-ESC-V1 \\u\\m", b"NEURUST-ESC-V1+x", b"NEURUST-STDOUT-V1 x",
           b"NEURUST-CELL-START-V1", b"NEURUST-TAG-00000000000000000000000000000000 x"]
every = b"".join(m + b"\n" for m in MARKERS)
write("fuzz_stream", "markers_in_cell", b"\x01\xff" + every)
write("fuzz_stream", "markers_between_cells", b"\x00\xff" + every)
write("fuzz_stream", "markers_after_text_in_pieces",
      b"\x07\x10" + b"".join(b"x " + m + b"\r\n" for m in MARKERS))
write("fuzz_stream", "trailing_block", b"\x01\xff" + b"out\nEVCXR_BEGIN_CONTENT text/plain\n[1]\n"
      b"EVCXR_END_CONTENT\nEVCXR_ERROR_OCCURRED")
write("fuzz_stream", "invalid_utf8", b"\x03\x00" + "é€😀".encode() * 8 + b"\xff\xe2\x82\n\xed\xa0")

# fuzz_idx: flags (1 images, 2 gzip by the harness), then the file; from the committed fixture.
labels = gzip.decompress((FIXTURE / "train-labels-idx1-ubyte.gz").read_bytes())
images = gzip.decompress((FIXTURE / "train-images-idx3-ubyte.gz").read_bytes())
two_labels = labels[:4] + struct.pack(">I", 2) + labels[8:10]
two_images = images[:4] + struct.pack(">I", 2) + images[8:16] + images[16:16 + 2 * 784]
write("fuzz_idx", "labels_raw", b"\x00" + two_labels)
write("fuzz_idx", "labels_gz_by_harness", b"\x02" + two_labels)
write("fuzz_idx", "labels_gz_file", b"\x00" + gzip.compress(two_labels, mtime=0))
write("fuzz_idx", "images_raw", b"\x01" + two_images)
write("fuzz_idx", "images_gz_by_harness", b"\x03" + two_images)
write("fuzz_idx", "images_gz_file", b"\x01" + gzip.compress(two_images, mtime=0))


# fuzz_npz: flags (1 the archive itself, else four .npy parts joined by 0xFF; 2 deflate).
def npy(shape, data):
    header = f"{{'descr': '|u1', 'fortran_order': False, 'shape': {tuple(shape)!r}, }}"
    header += " " * (-(10 + len(header) + 1) % 64) + "\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode() + data


x = bytes(min(b, 254) for b in images[16:16 + 2 * 784])
arrays = {"x_train": npy((2, 28, 28), x), "y_train": npy((2,), labels[8:10]),
          "x_test": npy((1, 28, 28), x[:784]), "y_test": npy((1,), labels[8:9])}
for name, method in [("stored", zipfile.ZIP_STORED), ("deflated", zipfile.ZIP_DEFLATED)]:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for key, value in arrays.items():
            info = zipfile.ZipInfo(key + ".npy", date_time=(1980, 1, 1, 0, 0, 0))
            archive.writestr(info, value, compress_type=method)
    write("fuzz_npz", f"archive_{name}", b"\x01" + buffer.getvalue())
write("fuzz_npz", "parts_stored", b"\x00" + SEP.join(arrays.values()))
# Refused since session 5: a .npy header with a key twice, and an archive whose entries share
# their compressed data (x_test and y_test pointing at the train entries).
twice = arrays["x_train"].replace(b"'fortran_order': False,",
                                  b"'fortran_order': False, 'fortran_order': True,")
write("fuzz_npz", "parts_duplicate_key", b"\x00" + SEP.join([twice, *list(arrays.values())[1:]]))


def overlapping(archive):
    """Points the central-directory entries of the test arrays at the train arrays' data."""
    data = bytearray(archive)
    eocd = data.rfind(b"PK\x05\x06")
    (entries,) = struct.unpack_from("<H", data, eocd + 10)
    (start,) = struct.unpack_from("<I", data, eocd + 16)
    offsets, at = {}, start
    for _ in range(entries):
        name_len, extra_len, comment_len = struct.unpack_from("<HHH", data, at + 28)
        name = bytes(data[at + 46:at + 46 + name_len]).decode()
        offsets[name] = at
        at += 46 + name_len + extra_len + comment_len
    for test, train in [("x_test.npy", "x_train.npy"), ("y_test.npy", "y_train.npy")]:
        data[offsets[test] + 42:offsets[test] + 46] = data[offsets[train] + 42:offsets[train] + 46]
    return bytes(data)


buffer = io.BytesIO()
with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
    for key, value in arrays.items():
        archive.writestr(zipfile.ZipInfo(key + ".npy", date_time=(1980, 1, 1, 0, 0, 0)), value)
write("fuzz_npz", "archive_overlapping", b"\x01" + overlapping(buffer.getvalue()))
write("fuzz_npz", "parts_deflated", b"\x02" + SEP.join(arrays.values()))


# fuzz_model_file: flags (1 the file itself, else the metadata for the harness's 4-3-2 weights).
def dense(name, units, activation, input_shape=None):
    return {"class_name": "Dense", "config": {
        "name": name, "units": units, "activation": activation, "use_bias": True,
        "kernel_initializer": "glorot_uniform", "bias_initializer": "zeros",
        "input_shape": input_shape}}


model = {"format_version": 1, "name": "sequential", "input_shape": [2, 2], "layers": [
    {"class_name": "Flatten", "config": {"name": "flatten", "input_shape": [2, 2]}},
    dense("dense", 3, "relu"),
    {"class_name": "Dropout", "config": {"name": "dropout", "rate": 0.2}},
    dense("dense_1", 2, "linear"),
    {"class_name": "Activation", "config": {"name": "activation", "activation": "softmax"}}],
    "compile": {"optimizer": {"name": "adam", "learning_rate": 0.001},
                "loss": "sparse_categorical_crossentropy", "metrics": ["accuracy"]}}
write("fuzz_model_file", "metadata_for_harness", b"\x00" + compact(model))


def safetensors(tensors, metadata):
    header, data = {"__metadata__": {"neurust": metadata}}, b""
    for name, shape in tensors:
        count = 1
        for d in shape:
            count *= d
        if name.endswith("moving_variance"):
            floats = [1 + i / 8 for i in range(count)]  # a variance is positive
        else:
            floats = [(i % 7 - 3) / 8 for i in range(count)]
        values = struct.pack(f"<{count}f", *floats)
        header[name] = {"dtype": "F32", "shape": shape, "data_offsets": [len(data), len(data) + len(values)]}
        data += values
    text = compact(header)
    text += b" " * (-len(text) % 8)
    return struct.pack("<Q", len(text)) + text + data


weights = [("dense/kernel", [4, 3]), ("dense/bias", [3]), ("dense_1/kernel", [3, 2]), ("dense_1/bias", [2])]
write("fuzz_model_file", "model", b"\x01" + safetensors(weights, json.dumps(model)))
uncompiled = dict(model, compile=None, input_shape=[4], layers=[dense("dense", 2, "sigmoid", [4])])
small = [("dense/kernel", [4, 2]), ("dense/bias", [2])]
write("fuzz_model_file", "uncompiled", b"\x01" + safetensors(small, json.dumps(uncompiled)))
# Near the loader's size checks: a shape declared only by the first layer, an input dimension of
# 0 (weightless whatever the units), and two layers sharing one name (and so one tensor).
first_layer_shape = dict(uncompiled, input_shape=None)
write("fuzz_model_file", "shape_from_first_layer",
      b"\x01" + safetensors(small, json.dumps(first_layer_shape)))
no_bias = {"class_name": "Dense", "config": {"name": "d", "units": 3, "use_bias": False}}
zero_dim = dict(uncompiled, input_shape=[0], layers=[no_bias])
write("fuzz_model_file", "zero_dim_input", b"\x01" + safetensors([("d/kernel", [0, 3])], json.dumps(zero_dim)))
shared_name = dict(uncompiled, input_shape=[3], layers=[no_bias, no_bias])
write("fuzz_model_file", "shared_name", b"\x01" + safetensors([("d/kernel", [3, 3])], json.dumps(shared_name)))
# Every name the loader resolves and every optimizer setting, spread over a few metadata seeds
# (the harness's 4-3-2 weights), so that fuzzing starts from each branch rather than finding
# the words one by one.
OPTIMIZERS = [{"name": "adam", "learning_rate": 0.01, "beta_1": 0.8, "beta_2": 0.99, "epsilon": 1e-6},
              {"name": "adamw", "weight_decay": 0.01}, {"name": "adamw"},
              {"name": "sgd"}, {"name": "sgd", "momentum": 0.9, "nesterov": True},
              {"name": "rmsprop"}, {"name": "rmsprop", "rho": 0.8, "momentum": 0.5, "centered": True}]
INITIALIZERS = ["glorot_uniform", "glorot_normal", "he_normal", "he_uniform", "lecun_normal",
                "lecun_uniform", "xavier_normal", "xavier_uniform", "random_normal",
                "random_uniform", "normal", "uniform", "zeros", "zero", "ones", "one"]
ACTIVATIONS = ["relu", "softmax", "sigmoid", "tanh", "linear", "gelu", "leaky_relu", "none"]
LOSSES = ["sparse_categorical_crossentropy", "categorical_crossentropy", "binary_crossentropy",
          "mse", "mae", "mean_squared_error", "mean_absolute_error"]
METRICS = ["accuracy", "acc", "binary_accuracy", "categorical_accuracy",
           "sparse_categorical_accuracy", "mse", "mae"]
for i in range(len(INITIALIZERS) // 2):
    pick = lambda names, k: names[(2 * i + k) % len(names)]
    layers = [dict(dense("dense", 3, pick(ACTIVATIONS, 0), [4])),
              dict(dense("dense_1", 2, pick(ACTIVATIONS, 1)))]
    for k, layer in enumerate(layers):
        layer["config"]["kernel_initializer"] = INITIALIZERS[(4 * i + 2 * k) % len(INITIALIZERS)]
        layer["config"]["bias_initializer"] = INITIALIZERS[(4 * i + 2 * k + 1) % len(INITIALIZERS)]
    variant = {"format_version": 1, "name": f"variant_{i}", "input_shape": [4], "layers": layers,
               "compile": {"optimizer": OPTIMIZERS[i % len(OPTIMIZERS)],
                           "loss": LOSSES[i % len(LOSSES)], "metrics": METRICS[i % 2:]}}
    write("fuzz_model_file", f"variant_{i}", b"\x00" + compact(variant))
# One optimizer setting out of its range per seed (the check stops at the first): 150 M runs
# over three sessions reached the range errors of SGD and RMSprop's rho and momentum, but not
# these.
OUT_OF_RANGE = [{"name": "adam", "beta_1": 1.0}, {"name": "adam", "beta_2": -0.5},
                {"name": "adam", "epsilon": 0.0}, {"name": "rmsprop", "epsilon": -1.0},
                {"name": "adamw", "weight_decay": -0.1}]
for i, optimizer in enumerate(OUT_OF_RANGE):
    layers = [dense("dense", 3, "relu", [4]), dense("dense_1", 2, "softmax")]
    bad = {"format_version": 1, "name": f"out_of_range_{i}", "input_shape": [4], "layers": layers,
           "compile": {"optimizer": optimizer, "loss": "mse", "metrics": []}}
    write("fuzz_model_file", f"out_of_range_{i}", b"\x00" + compact(bad))
# The convolutional layers (issue #17): a whole convnet file with every new layer kind and its
# weights in Keras's layouts (a conv kernel is (kh, kw, in, out)), and metadata seeds whose
# geometry sits at the loader's checks: a kernel larger than its input, zero strides, "same"
# padding with strides larger than the window, an input without a channel axis, and absurd
# filter counts (refused by the size check before anything is built).
def conv(name, filters, kernel, **extra):
    return {"class_name": "Conv2D", "config": dict(
        {"name": name, "filters": filters, "kernel_size": kernel, "strides": [1, 1],
         "padding": "valid", "activation": "relu", "use_bias": True,
         "kernel_initializer": "glorot_uniform", "bias_initializer": "zeros"}, **extra)}


def pool(kind, name, size, **extra):
    return {"class_name": kind, "config": dict(
        {"name": name, "pool_size": size, "strides": size, "padding": "valid"}, **extra)}


convnet = {"format_version": 1, "name": "convnet", "input_shape": [6, 6, 1], "layers": [
    {"class_name": "InputLayer", "config": {"name": "input_layer", "input_shape": [6, 6, 1]}},
    conv("conv2d", 2, [3, 3], padding="same", strides=[1, 1]),
    pool("MaxPooling2D", "max_pooling2d", [2, 2]),
    conv("conv2d_1", 3, [2, 2], use_bias=False, activation="tanh"),
    pool("AveragePooling2D", "average_pooling2d", [2, 2], strides=[1, 1], padding="same"),
    {"class_name": "GlobalAveragePooling2D", "config": {"name": "global_average_pooling2d"}},
    dense("dense", 2, "softmax")],
    "compile": {"optimizer": {"name": "adam"}, "loss": "categorical_crossentropy",
                "metrics": ["accuracy"]}}
conv_weights = [("conv2d/kernel", [3, 3, 1, 2]), ("conv2d/bias", [2]),
                ("conv2d_1/kernel", [2, 2, 2, 3]), ("dense/kernel", [3, 2]), ("dense/bias", [2])]
write("fuzz_model_file", "convnet", b"\x01" + safetensors(conv_weights, json.dumps(convnet)))
CONV_EDGES = {
    "conv_kernel_too_big": [conv("c", 2, [9, 9])],
    "conv_zero_stride": [conv("c", 2, [3, 3], strides=[0, 1])],
    "conv_same_wide_stride": [conv("c", 2, [1, 1], padding="same", strides=[3, 3])],
    "conv_huge_filters": [conv("c", 4294967296, [3, 3])],
    "pool_too_big": [pool("MaxPooling2D", "p", [7, 7])],
    "pool_zero_size": [pool("AveragePooling2D", "p", [0, 2])],
}
for seed, layers in CONV_EDGES.items():
    edge = {"format_version": 1, "name": seed, "input_shape": [6, 6, 1],
            "layers": layers + [{"class_name": "Flatten", "config": {"name": "f"}}], "compile": None}
    write("fuzz_model_file", seed, b"\x00" + compact(edge))
no_channels = dict(convnet, input_shape=[6, 6], layers=convnet["layers"][1:])
write("fuzz_model_file", "conv_no_channel_axis", b"\x00" + compact(no_channels))

# BatchNormalization (issue #17): a whole file with the layer after a convolution (channels of
# (h, w, c)) and after a Dense layer without scale, its four weights in Keras's names (gamma,
# beta, moving_mean, moving_variance; beta or gamma absent without center or scale), and
# metadata seeds at its argument checks: the batch axis, an axis beyond the input's rank, a
# zero epsilon, a momentum of 1, an axis that is not an integer, and an absurd channel count
# (refused by the size check before anything is built).
def batch_norm(name, **extra):
    return {"class_name": "BatchNormalization", "config": dict(
        {"name": name, "axis": -1, "momentum": 0.99, "epsilon": 0.001, "center": True,
         "scale": True, "beta_initializer": "zeros", "gamma_initializer": "ones",
         "moving_mean_initializer": "zeros", "moving_variance_initializer": "ones"}, **extra)}


bn_model = {"format_version": 1, "name": "batchnorm", "input_shape": [6, 6, 1], "layers": [
    {"class_name": "InputLayer", "config": {"name": "input_layer", "input_shape": [6, 6, 1]}},
    conv("conv2d", 2, [3, 3], use_bias=False, activation="linear"),
    batch_norm("batch_normalization"),
    pool("MaxPooling2D", "max_pooling2d", [2, 2]),
    {"class_name": "Flatten", "config": {"name": "flatten"}},
    dense("dense", 3, "relu"),
    batch_norm("batch_normalization_1", scale=False, momentum=0.9),
    dense("dense_1", 2, "softmax")],
    "compile": {"optimizer": {"name": "adam"}, "loss": "categorical_crossentropy",
                "metrics": ["accuracy"]}}
bn = [f"batch_normalization/{w}" for w in ["gamma", "beta", "moving_mean", "moving_variance"]]
bn_1 = [f"batch_normalization_1/{w}" for w in ["beta", "moving_mean", "moving_variance"]]
bn_weights = ([("conv2d/kernel", [3, 3, 1, 2])] + [(n, [2]) for n in bn]
              + [("dense/kernel", [8, 3]), ("dense/bias", [3])] + [(n, [3]) for n in bn_1]
              + [("dense_1/kernel", [3, 2]), ("dense_1/bias", [2])])
write("fuzz_model_file", "batchnorm", b"\x01" + safetensors(bn_weights, json.dumps(bn_model)))
BN_EDGES = {
    "bn_axis_batch": ([4], batch_norm("b", axis=0)),
    "bn_axis_out_of_range": ([4], batch_norm("b", axis=2)),
    "bn_zero_epsilon": ([4], batch_norm("b", epsilon=0.0)),
    "bn_momentum_one": ([4], batch_norm("b", momentum=1.0)),
    "bn_axis_not_integer": ([4], batch_norm("b", axis="channels_last")),
    "bn_huge_channels": ([4294967296], batch_norm("b")),
}
for seed, (shape, layer) in BN_EDGES.items():
    edge = {"format_version": 1, "name": seed, "input_shape": shape,
            "layers": [layer, dense("dense", 3, "relu"), dense("dense_1", 2, "softmax")],
            "compile": None}
    write("fuzz_model_file", seed, b"\x00" + compact(edge))
