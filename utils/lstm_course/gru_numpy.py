"""The GRU layer in NumPy (forward pass), in Keras' layout, to compare with the LSTM.

Notation as in ``lstm_numpy``: ``x`` is (batch B, time T, features F), the layer has ``U``
units, gate order along the 3U axis is **z, r, h** (update, reset, candidate)::

    a_t = x_t @ kernel + b_in                          # (B, 3U), input part
    s_t = h_{t-1} @ recurrent_kernel + b_rec           # (B, 3U), recurrent part
    z_t = sigmoid(a_z + s_z)                           update gate
    r_t = sigmoid(a_r + s_r)                           reset gate
    n_t = tanh(a_h + r_t * s_h)                        candidate (reset_after=True)
    h_t = z_t * h_{t-1} + (1 - z_t) * n_t              z weights the *old* state

Keras' default ``reset_after=True`` (the cuDNN form) has ``bias`` of shape (2, 3U): row 0 is
``b_in``, row 1 is ``b_rec``. With ``reset_after=False`` (the form of Cho et al. 2014) the
bias is (3U,) and the reset gate acts before the product:
``n_t = tanh(a_h + (r_t * h_{t-1}) @ recurrent_kernel[:, 2U:])``.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .lstm_numpy import keras_recurrent_weights, sequence_input, sigmoid

GRU_GATES = ("z", "r", "n")


class GRUWeights(NamedTuple):
    """Weights of one GRU layer in Keras' layout (gate order z, r, h along the 3U axis)."""

    kernel: np.ndarray  # (F, 3U)
    recurrent_kernel: np.ndarray  # (U, 3U)
    bias: np.ndarray  # (2, 3U) when reset_after, else (3U,)

    @classmethod
    def from_keras(cls, layer) -> GRUWeights:
        """Copy the weights of a built ``keras.layers.GRU`` (with ``use_bias=True``)."""
        return cls(*keras_recurrent_weights(layer))

    @property
    def units(self) -> int:
        return self.recurrent_kernel.shape[0]

    @property
    def reset_after(self) -> bool:
        """True for Keras' default (cuDNN) form, told apart by the (2, 3U) bias."""
        return np.ndim(self.bias) == 2

    def check(self) -> None:
        """Raise ``ValueError`` unless the three shapes fit one another."""
        k, r, b = (np.shape(w) for w in self)
        if len(k) != 2 or len(r) != 2:
            raise ValueError(f"kernel and recurrent_kernel must be 2-D; got shapes {k}, {r}")
        u = r[0]
        if r != (u, 3 * u) or k[1] != 3 * u or b not in ((2, 3 * u), (3 * u,)):
            raise ValueError(
                f"inconsistent shapes: kernel {k}, recurrent_kernel {r}, bias {b}; expected "
                f"(F, {3 * u}), ({u}, {3 * u}), and (2, {3 * u}) or ({3 * u},) for {u} units"
            )


def gru_param_count(units: int, features: int, *, reset_after: bool = True) -> int:
    """Parameters of ``keras.layers.GRU(units)`` on ``features`` inputs.

    ``3 * (U * (U + F) + 2U)`` with Keras' default ``reset_after=True`` (two bias vectors),
    ``3 * (U * (U + F) + U)`` without.
    """
    biases = 2 if reset_after else 1
    return 3 * (units * (units + features) + biases * units)


def gru_step(
    x_t: np.ndarray, h_prev: np.ndarray, weights: GRUWeights
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """One time step.

    Args:
        x_t: inputs at this step, (B, F).
        h_prev: previous hidden state, (B, U).
        weights: a ``GRUWeights`` in Keras' layout.

    Returns:
        ``h_t`` (B, U) and the gates ``{"z", "r", "n"}``, each (B, U).
    """
    u = weights.units
    k, rk = weights.kernel, weights.recurrent_kernel
    if weights.reset_after:
        b_in, b_rec = weights.bias
        a = x_t @ k + b_in
        s = h_prev @ rk + b_rec
        z = sigmoid(a[:, :u] + s[:, :u])
        r = sigmoid(a[:, u : 2 * u] + s[:, u : 2 * u])
        n = np.tanh(a[:, 2 * u :] + r * s[:, 2 * u :])
    else:
        a = x_t @ k + weights.bias
        s = h_prev @ rk[:, : 2 * u]
        z = sigmoid(a[:, :u] + s[:, :u])
        r = sigmoid(a[:, u : 2 * u] + s[:, u:])
        n = np.tanh(a[:, 2 * u :] + (r * h_prev) @ rk[:, 2 * u :])
    h = z * h_prev + (1 - z) * n
    return h, {"z": z, "r": r, "n": n}


def gru_forward(
    x: np.ndarray, weights: GRUWeights, h0: np.ndarray | None = None
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Run the layer over ``x`` (B, T, F): outputs ``h`` (B, T, U) and each gate (B, T, U)."""
    weights.check()
    u = weights.units
    x, dtype, h = sequence_input(x, weights.kernel, u, {"h0": h0})
    b, t_len, _ = x.shape
    outputs = np.empty((b, t_len, u), dtype)
    gates = {name: np.empty((b, t_len, u), dtype) for name in GRU_GATES}
    for t in range(t_len):
        h, step_gates = gru_step(x[:, t], h, weights)
        outputs[:, t] = h
        for name in GRU_GATES:
            gates[name][:, t] = step_gates[name]
    return outputs, gates
