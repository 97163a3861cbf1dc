"""Data sets and the variational classifier, as `qsim train` and
`qsim predict` run them (minibatch training runs in C)."""

import ctypes
import os

import numpy as np

from ._arrays import labels as _labels, reals, rows
from ._ffi import C, ptr
from ._handle import Handle, new_handle
from .optimize import Log, Result, _chain, make_optimizer


class Dataset(Handle):
    """Rows of real features with an integer class label each, read from
    CSV (a header line, feature columns, the label last)."""

    _destroy = C.qh_dataset_destroy

    def __init__(self, path):
        super().__init__(new_handle(C.qh_dataset_read_csv, os.fsencode(path)))
        self.path = os.fspath(path)

    @property
    def num_rows(self):
        return C.qh_dataset_num_rows(self._handle)

    def __len__(self):
        return self.num_rows

    @property
    def num_features(self):
        return C.qh_dataset_num_features(self._handle)

    @property
    def num_classes(self):
        return C.qh_dataset_num_classes(self._handle)

    @property
    def X(self):
        """The features (rows x features), a copy."""
        n, f = self.num_rows, self.num_features
        return np.ctypeslib.as_array(C.qh_dataset_features(self._handle), (n, f)).copy()

    @property
    def y(self):
        """The labels, a copy."""
        return np.ctypeslib.as_array(C.qh_dataset_labels(self._handle), (self.num_rows,)).copy()

    def __repr__(self):
        if self._h is None:
            return "Dataset(closed)"
        return "Dataset(%s: %d rows, %d features, %d classes)" % (
            self.path, self.num_rows, self.num_features, self.num_classes)


def read_csv(path):
    """(X, y) of a CSV file in the data sets' format."""
    with Dataset(path) as d:
        return d.X, d.y


def _xy(data, what):
    """(X, y) of a path, a Dataset or an (X, y) pair."""
    if isinstance(data, Dataset):
        return data.X, data.y
    if isinstance(data, (str, os.PathLike)):
        return read_csv(data)
    X, y = data
    X = rows(X, what)
    return X, _labels(y, len(X), what + " labels")


