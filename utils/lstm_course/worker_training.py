"""The program each worker runs in the distributed-training chapter.

Run as ``python -m lstm_course.worker_training --out DIR [--epochs N] [--backup DIR]``,
once per worker with ``TF_CONFIG`` set (``lstm_course.cluster.run_workers`` does that), or
once without ``TF_CONFIG`` for the single-process reference run. The same code runs in
both cases, under ``tf.distribute.MultiWorkerMirroredStrategy``.

It trains an ``LSTM(32)`` next-step forecaster on 48-step windows of the half-hourly
electricity demand (training part only, standardised with training statistics). The window
order is shuffled once with a fixed seed and then kept, so every run and every restart
sees the same batches. After each epoch it prints ``epoch <k> done loss <loss>``. At the
end, each worker writes ``weights-<worker>.npz`` (its final weights) and
``history-<worker>.json`` (the epochs it ran in this attempt and their losses) to
``--out``. With ``--backup``, every worker saves the model, the optimizer and the epoch
counter after every epoch (``tf.train.CheckpointManager``): the chief (worker 0) into
``<backup>``, the others into ``<backup>/not-chief-<worker>`` so that no two write the same
file. A restarted run restores **the chief's** latest checkpoint on every worker, so all
workers resume from the same epoch. (Per-worker checkpoints are not enough: a worker killed
while the others are still saving can leave their latest checkpoints an epoch apart, and the
workers would then disagree on how many steps remain.)
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path


def _arguments(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, type=Path, help="folder for weights/history")
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--global-batch", type=int, default=64,
                        help="batch size summed over all workers")
    parser.add_argument("--learning-rate", type=float, default=3e-3)
    parser.add_argument("--backup", type=Path, default=None, help="checkpoint folder")
    parser.add_argument("--seconds-per-epoch", type=float, default=0.0,
                        help="sleep after each epoch (to give a fault time to strike)")
    parser.add_argument("--seed", type=int, default=0)
    arguments = parser.parse_args(argv)
    if arguments.epochs < 1 or arguments.global_batch < 1:
        parser.error("--epochs and --global-batch must be positive")
    return arguments


def training_windows(seed: int):
    """Shuffled (inputs, labels) of the demand training part: (n, 48, 1) and (n, 1, 1)."""
    import numpy as np

    from lstm_course.data import load_electricity_demand
    from lstm_course.windows import Standardizer, WindowSpec, chronological_split, make_windows

    parts = chronological_split(load_electricity_demand().to_frame(), train_fraction=0.7,
                                val_fraction=0.15)
    train = Standardizer.fit(parts.train).transform(parts.train)
    x, y = make_windows(train, WindowSpec(input_width=48, shift=1, stride=2))
    order = np.random.default_rng(seed).permutation(len(x))
    return x[order].astype("float32"), y[order].astype("float32")


def main(argv=None) -> None:
    arguments = _arguments(argv)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import keras
    import numpy as np
    import tensorflow as tf

    from lstm_course.models import lstm_forecaster

    config = json.loads(os.environ.get("TF_CONFIG", "{}"))
    worker = config.get("task", {}).get("index", 0)
    strategy = tf.distribute.MultiWorkerMirroredStrategy()
    keras.utils.set_random_seed(arguments.seed)  # same initial weights on every worker
    x, y = training_windows(arguments.seed)
    batches = tf.data.Dataset.from_tensor_slices((x, y)).batch(
        arguments.global_batch, drop_remainder=True)  # equal batches on every step
    # Each global batch is split between the replicas (auto-sharding by data).
    distributed = strategy.experimental_distribute_dataset(batches)
    with strategy.scope():
        model = lstm_forecaster(n_features=1, units=32)  # (batch, 48, 1) -> (batch, 1, 1)
        optimizer = keras.optimizers.Adam(arguments.learning_rate)
        optimizer.build(model.trainable_variables)
        epoch = tf.Variable(0, dtype=tf.int64, trainable=False)

    def replica_step(x_part, y_part):
        with tf.GradientTape() as tape:
            per_sequence = tf.reduce_mean(tf.square(model(x_part, training=True) - y_part),
                                          axis=[1, 2])
            # divide by the GLOBAL batch: summing the replicas' gradients gives the mean
            loss = tf.nn.compute_average_loss(per_sequence,
                                              global_batch_size=arguments.global_batch)
        gradients = tape.gradient(loss, model.trainable_variables)  # summed by the all-reduce
        optimizer.apply_gradients(zip(gradients, model.trainable_variables, strict=True))
        return loss

    @tf.function
    def train_step(batch):
        losses = strategy.run(replica_step, args=batch)
        return strategy.reduce("SUM", losses, axis=None)

    manager = None
    if arguments.backup is not None:
        checkpoint = tf.train.Checkpoint(model=model, optimizer=optimizer, epoch=epoch)
        folder = arguments.backup if worker == 0 else arguments.backup / f"not-chief-{worker}"
        manager = tf.train.CheckpointManager(checkpoint, str(folder), max_to_keep=1)
        chief_latest = tf.train.latest_checkpoint(str(arguments.backup))
        if chief_latest:
            checkpoint.restore(chief_latest).assert_consumed()
            print(f"restored after epoch {int(epoch.numpy())}", flush=True)
    print(f"worker {worker} of {strategy.num_replicas_in_sync} replicas, "
          f"{len(x)} windows, global batch {arguments.global_batch}", flush=True)
    history = {"epochs": [], "loss": [], "replicas": strategy.num_replicas_in_sync}
    while epoch.numpy() < arguments.epochs:
        losses = [float(train_step(batch)) for batch in distributed]
        epoch.assign_add(1)
        if manager is not None:
            manager.save()
        history["epochs"].append(int(epoch.numpy()))
        history["loss"].append(float(np.mean(losses)))
        print(f"epoch {int(epoch.numpy())} done loss {history['loss'][-1]:.6f}", flush=True)
        time.sleep(arguments.seconds_per_epoch)
    arguments.out.mkdir(parents=True, exist_ok=True)
    np.savez(arguments.out / f"weights-{worker}.npz", *model.get_weights())
    (arguments.out / f"history-{worker}.json").write_text(json.dumps(history))
    print("finished", flush=True)


if __name__ == "__main__":
    main()
