#!/usr/bin/env python3
"""Writes notebooks/mnist-tutorial.ipynb (English) and mnist-tutorial.pt.ipynb (Portuguese)
from one list of steps, so both always hold the same code.

The notebooks are committed with outputs: after editing a step here, run this script (it
keeps nothing of the old outputs) and then `scripts/lab --headless` to execute and save them.
"""
import json
import pathlib

HERE = pathlib.Path(__file__).resolve().parent

# Each step: (markdown in English, markdown in Portuguese, code or None). Every code cell
# starts with the Keras line it mirrors, as a comment.
STEPS = [
    (
        """# MNIST with neurust: the Keras tutorial, in Rust

This notebook follows the classic Keras MNIST tutorial step by step: load the handwritten
digits, look at them, build a small neural network, train it, check how well it does and use it
on a digit it has never seen. Every code cell starts with a comment holding the Keras line it
mirrors, so you can compare the two.

Run the cells from top to bottom with **Shift+Enter**. The kernel (*Rust (neurust)*) compiles
each cell and keeps its variables for the next ones, like Python does.""",
        """# MNIST com neurust: o tutorial do Keras, em Rust

Este notebook segue, passo a passo, o tutorial clássico do Keras com o MNIST: carregar os dígitos
manuscritos, olhar para eles, montar uma pequena rede neural, treiná-la, medir o seu desempenho e
usá-la num dígito que ela nunca viu. Cada célula de código começa com um comentário que mostra a
linha do Keras equivalente, para você comparar as duas.

Execute as células de cima para baixo com **Shift+Enter**. O kernel (*Rust (neurust)*) compila
cada célula e guarda as variáveis para as seguintes, como o Python faz.""",
        None,
    ),
    (
        """## 1. Imports

The kernel has already run this line when it started, so neurust is ready. We repeat it here so
the notebook shows where every name comes from. Randomness (the starting weights, the
shuffling, the dropout) is fixed below by giving seeds to the model and to `fit`, so every run
of this notebook gives the same numbers on the same machine.""",
        """## 1. Importações

O kernel já executou esta linha ao iniciar, então o neurust já está pronto. Repetimos aqui para
que o notebook mostre de onde vem cada nome. O acaso (os pesos iniciais, o embaralhamento, o
dropout) é fixado mais abaixo com sementes dadas ao modelo e ao `fit`, então cada execução deste
notebook dá os mesmos números na mesma máquina.""",
        """// Keras: import tensorflow as tf
use neurust::prelude::*;""",
    ),
    (
        """## 2. Load MNIST

MNIST holds 70,000 grey-scale images of handwritten digits, 28×28 pixels each, with the digit
each one shows (its *label*). It comes already split: 60,000 images to learn from and 10,000 to
test on. `load_data` finds the files (in `NEURUST_DATA_DIR` or the download cache) and returns
two pairs of arrays, just like Keras.""",
        """## 2. Carregar o MNIST

O MNIST tem 70.000 imagens em tons de cinza de dígitos escritos à mão, de 28×28 pixels, cada uma
com o dígito que representa (o seu *rótulo*). Ele já vem dividido: 60.000 imagens para aprender
e 10.000 para testar. `load_data` encontra os arquivos (em `NEURUST_DATA_DIR` ou no cache de
downloads) e devolve dois pares de arrays, tal como o Keras.""",
        """// Keras: (x_train, y_train), (x_test, y_test) = tf.keras.datasets.mnist.load_data()
let ((x_train, y_train), (x_test, y_test)) = mnist::load_data()?;""",
    ),
    (
        """## 3. The shapes of the data

`x_train` is a 3-D array: 60,000 images of 28 rows by 28 columns, one byte (0 to 255) per
pixel. `y_train` holds one label per image.""",
        """## 3. O formato dos dados

`x_train` é um array 3-D: 60.000 imagens de 28 linhas por 28 colunas, um byte (de 0 a 255) por
pixel. `y_train` tem um rótulo por imagem.""",
        """// Keras: print(x_train.shape, y_train.shape); print(x_test.shape, y_test.shape)
println!("{:?} {:?}", x_train.shape(), y_train.shape());
println!("{:?} {:?}", x_test.shape(), y_test.shape());""",
    ),
    (
        """## 4. A look at the digits

The first ten training images in a grid of 2 rows by 5 columns, each titled with its label.
A cell that ends with a figure (no semicolon) shows it below the cell.""",
        """## 4. Uma olhada nos dígitos

As dez primeiras imagens de treino numa grade de 2 linhas por 5 colunas, cada uma com o seu
rótulo como título. Uma célula que termina com uma figura (sem ponto e vírgula) mostra-a logo
abaixo.""",
        """// Keras: for i in range(10): plt.subplot(2, 5, i + 1); plt.imshow(x_train[i]); plt.title(y_train[i])
digit_grid(&x_train, &y_train, 2, 5)?""",
    ),
    (
        """## 5. Scale the pixels to 0–1

Networks learn better from small numbers, so we turn the bytes into `f32` and divide by 255.
The new `x_train` and `x_test` replace the old ones (Rust calls this *shadowing*).""",
        """## 5. Pixels entre 0 e 1

Redes neurais aprendem melhor com números pequenos, então convertemos os bytes para `f32` e
dividimos por 255. Os novos `x_train` e `x_test` substituem os antigos (em Rust isso se chama
*shadowing*).""",
        """// Keras: x_train, x_test = x_train / 255.0, x_test / 255.0
let (x_train, x_test) = (x_train.to_f32() / 255.0, x_test.to_f32() / 255.0);""",
    ),
    (
        """## 6. Build the model

A `Sequential` model is a stack of layers applied in order:
- `Flatten` lays each 28×28 image out as a row of 784 numbers;
- `Dense(256)` with ReLU: 256 neurons, each looking at all 784 pixels;
- `Dropout(0.2)` switches off a random 20% of those neurons at each training step, so the
  network cannot lean on any single one (it does nothing at prediction time);
- `Dense(10)` with softmax: one output per digit, turned into probabilities that add up to 1.""",
        """## 6. Montar o modelo

Um modelo `Sequential` é uma pilha de camadas aplicadas em ordem:
- `Flatten` estica cada imagem 28×28 numa linha de 784 números;
- `Dense(256)` com ReLU: 256 neurônios, cada um olhando para os 784 pixels;
- `Dropout(0.2)` desliga 20% desses neurônios, ao acaso, a cada passo do treino, para que a rede
  não dependa de nenhum deles em particular (na previsão ele não faz nada);
- `Dense(10)` com softmax: uma saída por dígito, transformada em probabilidades que somam 1.""",
        """// Keras: tf.keras.utils.set_random_seed(42); modelo = tf.keras.models.Sequential()
//        modelo.add(tf.keras.layers.Flatten(input_shape=(28, 28)))
//        modelo.add(tf.keras.layers.Dense(256, activation="relu"))
//        modelo.add(tf.keras.layers.Dropout(0.2))
//        modelo.add(tf.keras.layers.Dense(10, activation="softmax"))
let mut modelo = Sequential::with_seed(42);
modelo.add(Flatten::new().input_shape([28, 28]));
modelo.add(Dense::new(256).activation("relu"));
modelo.add(Dropout::new(0.2));
modelo.add(Dense::new(10).activation("softmax"));""",
    ),
    (
        """## 7. Compile

Compiling chooses how the model learns: the Adam optimizer adjusts the weights, the
sparse categorical cross-entropy measures how wrong the probabilities are for integer labels,
and accuracy (the share of digits guessed right) is reported as we go.""",
        """## 7. Compilar

Compilar escolhe como o modelo aprende: o otimizador Adam ajusta os pesos, a entropia cruzada
categórica esparsa mede o quanto as probabilidades erram para rótulos inteiros, e a acurácia (a
fração de dígitos acertados) é mostrada durante o treino.""",
        """// Keras: modelo.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
modelo.compile("adam", "sparse_categorical_crossentropy", &["accuracy"])?;""",
    ),
    (
        """## 8. Summary

Each layer with its output shape and its number of weights. The first `Dense` layer has
784 × 256 weights plus 256 biases = 200,960; the second 256 × 10 + 10 = 2,570; in all 203,530.""",
        """## 8. Resumo

Cada camada com o formato da sua saída e o número de pesos. A primeira camada `Dense` tem
784 × 256 pesos mais 256 vieses = 200.960; a segunda 256 × 10 + 10 = 2.570; no total 203.530.""",
        """// Keras: modelo.summary()
modelo.summary()""",
    ),
    (
        """## 9. Train

Five passes (*epochs*) over the training images, in batches of 32. `validation_split(0.2)` keeps
the last 20% of them aside to check, after each epoch, how the model does on images it did not
train on. The progress shows live below the cell; the interrupt button (■) stops training at
the end of the current batch and keeps the model as it is.""",
        """## 9. Treinar

Cinco passagens (*épocas*) pelas imagens de treino, em lotes de 32. `validation_split(0.2)`
separa os últimos 20% delas para verificar, ao fim de cada época, como o modelo se sai em imagens
com as quais não treinou. O progresso aparece ao vivo abaixo da célula; o botão de interromper
(■) para o treino no fim do lote atual e mantém o modelo como está.""",
        """// Keras: historico = modelo.fit(x_train, y_train, epochs=5, validation_split=0.2)
let historico = modelo.fit(&x_train, &y_train).epochs(5).validation_split(0.2).seed(42).run()?;""",
    ),
    (
        """## 10. The history

`fit` returns a `History`: for each metric, one value per epoch. `val_` marks the values
measured on the validation images.""",
        """## 10. O histórico

`fit` devolve um `History`: para cada métrica, um valor por época. `val_` marca os valores
medidos nas imagens de validação.""",
        """// Keras: print(historico.history.keys()); historico.history["accuracy"]
println!("{:?}", historico.keys().collect::<Vec<_>>());
historico.history["accuracy"].clone()""",
    ),
    (
        """## 11. Accuracy and loss curves

Training and validation curves side by side. When the validation curve stops improving while
the training one keeps going, the model starts to memorise rather than learn (*overfitting*).""",
        """## 11. Curvas de acurácia e de perda

As curvas de treino e de validação lado a lado. Quando a curva de validação para de melhorar
enquanto a de treino continua, o modelo começa a decorar em vez de aprender (*overfitting*).""",
        """// Keras: plt.plot(historico.history["accuracy"]); plt.plot(historico.history["val_accuracy"]); ... (and the same for "loss")
plot_history(&historico)?""",
    ),
    (
        """## 12. Evaluate on the test set

The 10,000 test images were never used in training: they tell how the model will do on new
digits.""",
        """## 12. Avaliar no conjunto de teste

As 10.000 imagens de teste nunca foram usadas no treino: elas dizem como o modelo vai se sair
com dígitos novos.""",
        """// Keras: perda, acuracia = modelo.evaluate(x_test, y_test)
let resultado = modelo.evaluate(&x_test, &y_test)?;
println!("test loss: {:.4}, test accuracy: {:.4}", resultado["loss"], resultado["accuracy"]);""",
    ),
    (
        """## 13. Predict one digit

`predict` gives, for each image, ten probabilities; the most likely digit is the index of the
largest (`argmax`). Test image 3000 is a 6.""",
        """## 13. Prever um dígito

`predict` dá, para cada imagem, dez probabilidades; o dígito mais provável é o índice da maior
(`argmax`). A imagem de teste 3000 é um 6.""",
        """// Keras: p = modelo.predict(x_test[3000:3001]); np.argmax(p[0]); plt.imshow(x_test[3000])
let p = modelo.predict(&x_test.slice(s![3000..3001, .., ..]))?;
let previsto = argmax(p.row(0));
println!("predicted digit: {previsto} (probability {:.3}), true label: {}", p[[0, previsto]], y_test[3000]);
digit_grid(&x_test.slice(s![3000..3001, .., ..]), &[previsto], 1, 1)?""",
    ),
    (
        """## Beyond the Keras tutorial

### 14. Confusion matrix

Which digits does the model mix up? Row = the true digit, column = the predicted one; the
diagonal counts the right answers. `confusion_matrix` takes the predicted probabilities directly
(it applies `argmax` itself).""",
        """## Além do tutorial do Keras

### 14. Matriz de confusão

Quais dígitos o modelo confunde? Linha = o dígito verdadeiro, coluna = o previsto; a diagonal
conta os acertos. `confusion_matrix` aceita as probabilidades previstas diretamente (ela mesma
aplica o `argmax`).""",
        """// scikit-learn: ConfusionMatrixDisplay.from_predictions(y_test, np.argmax(modelo.predict(x_test), axis=1))
let previsoes = modelo.predict(&x_test)?;
confusion_matrix(&y_test, &previsoes)?""",
    ),
    (
        """### 15. The digits it gets wrong

The first ten test images the model misclassifies, titled *true → predicted*. Some are hard
even for a person.""",
        """### 15. Os dígitos que ele erra

As dez primeiras imagens de teste que o modelo classifica errado, com o título
*verdadeiro → previsto*. Algumas são difíceis até para uma pessoa.""",
        """// Keras + matplotlib: erros = np.where(np.argmax(previsoes, axis=1) != y_test)[0][:10]; plt.imshow(x_test[i]) for each
misclassified_grid(&x_test, &y_test, &previsoes, 10)?""",
    ),
    (
        """### 16. Train a little more

Calling `fit` again continues from the weights the model has now; it does not start over.
Two more epochs, then the test accuracy again.""",
        """### 16. Treinar mais um pouco

Chamar `fit` de novo continua a partir dos pesos que o modelo tem agora; ele não recomeça do
zero. Mais duas épocas e, de novo, a acurácia no teste.""",
        """// Keras: modelo.fit(x_train, y_train, epochs=2, validation_split=0.2); modelo.evaluate(x_test, y_test)
let mais = modelo.fit(&x_train, &y_train).epochs(2).validation_split(0.2).seed(43).run()?;
let depois = modelo.evaluate(&x_test, &y_test)?;
println!("test accuracy: {:.4} after 5 epochs, {:.4} after 7", resultado["accuracy"], depois["accuracy"]);""",
    ),
    (
        """### 17. Save and load the model

`save` writes the layers, the weights and the compile settings to one `.safetensors` file;
`load_model` reads them back into a new model, which gives the same answers.""",
        """### 17. Salvar e carregar o modelo

`save` grava as camadas, os pesos e as opções de compilação num arquivo `.safetensors`;
`load_model` lê tudo de volta num novo modelo, que dá as mesmas respostas.""",
        """// Keras: modelo.save("mnist.keras"); carregado = tf.keras.models.load_model("mnist.keras")
modelo.save("mnist.safetensors")?;
let mut carregado = load_model("mnist.safetensors")?;
let de_novo = carregado.evaluate(&x_test, &y_test)?;
println!("loaded model: test accuracy {:.4} (saved model: {:.4})", de_novo["accuracy"], depois["accuracy"]);""",
    ),
    (
        """### 18. Explore the data as with numpy and matplotlib

A cell that ends with an array shows it as numpy does: its first and last entries, its shape
and its element type.""",
        """### 18. Explorar os dados como no numpy e no matplotlib

Uma célula que termina com um array mostra-o como o numpy: as primeiras e as últimas entradas,
o formato e o tipo dos elementos.""",
        """// numpy: y_train
y_train""",
    ),
    (
        """### 19. One digit

`imshow`, `plot`, `scatter`, `hist` and `bar` each draw a whole figure in one call, as
matplotlib's `plt.imshow` and friends do; the figure can still be given a title.""",
        """### 19. Um dígito

`imshow`, `plot`, `scatter`, `hist` e `bar` desenham uma figura inteira numa chamada, como o
`plt.imshow` e companhia do matplotlib; ainda dá para pôr um título na figura.""",
        """// matplotlib: plt.imshow(x_train[0]); plt.title(y_train[0])
let mut primeiro = imshow(&x_train.slice(s![0, .., ..]))?;
primeiro.ax(0)?.title(format!("label {}", y_train[0]));
primeiro""",
    ),
    (
        """### 20. How many of each digit

A histogram of the training labels: the ten digits are about equally common.""",
        """### 20. Quantos de cada dígito

Um histograma dos rótulos de treino: os dez dígitos aparecem mais ou menos na mesma
quantidade.""",
        """// matplotlib: plt.hist(y_train, bins=10)
hist(&y_train, 10)?""",
    ),
    (
        """## Where next

Try more neurons, another `Dropout` rate or more epochs and watch the curves change; swap
`mnist` for `fashion_mnist` to classify clothes instead of digits.""",
        """## E agora?

Experimente mais neurônios, outra taxa de `Dropout` ou mais épocas e veja as curvas mudarem;
troque `mnist` por `fashion_mnist` para classificar roupas em vez de dígitos.""",
        None,
    ),
]

