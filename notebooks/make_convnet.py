"""Writes notebooks/mnist-convnet.ipynb: keras.io's "Simple MNIST convnet" cell by cell, then
a look inside the trained network. Committed with outputs: after editing a step, run this script
and then `scripts/lab --headless` to execute and save it."""
import json
import pathlib

from make_notebooks import METADATA, lines

HERE = pathlib.Path(__file__).resolve().parent

TITLE = """# MNIST convnet with neurust: keras.io's example, in Rust

This notebook follows keras.io's [Simple MNIST convnet](https://keras.io/examples/vision/mnist_convnet/)
cell by cell: a small convolutional network that reaches about 99% test accuracy. Every code
cell starts with the Keras line it mirrors, as a comment. After the example, it looks inside
the trained network: its learned filters, the feature maps of one digit, and its mistakes."""

# Each step: (markdown, code). Steps from FIRST_BEYOND on go beyond the keras.io example.
STEPS = [
    (
        """## 1. Setup

The kernel has already run this line when it started; it is here to mirror Keras's imports.""",
        """// Keras: import numpy as np; import keras; from keras import layers
use neurust::prelude::*;""",
    ),
    (
        """## 2. Prepare the data

Ten classes; each image is 28 by 28 pixels with one channel (grey).""",
        """// Keras: num_classes = 10; input_shape = (28, 28, 1)
// Keras: (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
let num_classes: usize = 10;
let ((x_train, y_train), (x_test, y_test)) = mnist::load_data()?;""",
    ),
    (
        """Scale the pixels to 0–1 and add the channel axis: a convolution sees images as
(height, width, channels), so each image becomes 28 × 28 × 1 (Keras's `np.expand_dims(x, -1)`).""",
        """// Keras: x_train = x_train.astype("float32") / 255; x_test = x_test.astype("float32") / 255
// Keras: x_train = np.expand_dims(x_train, -1); x_test = np.expand_dims(x_test, -1)
let x_train = (x_train.to_f32() / 255.0).insert_axis(Axis(3));
let x_test = (x_test.to_f32() / 255.0).insert_axis(Axis(3));
println!("x_train shape: {:?}", x_train.shape());
println!("{} train samples", x_train.shape()[0]);
println!("{} test samples", x_test.shape()[0]);""",
    ),
    (
        """One-hot targets: label 3 becomes `[0, 0, 0, 1, 0, 0, 0, 0, 0, 0]`, which
`categorical_crossentropy` expects.""",
        """// Keras: y_train = keras.utils.to_categorical(y_train, num_classes)
// Keras: y_test = keras.utils.to_categorical(y_test, num_classes)
let y_train = to_categorical(&y_train, num_classes)?;
let y_test = to_categorical(&y_test, num_classes)?;""",
    ),
    (
        """## 3. Build the model

Two convolution and max-pooling blocks learn local patterns (strokes, then parts of digits);
`Flatten` and `Dropout` lead to the ten-way softmax. The summary matches Keras's:
34,826 parameters.""",
        """// Keras: model = keras.Sequential([keras.Input(shape=input_shape),
//            layers.Conv2D(32, kernel_size=(3, 3), activation="relu"), layers.MaxPooling2D(pool_size=(2, 2)),
//            layers.Conv2D(64, kernel_size=(3, 3), activation="relu"), layers.MaxPooling2D(pool_size=(2, 2)),
//            layers.Flatten(), layers.Dropout(0.5), layers.Dense(num_classes, activation="softmax")])
// Keras: model.summary()
let mut model = Sequential::new();
model.add(Input::new([28, 28, 1]));
model.add(Conv2D::new(32, [3, 3]).activation("relu"));
model.add(MaxPooling2D::new([2, 2]));
model.add(Conv2D::new(64, [3, 3]).activation("relu"));
model.add(MaxPooling2D::new([2, 2]));
model.add(Flatten::new());
model.add(Dropout::new(0.5));
model.add(Dense::new(num_classes).activation("softmax"));
model.summary()""",
    ),
    (
        """## 4. Train the model

Batch size 128, 15 epochs, 10% of the training images held out for validation. The progress bar
and the curves update live while it trains.""",
        """// Keras: batch_size = 128; epochs = 15
// Keras: model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
// Keras: model.fit(x_train, y_train, batch_size=batch_size, epochs=epochs, validation_split=0.1)
let (batch_size, epochs) = (128, 15);
model.compile("adam", "categorical_crossentropy", &["accuracy"])?;
let history = model.fit(&x_train, &y_train).batch_size(batch_size).epochs(epochs).validation_split(0.1).run()?;""",
    ),
    (
        """## 5. Evaluate the trained model

keras.io reports a test accuracy of about 0.99 after these 15 epochs.""",
        """// Keras: score = model.evaluate(x_test, y_test, verbose=0)
// Keras: print("Test loss:", score[0]); print("Test accuracy:", score[1])
let score = model.evaluate(&x_test, &y_test)?;
println!("Test loss: {:.4}", score["loss"]);
println!("Test accuracy: {:.4}", score["accuracy"]);""",
    ),
    (
        """## Beyond the keras.io example

### 6. Training curves""",
        """// Keras + matplotlib: plt.plot(history.history["accuracy"]); plt.plot(history.history["val_accuracy"])
plot_history(&history)?""",
    ),
    (
        """### 7. What the first convolution learned

Its 32 kernels, 3 × 3 weights each (Keras's layout: height, width, input channel, filter).""",
        """// Keras: kernel = model.layers[0].get_weights()[0]  # (3, 3, 1, 32); plt.imshow(kernel[:, :, 0, k]) for each k
let kernel = model.get_weights()[0].clone().into_dimensionality::<Ix4>()?;
let mut filters = Figure::new().size(8.0, 4.2).subplots(4, 8);
for k in 0..32 {
    let ax = filters.ax(k)?;
    ax.imshow(&kernel.slice(s![.., .., 0, k]))?;
    ax.title(format!("{k}")).axis_off();
}
filters""",
    ),
    (
        """### 8. Feature maps of one test digit

`layer_outputs` gives every layer's output for some images, as a Keras model built with
`outputs=[layer.output for layer in model.layers]` does. Here the first convolution's 32 maps of
the first test digit (a 7): each kernel responds to a different stroke direction.""",
        """// Keras: outputs = keras.Model(model.inputs, [l.output for l in model.layers]).predict(x_test[:1])
// matplotlib: plt.imshow(outputs[0][0, :, :, k]) for each of the first convolution's 32 maps
let maps = model.layer_outputs(&x_test.slice(s![0..1, .., .., ..]))?;
let first = maps[1].clone().into_dimensionality::<Ix4>()?;
let mut shown = Figure::new().size(8.0, 4.2).subplots(4, 8);
for k in 0..32 {
    let ax = shown.ax(k)?;
    ax.imshow(&first.slice(s![0, .., .., k]))?;
    ax.axis_off();
}
shown""",
    ),
    (
        """The second convolution's 64 maps, 11 × 11 each: coarser, and each combines the first layer's
patterns.""",
        """// matplotlib: the same for the second convolution's 64 maps (outputs[2] in Keras, which has no Input layer in model.layers)
let second = maps[3].clone().into_dimensionality::<Ix4>()?;
let mut shown = Figure::new().size(8.0, 8.4).subplots(8, 8);
for k in 0..64 {
    let ax = shown.ax(k)?;
    ax.imshow(&second.slice(s![0, .., .., k]))?;
    ax.axis_off();
}
shown""",
    ),
    (
        """### 9. Confusion matrix

Row = the true digit, column = the predicted one.""",
        """// scikit-learn: ConfusionMatrixDisplay.from_predictions(y_test.argmax(1), model.predict(x_test).argmax(1))
let predictions = model.predict(&x_test)?;
confusion_matrix(&y_test, &predictions)?""",
    ),
    (
        """### 10. The digits it gets wrong

The first ten test images the model misclassifies, titled *true → predicted*.""",
        """// matplotlib: the first ten test digits the model gets wrong, titled true -> predicted
misclassified_grid(&x_test.index_axis(Axis(3), 0), &y_test, &predictions, 10)?""",
    ),
]
FIRST_BEYOND = 8  # the first step after the example, "Beyond the keras.io example"


def notebook():
    cells = [{"cell_type": "markdown", "id": "title", "metadata": {}, "source": lines(TITLE)}]
    for n, (text, code) in enumerate(STEPS, 1):
        cells.append({"cell_type": "markdown", "id": f"step-{n:02d}-text", "metadata": {},
                      "source": lines(text)})
        tags = {"tags": ["beyond-keras"]} if n >= FIRST_BEYOND else {}
        cells.append({"cell_type": "code", "execution_count": None, "id": f"step-{n:02d}-code",
                      "metadata": tags, "outputs": [], "source": lines(code)})
    return {"cells": cells, "metadata": METADATA, "nbformat": 4, "nbformat_minor": 5}


def main():
    path = HERE / "mnist-convnet.ipynb"
    path.write_text(json.dumps(notebook(), indent=1, ensure_ascii=False) + "\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