class Classifier(Handle):
    """A data re-uploading variational classifier: standardised features as
    trainable rotation angles w x + b in every layer, trainable ry/rz layers
    and a ring of cz, class scores s_c <Z_c> + t_c, softmax cross-entropy.
    num_qubits 0 means max(classes, min(features, 8)).

    With noise (a NoiseModel, a model file or dict) every row runs as the
    density matrix of the noisy circuit (errors after its ry, rz and cz),
    gradients by parameter shift on rho; with shots each <Z_c> is estimated
    from that many samples (seeded by shot_seed)."""

    _destroy = C.qh_classifier_destroy

    def __init__(self, num_features, num_classes, num_qubits=0, layers=3, threads=0,
                 noise=None, shots=0, shot_seed=1, _handle=None):
        super().__init__(_handle if _handle is not None else new_handle(
            C.qh_classifier_create, int(num_features), int(num_classes), int(num_qubits),
            int(layers)))
        if threads:
            self.set_threads(threads)
        if noise is not None:
            self.set_noise(noise)
        if shots:
            self.set_shots(shots, shot_seed)

    def set_noise(self, noise):
        """Simulates under noise from now on (None: noiseless again); the
        model is not saved with the classifier."""
        from .noise import as_noise_model
        nm = as_noise_model(noise)
        C.qh_classifier_set_noise(self._handle, None if nm is None else nm._handle)
        return self

    @property
    def noisy(self):
        return bool(C.qh_classifier_is_noisy(self._handle))

    def set_shots(self, shots, seed=1):
        """Estimates <Z_c> from shots samples (0: exact), seeded."""
        C.qh_classifier_set_shots(self._handle, int(shots), int(seed))
        return self

    @classmethod
    def load(cls, path, noise=None, shots=0, shot_seed=1):
        """Reads a model written by save() or by `qsim train --model`."""
        return cls(0, 0, noise=noise, shots=shots, shot_seed=shot_seed,
                   _handle=new_handle(C.qh_classifier_load, os.fsencode(path)))

    def save(self, path):
        """Writes the model (sizes, scaling, parameters; exact text)."""
        C.qh_classifier_save(self._handle, os.fsencode(path))
        return path

    @property
    def num_params(self):
        return C.qh_classifier_num_params(self._handle)

    @property
    def num_qubits(self):
        return C.qh_classifier_num_qubits(self._handle)

    @property
    def num_features(self):
        return C.qh_classifier_num_features(self._handle)

    @property
    def num_classes(self):
        return C.qh_classifier_num_classes(self._handle)

    def __repr__(self):
        if self._h is None:
            return "Classifier(closed)"
        return "Classifier(%d features, %d classes, %d qubits, %d parameters)" % (
            self.num_features, self.num_classes, self.num_qubits, self.num_params)

    def set_threads(self, threads):
        C.qh_classifier_set_threads(self._handle, int(threads))
        return self

    def _X(self, X):
        X = rows(X)
        if X.shape[1] != self.num_features:
            raise ValueError("X has %d features, the model %d" % (X.shape[1], self.num_features))
        return X

    def fit_scaling(self, X):
        """Standardisation from the training rows."""
        X = self._X(X)
        C.qh_classifier_fit_scaling(self._handle, len(X), ptr(X))
        return self

    def init_params(self, seed=1):
        """Seeded initial parameters (w = 1, small random rotations, s = 1)."""
        out = np.empty(self.num_params)
        C.qh_classifier_init_params(self._handle, int(seed), ptr(out))
        return out

    @property
    def params(self):
        """The parameters predictions use (a copy; assign to set them)."""
        out = np.empty(self.num_params)
        C.qh_classifier_get_params(self._handle, ptr(out))
        return out

    @params.setter
    def params(self, values):
        v = reals(values, (self.num_params,), "params")
        C.qh_classifier_set_params(self._handle, ptr(v))

    def loss(self, X, y, params=None, gradient=False):
        """The mean cross-entropy over the rows (at params, default the
        current ones); with gradient=True, (loss, gradient) by adjoint
        differentiation (parameter shift under noise or shots)."""
        X = self._X(X)
        yy = _labels(y, len(X), "y")
        p = self.params if params is None else reals(params, (self.num_params,), "params")
        val = ctypes.c_double()
        g = np.empty(self.num_params) if gradient else None
        C.qh_classifier_loss(self._handle, ptr(p), len(X), ptr(X), ptr(yy), ctypes.byref(val),
                             ptr(g))
        return (val.value, g) if gradient else val.value

    def predict_proba(self, X):
        """Class probabilities (rows x classes)."""
        return self._predict(X)[1]

    def predict(self, X):
        """Predicted classes."""
        return self._predict(X)[0]

    def _predict(self, X):
        X = self._X(X)
        lab = np.empty(len(X), dtype=np.int32)
        probs = np.empty((len(X), self.num_classes))
        C.qh_classifier_predict(self._handle, len(X), ptr(X), ptr(lab), ptr(probs))
        return lab, probs

    def accuracy(self, X, y):
        """Fraction of rows predicted right."""
        X = self._X(X)
        yy = _labels(y, len(X), "y")
        out = ctypes.c_double()
        C.qh_classifier_accuracy(self._handle, len(X), ptr(X), ptr(yy), ctypes.byref(out))
        return out.value

    score = accuracy


class Minibatch(Handle):
    """Minibatches of rows for training: an optimizer minimizing it gets the
    loss and gradient of the next minibatch at each evaluation (the rows are
    reshuffled every epoch from seed and the epoch number).  Keeps the
    classifier alive."""

    _destroy = C.qh_minibatch_destroy

    def __init__(self, classifier, X, y, batch_size=16, seed=1):
        X = classifier._X(X)
        yy = _labels(y, len(X), "y")
        super().__init__(new_handle(C.qh_minibatch_create, classifier._handle, len(X), ptr(X),
                                    ptr(yy), int(batch_size), int(seed)))
        self.classifier = classifier

    @property
    def num_params(self):
        return self.classifier.num_params

    @property
    def step(self):
        """Evaluations so far (for checkpoints)."""
        return C.qh_minibatch_step(self._handle)

    @step.setter
    def step(self, value):
        C.qh_minibatch_set_step(self._handle, int(value))

    def __call__(self, x):
        """(loss, gradient) of the next minibatch at x."""
        x = reals(x, (self.classifier.num_params,), "x")
        f = ctypes.c_double()
        g = np.empty(x.size)
        C.qh_minibatch_fdf(self._handle, ptr(x), ctypes.byref(f), ptr(g))
        return f.value, g


