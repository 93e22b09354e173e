package io.djlgather.ext;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import io.djlgather.ext.internal.Checks;
import io.djlgather.ext.internal.OpCall;

/** take and put: ops that index the input as if it were flattened (row-major). */
final class FlatOps {

    private FlatOps() {}

    static NDArray take(NDManager manager, NDArray inputArray, NDArray indexArray) {
        String op = "take";
        PtNDArray input = Checks.array(op, "input", inputArray);
        PtNDArray index = Checks.index(op, "index", indexArray);
        try (OpCall call = new OpCall(op, input).ownedBy(manager)) {
            PtNDArray idx = call.index(index);
            long n = input.size();
            call.reads("index", idx, -n, n, -1);
            return call.djl(() -> input.take(call.owner(), idx));
        }
    }

    static NDArray put(NDArray inputArray, NDArray indexArray, NDArray srcArray, boolean accumulate) {
        String op = "put";
        PtNDArray input = Checks.array(op, "input", inputArray);
        PtNDArray index = Checks.index(op, "index", indexArray);
        PtNDArray src = Checks.array(op, "src", srcArray);
        checkPut(op, input, index, src);
        try (OpCall call = new OpCall(op, input)) {
            PtNDArray idx = call.index(index);
            PtNDArray s = call.onDevice(src);
            long n = input.size();
            call.reads("index", idx, -n, n, -1);
            if (!accumulate) {
                return call.djl(() -> input.put(idx, s));
            }
            return call.deterministicSums()
                    ? call.library("put_det", input, idx, s)
                    : call.library("put", input, idx, s, true);
        }
    }

    /** Checks src against input and index for put: the same dtype, one element per index. */
    static void checkPut(String op, PtNDArray input, PtNDArray index, PtNDArray src) {
        Checks.sameDataType(op, "src", src, input);
        if (src.size() != index.size()) {
            throw Checks.fail(op, "src", "must have one element per index",
                    index.size() + " elements (index shape " + index.getShape() + ")",
                    src.size() + " elements (shape " + src.getShape() + ")");
        }
    }
}
