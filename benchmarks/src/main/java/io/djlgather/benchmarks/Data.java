package io.djlgather.benchmarks;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/** Seeded inputs shared by the benchmark states (CPU, PyTorch engine). */
final class Data {

    static final long SEED = 42;

    private Data() {}

    /** A fresh base manager on the CPU with the engine's random seed fixed. */
    static NDManager manager() {
        Engine.getEngine("PyTorch").setRandomSeed((int) SEED);
        return NDManager.newBaseManager("PyTorch");
    }

    /** Uniform float32 values in [0, 1). */
    static NDArray floats(NDManager m, long... shape) {
        return m.randomUniform(0f, 1f, new Shape(shape), DataType.FLOAT32);
    }

    /** Uniform int64 values in [0, high). */
    static NDArray longs(NDManager m, long high, long... shape) {
        return m.randomInteger(0, high, new Shape(shape), DataType.INT64);
    }
}