def train_classifier(train, test=None, layers=3, qubits=0, epochs=50, batch=16,
                     optimizer="adam", options=None, maxiter=None, gtol=0.0, ftol=0.0, seed=1,
                     threads=0, model=None, callback=None, log=None, noise=None, shots=0):
    """Trains a classifier, as `qsim train`: scaling from the training rows,
    seeded initial parameters, minibatches of ``batch`` rows, ``epochs``
    passes (maxiter = epochs x batches unless given), Adam with
    learning_rate 0.05 unless options set it; the loop runs in C.

    train, test: CSV paths, Datasets or (X, y) pairs.  model: a path to save
    the trained model to.  callback(Iteration) after each step (return True
    to stop; an exception stops the run and propagates); log: a path for
    the JSON-lines log of --log.  noise (a NoiseModel, a model file or
    dict) and shots (seeded by seed) as `qsim train --noise/--shots`.

    Returns a Result with classifier (the trained Classifier), train_loss,
    train_accuracy, test_accuracy (nan without test rows), iterations,
    parameters, features, classes, qubits, num_parameters, stop_reason.
    """
    X, y = _xy(train, "train")
    Xt, yt = _xy(test, "test") if test is not None else (None, None)
    F = X.shape[1]
    K = int(y.max()) + 1
    if Xt is not None:
        if Xt.shape[1] != F:
            raise ValueError("the test rows have %d features, the training rows %d"
                             % (Xt.shape[1], F))
        K = max(K, int(yt.max()) + 1)
    m = Classifier(F, K, qubits, layers, threads)
    lg = Log(log, "train")
    try:
        if noise is not None:
            m.set_noise(noise)
        if shots:
            m.set_shots(shots, seed)
    except BaseException:
        m.close()
        lg.close()
        raise
    try:
        m.fit_scaling(X)
        x0 = m.init_params(seed)
        per_epoch = (len(X) + batch - 1) // batch
        opts = dict(options or {})
        with Minibatch(m, X, y, batch, seed) as mb, \
                make_optimizer(optimizer, m.num_params,
                               maxiter if maxiter is not None else epochs * per_epoch,
                               gtol, ftol, opts, seed) as opt:
            if "learning_rate" not in opts:
                try:
                    opt.set_option("learning_rate", 0.05)
                except ValueError:
                    pass      # a type without a learning rate
            opt.start(mb, x0)
            reason = opt.run(_chain(lg if lg.f else None, callback))
            x = opt.x
            iterations = opt.iterations
            name = opt.name
        m.params = x
        res = Result(classifier=m, train_loss=m.loss(X, y), train_accuracy=m.accuracy(X, y),
                     test_accuracy=m.accuracy(Xt, yt) if Xt is not None else float("nan"),
                     iterations=iterations, parameters=x, features=F, classes=K,
                     qubits=m.num_qubits, layers=layers, num_parameters=m.num_params,
                     optimizer=name, stop_reason=reason, seed=seed)
        if model is not None:
            tmp = "%s.tmp%d" % (os.fspath(model), os.getpid())
            m.save(tmp)
            os.replace(tmp, model)
        return res
    except BaseException:
        m.close()
        raise
    finally:
        lg.close()


def predict(model, data):
    """Classifies rows with a trained model, as `qsim predict`: model a
    Classifier or a path written by `qsim train --model` (or save());
    data a CSV path, Dataset or (X, y) pair.  Returns a Result with
    predictions, probabilities (rows x classes), accuracy and rows."""
    m = model if isinstance(model, Classifier) else Classifier.load(model)
    try:
        X, y = _xy(data, "data")
        lab, probs = m._predict(X)
        return Result(predictions=lab, probabilities=probs,
                      accuracy=float(np.mean(lab == y)), rows=len(X))
    finally:
        if m is not model:
            m.close()
