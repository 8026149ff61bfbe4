"""The serving child of ``serving.run_saved_model`` (private; run as a script, never imported).

    python serve_once.py EXPORT_DIR SIGNATURE INPUTS.npz OUTPUTS.npz META.json

It imports only TensorFlow and NumPy. Python puts this script's folder first on
``sys.path``, and the folder holds nothing but this file; the parent removes ``PYTHONPATH``
(``child_env(helpers=False)``) and starts it in an empty folder. So nothing from the course
or the notebook can help an export pass. Results are files (the protocol of ``_process``):
the outputs in ``OUTPUTS.npz`` and ``{"seconds": ...}`` in ``META.json``. Exit code 3: no
such signature; 4: the signature refused the inputs; ``META.json`` then holds
``{"message": ...}``.
"""

import json
import sys
import time

start = time.perf_counter()  # the reported seconds include importing TensorFlow

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

export_dir, signature, in_path, out_path, meta_path = sys.argv[1:6]
loaded = tf.saved_model.load(export_dir)
if signature not in loaded.signatures:
    with open(meta_path, "w") as file:
        json.dump({"message": ", ".join(sorted(loaded.signatures))}, file)
    sys.exit(3)
function = loaded.signatures[signature]
with np.load(in_path) as stored:
    inputs = {name: tf.constant(stored[name]) for name in stored.files}
try:
    outputs = function(**inputs)
except (TypeError, ValueError, tf.errors.InvalidArgumentError) as error:
    # Keep the line that says what was wrong; drop graph locations and tensor dumps.
    text = getattr(error, "message", None) or str(error)
    noise = ("Graph execution error", "Detected at node", "<stack traces", "\t", " ")
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith(noise)]
    message = (lines[0] if lines else text).split(" Received args:")[0]
    if message.startswith("assertion failed: ["):  # tf.debugging.assert_*: keep the message
        message = message[len("assertion failed: ["):].split("] [", 1)[0].rstrip("]")
    with open(meta_path, "w") as file:
        json.dump({"message": message}, file)
    sys.exit(4)
np.savez(out_path, **{name: value.numpy() for name, value in outputs.items()})
with open(meta_path, "w") as file:
    json.dump({"seconds": time.perf_counter() - start}, file)
