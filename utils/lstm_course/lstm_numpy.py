"""The LSTM layer in NumPy: forward pass (step and sequence) and backpropagation through time.

Notation (batch-first, as Keras): ``x`` has shape (batch B, time T, features F), the layer has
``U`` units. With Keras' weight layout and gate order **i, f, c, o**::

    z_t = x_t @ kernel + h_{t-1} @ recurrent_kernel + bias      # (B, 4U)
    i_t = sigmoid(z_t[:, 0:U])        input gate
    f_t = sigmoid(z_t[:, U:2U])       forget gate
    g_t = tanh(z_t[:, 2U:3U])         candidate ("c" in Keras' names)
    o_t = sigmoid(z_t[:, 3U:4U])      output gate
    c_t = f_t * c_{t-1} + i_t * g_t   cell state: the additive path
    h_t = o_t * tanh(c_t)             hidden state = output

``kernel`` is (F, 4U), ``recurrent_kernel`` (U, 4U), ``bias`` (4U,). A ``mask`` of shape
(B, T) marks real steps; at a masked step the states are carried over unchanged and the
output repeats the previous ``h``, which is what ``keras.layers.LSTM`` does.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

GATES = ("i", "f", "g", "o")


def keras_recurrent_weights(layer) -> list[np.ndarray]:
    """``[kernel, recurrent_kernel, bias]`` of a built Keras recurrent layer with a bias."""
    weights = layer.get_weights()
    if len(weights) != 3:
        raise ValueError(
            f"expected kernel, recurrent_kernel and bias, got {len(weights)} arrays; "
            "is the layer built, and does it use a bias?"
        )
    return weights


def sequence_input(x, kernel: np.ndarray, units: int, states: dict) -> tuple:
    """Validate a recurrent layer's input and initial states; shared by the LSTM and GRU.

    Args:
        x: (B, T, F) inputs; ``kernel`` (F, k * units) tells the expected F.
        states: name -> initial state (B, U) or None for zeros, e.g. ``{"h0": h0}``.

    Returns:
        ``x`` as an array, its dtype promoted with the kernel's, and the states in order.
    """
    x = np.asarray(x)
    if x.ndim != 3:
        raise ValueError(f"x must be (batch, time, features), got shape {x.shape}")
    b, _, f_dim = x.shape
    if f_dim != kernel.shape[0]:
        raise ValueError(f"x has {f_dim} features, the kernel expects {kernel.shape[0]}")
    dtype = np.result_type(x.dtype, kernel.dtype)
    ready = []
    for name, state in states.items():
        state = np.zeros((b, units), dtype) if state is None else np.asarray(state, dtype)
        if state.shape != (b, units):
            raise ValueError(f"{name} must be ({b}, {units}), got {state.shape}")
        ready.append(state)
    return x, dtype, *ready


class LSTMWeights(NamedTuple):
    """Weights of one LSTM layer in Keras' layout (gate order i, f, c, o along the 4U axis)."""

    kernel: np.ndarray  # (F, 4U)
    recurrent_kernel: np.ndarray  # (U, 4U)
    bias: np.ndarray  # (4U,)

    @classmethod
    def from_keras(cls, layer) -> LSTMWeights:
        """Copy the weights of a built ``keras.layers.LSTM`` (with ``use_bias=True``)."""
        return cls(*keras_recurrent_weights(layer))

    @property
    def units(self) -> int:
        return self.recurrent_kernel.shape[0]

    def check(self) -> None:
        """Raise ``ValueError`` unless the three shapes fit one another."""
        k, r, b = (np.shape(w) for w in self)
        if len(k) != 2 or len(r) != 2 or len(b) != 1:
            raise ValueError(f"weights must be 2-D, 2-D, 1-D; got shapes {k}, {r}, {b}")
        u = r[0]
        if r != (u, 4 * u) or k[1] != 4 * u or b != (4 * u,):
            raise ValueError(
                f"inconsistent shapes: kernel {k}, recurrent_kernel {r}, bias {b}; expected "
                f"(F, {4 * u}), ({u}, {4 * u}), ({4 * u},) for {u} units"
            )


def lstm_param_count(units: int, features: int) -> int:
    """Trainable parameters of an LSTM layer: ``4 * (units * (units + features) + units)``."""
    return 4 * (units * (units + features) + units)


def sigmoid(z: np.ndarray) -> np.ndarray:
    """Logistic function, computed without overflow for large ``|z|``."""
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def lstm_step(
    x_t: np.ndarray, h_prev: np.ndarray, c_prev: np.ndarray, weights: LSTMWeights
) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """One time step for a batch.

    Args:
        x_t: inputs (B, F); h_prev, c_prev: states (B, U); weights: the layer's weights.

    Returns:
        ``(h_t, c_t, gates)`` with ``h_t``, ``c_t`` of shape (B, U) and ``gates`` a dict of the
        activations ``i, f, g, o``, each (B, U).
    """
    kernel, recurrent_kernel, bias = weights
    u = recurrent_kernel.shape[0]
    z = x_t @ kernel + h_prev @ recurrent_kernel + bias
    i = sigmoid(z[:, :u])
    f = sigmoid(z[:, u : 2 * u])
    g = np.tanh(z[:, 2 * u : 3 * u])
    o = sigmoid(z[:, 3 * u :])
    c_t = f * c_prev + i * g
    h_t = o * np.tanh(c_t)
    return h_t, c_t, {"i": i, "f": f, "g": g, "o": o}