# Index in STEPS of the first step that goes beyond the Keras tutorial (the confusion matrix).
FIRST_BEYOND = next(i for i, (en, _, _) in enumerate(STEPS) if "Beyond the Keras" in en)

METADATA = {
    "kernelspec": {"name": "neurust", "display_name": "Rust (neurust)", "language": "rust"},
    "language_info": {
        "name": "rust",
        "mimetype": "text/rust",
        "file_extension": ".rs",
        "codemirror_mode": "rust",
        "pygments_lexer": "rust",
    },
}


def lines(text):
    parts = text.split("\n")
    return [p + "\n" for p in parts[:-1]] + [parts[-1]]


def notebook(lang):
    cells = []
    for n, (en, pt, code) in enumerate(STEPS):
        cells.append({
            "cell_type": "markdown",
            "id": f"step-{n:02d}-text",
            "metadata": {},
            "source": lines(en if lang == "en" else pt),
        })
        if code is not None:
            # Steps after the Keras tutorial's own are tagged, so timings can report both parts.
            tags = {"tags": ["beyond-keras"]} if n >= FIRST_BEYOND else {}
            cells.append({
                "cell_type": "code",
                "execution_count": None,
                "id": f"step-{n:02d}-code",
                "metadata": tags,
                "outputs": [],
                "source": lines(code),
            })
    return {"cells": cells, "metadata": METADATA, "nbformat": 4, "nbformat_minor": 5}


def main():
    for lang, name in [("en", "mnist-tutorial.ipynb"), ("pt", "mnist-tutorial.pt.ipynb")]:
        path = HERE / name
        path.write_text(json.dumps(notebook(lang), indent=1, ensure_ascii=False) + "\n")
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
