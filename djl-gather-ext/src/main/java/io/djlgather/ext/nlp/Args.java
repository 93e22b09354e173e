package io.djlgather.ext.nlp;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import io.djlgather.ext.internal.Checks;
import io.djlgather.ext.internal.OpCall;

/**
 * One sequence-labeling call's arguments after the anchor array (emissions or logits) is
 * validated: masks turned into bool, labels into int64, everything moved to the anchor's device
 * and cast to its dtype where needed. The call itself (runtime checks, the op library, error
 * translation, temporaries, the manager that owns the results) is an {@link OpCall}: results
 * attach to the youngest manager among the arrays passed in (see {@code GatherOps}' class doc).
 *
 * <p>Not final: the CRF's call ({@code CrfOps.Call}) extends it with the CRF's own arguments, so
 * that a CRF call is one object over its {@link OpCall}.
 */
class Args implements AutoCloseable {

    private final String op;
    private final PtNDArray anchor;
    private final String batchTimeName;
    private final OpCall call;

    /**
     * @param op the op's Java name, used in every message
     * @param anchorName the anchor's argument name, e.g. {@code emissions}
     * @param anchor the validated main array; the others follow its device and dtype
     */
    Args(String op, String anchorName, PtNDArray anchor) {
        this.op = op;
        this.anchor = anchor;
        this.batchTimeName = anchorName + "'s first two axes";
        this.call = new OpCall(op, anchor);
    }

    /** The validated main array. */
    final PtNDArray anchor() {
        return anchor;
    }

    /** Checks that the anchor is rank 3 of a floating dtype and returns it. */
    static PtNDArray scores(String op, String argument, NDArray array) {
        PtNDArray checked = Checks.array(op, argument, array);
        Checks.rank(op, argument, checked, 3);
        if (!checked.getDataType().isFloating()) {
            throw Checks.fail(op, argument, "must hold floating point scores",
                    "dtype float16, bfloat16, float32 or float64", checked.getDataType());
        }
        return checked;
    }

    /**
     * A [B,T] mask as a bool array on the anchor's device; nonzero entries are real steps.
     * {@code null} means every step is real.
     */
    PtNDArray mask(String argument, NDArray mask, Shape batchTime) {
        if (mask == null) {
            PtNDArray ones = keep((PtNDArray) anchor.getManager().ones(batchTime, DataType.BOOLEAN));
            return call.getDevice().equals(ones.getDevice())
                    ? ones
                    : keep((PtNDArray) ones.toDevice(call.getDevice(), false));
        }
        PtNDArray m = Checks.array(op, argument, mask);
        Checks.sameShapeExcept(op, argument, m.getShape(), batchTimeName,
                batchTime, -1);
        call.operand(m);
        if (m.getDataType() != DataType.BOOLEAN) {
            m = keep(m.toType(DataType.BOOLEAN, false)); // nonzero -> true
        }
        return call.onDevice(m);
    }

    /** Labels [B,T] as int64 on the anchor's device (checked for dtype and shape). */
    PtNDArray labels(String argument, NDArray labels, Shape batchTime) {
        PtNDArray l = Checks.index(op, argument, labels);
        Checks.sameShapeExcept(op, argument, l.getShape(), batchTimeName,
                batchTime, -1);
        return call.index(l);
    }

    /** Labels with every entry where {@code keep} is false replaced by 0 (a valid tag). */
    PtNDArray where(PtNDArray keepMask, PtNDArray labels) {
        return keep((PtNDArray) NDArrays.where(keepMask, labels, keep(labels.zerosLike())));
    }

    /** A parameter-like array of the given shape, moved to the anchor's device and dtype. */
    PtNDArray parameter(String argument, NDArray array, Shape expected) {
        PtNDArray p = Checks.array(op, argument, array);
        if (!p.getShape().equals(expected)) {
            throw Checks.fail(op, argument, "has the wrong shape",
                    expected + " (for " + expected.get(0) + " tags)", p.getShape());
        }
        call.operand(p);
        if (p.getDataType() != anchor.getDataType()) {
            p = keep(p.toType(anchor.getDataType(), false));
        }
        return call.onDevice(p);
    }

    /** Declares that {@code labels} (int64, on device) are read as tags in [0, numTags). */
    void reads(String argument, PtNDArray labels, long numTags) {
        call.reads(argument, labels, 0, numTags, 2);
    }

    /** Runs a method of the op library; the result is attached to the call's owner. */
    PtNDArray library(String method, Object... args) {
        return call.library(method, args);
    }

    /** Runs a tuple-returning method of the op library. */
    NDList libraryTuple(String method, Object... args) {
        return call.libraryTuple(method, args);
    }

    /** Registers a temporary, closed with this object. */
    <T extends NDArray> T keep(T temp) {
        return call.keep(temp);
    }

    @Override
    public void close() {
        call.close();
    }
}