class LSTMTrace(NamedTuple):
    """Everything the forward pass computed, kept for plots and for the backward pass.

    ``outputs``, ``cells`` and each gate are (B, T, U); ``h0``/``c0`` are the initial states
    (B, U); ``x`` (B, T, F) and ``mask`` (B, T) are the inputs.
    """

    outputs: np.ndarray
    cells: np.ndarray
    gates: dict[str, np.ndarray]
    x: np.ndarray
    mask: np.ndarray
    h0: np.ndarray
    c0: np.ndarray
    weights: LSTMWeights

    @property
    def h(self) -> np.ndarray:
        """Final hidden state (B, U)."""
        return self.outputs[:, -1]

    @property
    def c(self) -> np.ndarray:
        """Final cell state (B, U)."""
        return self.cells[:, -1]


def lstm_forward(
    x: np.ndarray,
    weights: LSTMWeights,
    h0: np.ndarray | None = None,
    c0: np.ndarray | None = None,
    mask: np.ndarray | None = None,
) -> LSTMTrace:
    """Run the layer over a batch of sequences ``x`` (B, T, F); see the module docstring."""
    weights.check()
    u = weights.units
    x, dtype, h, c = sequence_input(x, weights.kernel, u, {"h0": h0, "c0": c0})
    b, t_len, _ = x.shape
    mask = np.ones((b, t_len), bool) if mask is None else np.asarray(mask, bool)
    if mask.shape != (b, t_len):
        raise ValueError(f"mask must be (batch, time) = ({b}, {t_len}), got {mask.shape}")
    h_start, c_start = h, c
    outputs = np.empty((b, t_len, u), dtype)
    cells = np.empty((b, t_len, u), dtype)
    gates = {name: np.zeros((b, t_len, u), dtype) for name in GATES}
    for t in range(t_len):
        h_new, c_new, step_gates = lstm_step(x[:, t], h, c, weights)
        keep = mask[:, t, None]
        h = np.where(keep, h_new, h)
        c = np.where(keep, c_new, c)
        outputs[:, t], cells[:, t] = h, c
        for name in GATES:
            gates[name][:, t] = step_gates[name]
    return LSTMTrace(outputs, cells, gates, x, mask, h_start, c_start, weights)


def lstm_backward(
    trace: LSTMTrace,
    d_outputs: np.ndarray | None = None,
    d_h: np.ndarray | None = None,
    d_c: np.ndarray | None = None,
) -> dict[str, np.ndarray]:
    """Backpropagation through time for a loss that depends on the layer's results.

    Args:
        trace: the forward pass (``lstm_forward``).
        d_outputs: dL/d outputs (B, T, U), when the loss uses every step's output.
        d_h, d_c: dL/d final states (B, U), when it uses the final states.

    Returns:
        Gradients ``kernel``, ``recurrent_kernel``, ``bias`` (shapes of the weights), ``x``
        (B, T, F), ``h0`` and ``c0`` (B, U).
    """
    kernel, recurrent_kernel, _ = trace.weights
    b, t_len, u = trace.outputs.shape
    dtype = trace.outputs.dtype
    d_outputs = np.zeros((b, t_len, u), dtype) if d_outputs is None else d_outputs
    dh_next = np.zeros((b, u), dtype) if d_h is None else np.array(d_h, dtype)
    dc_next = np.zeros((b, u), dtype) if d_c is None else np.array(d_c, dtype)
    if d_outputs.shape != (b, t_len, u) or dh_next.shape != (b, u) or dc_next.shape != (b, u):
        raise ValueError("d_outputs must be (B, T, U) and d_h, d_c (B, U), as the forward pass")
    grads = {
        "kernel": np.zeros_like(kernel, dtype),
        "recurrent_kernel": np.zeros_like(recurrent_kernel, dtype),
        "bias": np.zeros(4 * u, dtype),
        "x": np.zeros(trace.x.shape, dtype),
    }
    i, f, g, o = (trace.gates[name] for name in GATES)
    for t in reversed(range(t_len)):
        h_prev = trace.outputs[:, t - 1] if t > 0 else trace.h0
        c_prev = trace.cells[:, t - 1] if t > 0 else trace.c0
        keep = trace.mask[:, t, None]
        dh = d_outputs[:, t] + dh_next
        tanh_c = np.tanh(trace.cells[:, t])
        dc = dc_next + dh * o[:, t] * (1 - tanh_c**2)
        dz = np.concatenate(
            [
                dc * g[:, t] * i[:, t] * (1 - i[:, t]),  # through the input gate
                dc * c_prev * f[:, t] * (1 - f[:, t]),  # through the forget gate
                dc * i[:, t] * (1 - g[:, t] ** 2),  # through the candidate
                dh * tanh_c * o[:, t] * (1 - o[:, t]),  # through the output gate
            ],
            axis=1,
        ) * keep  # a masked step computed nothing that reached the loss
        grads["kernel"] += trace.x[:, t].T @ dz
        grads["recurrent_kernel"] += h_prev.T @ dz
        grads["bias"] += dz.sum(axis=0)
        grads["x"][:, t] = dz @ kernel.T
        # Real step: the states came from h_prev and c_prev through the cell; masked step:
        # they are h_prev and c_prev, so their gradients pass through unchanged.
        dh_next = np.where(keep, dz @ recurrent_kernel.T, dh)
        dc_next = np.where(keep, dc * f[:, t], dc_next)
    grads["h0"], grads["c0"] = dh_next, dc_next
    return grads
