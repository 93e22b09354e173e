package io.djlgather.ext.reliability;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.djlgather.ext.GatherOps;
import io.djlgather.ext.IndexMode;
import io.djlgather.ext.Reduction;

/**
 * One generated call of a {@link GatherOps} op: which op, its plain-Java arguments (any of them
 * may be null, or wrong), and how to run it on NDArrays.
 */
final class Case {

    /** Every public op of GatherOps, overloads separately. */
    enum Op {
        GATHER("gather"),
        SCATTER("scatter"),
        SCATTER_VALUE("scatter"),
        SCATTER_ADD("scatterAdd"),
        SCATTER_REDUCE("scatterReduce"),
        TAKE_ALONG_AXIS("takeAlongAxis"),
        INDEX_SELECT("indexSelect"),
        INDEX_ADD("indexAdd"),
        INDEX_ADD_ALPHA("indexAdd"),
        INDEX_COPY("indexCopy"),
        INDEX_FILL("indexFill"),
        INDEX_REDUCE("indexReduce"),
        TAKE("take"),
        PUT("put");

        /** The Java name the op's error messages start with. */
        final String javaName;

        Op(String javaName) {
            this.javaName = javaName;
        }

        boolean hasSrc() {
            return this == SCATTER || this == SCATTER_ADD || this == SCATTER_REDUCE
                    || this == INDEX_ADD || this == INDEX_ADD_ALPHA || this == INDEX_COPY
                    || this == INDEX_REDUCE || this == PUT;
        }

        boolean hasScalar() {
            return this == SCATTER_VALUE || this == INDEX_FILL || this == INDEX_ADD_ALPHA;
        }

        boolean hasReduce() {
            return this == SCATTER_REDUCE || this == INDEX_REDUCE;
        }

        boolean hasAxis() {
            return this != TAKE && this != PUT;
        }

        /** Ops whose index is a vector of whole-slice positions. */
        boolean slices() {
            return this == INDEX_SELECT || this == INDEX_ADD || this == INDEX_ADD_ALPHA
                    || this == INDEX_COPY || this == INDEX_FILL || this == INDEX_REDUCE;
        }

        /** Ops that take index values in [-n, n) (negative counts from the end). */
        boolean negativeIndexAllowed() {
            return this == INDEX_FILL || this == TAKE || this == PUT;
        }

        /** Ops with an {@link IndexMode} overload. */
        boolean takesMode() {
            return this != INDEX_FILL && this != INDEX_REDUCE;
        }

        /** Ops that read through the index (modes ERROR, CLIP, FILL); the others write. */
        boolean reads() {
            return this == GATHER || this == TAKE_ALONG_AXIS || this == INDEX_SELECT || this == TAKE;
        }

        /** Ops whose result may keep any one of several values written to one position. */
        boolean anyOfDuplicates() {
            return this == SCATTER || this == INDEX_COPY;
        }
    }

    final Op op;
    Arr input;
    Arr index;
    Arr src;
    int axis;
    Number scalar;
    Reduction reduce;
    /** includeSelf for the reduce ops, accumulate for put. */
    boolean flag;
    /** Whether the call passes a mode (the overload with the extra last argument). */
    boolean withMode;
    /** The mode passed when {@link #withMode} (may be null: a rejected call). */
    IndexMode mode;
    /** What the generator did to the valid case it started from ("valid" if nothing). */
    String mutation = "valid";

    Case(Op op) {
        this.op = op;
    }

    /** Creates the NDArray arguments in the manager: {input, index, src}, null where absent. */
    NDArray[] create(NDManager manager) {
        return new NDArray[] {
            input == null ? null : input.create(manager),
            index == null ? null : index.create(manager),
            src == null ? null : src.create(manager)
        };
    }

    /** Runs the op on the given arguments. */
    NDArray invoke(NDArray in, NDArray idx, NDArray s) {
        if (withMode) {
            return invokeWithMode(in, idx, s);
        }
        switch (op) {
            case GATHER:
                return GatherOps.gather(in, axis, idx);
            case SCATTER:
                return GatherOps.scatter(in, axis, idx, s);
            case SCATTER_VALUE:
                return GatherOps.scatter(in, axis, idx, scalar);
            case SCATTER_ADD:
                return GatherOps.scatterAdd(in, axis, idx, s);
            case SCATTER_REDUCE:
                return GatherOps.scatterReduce(in, axis, idx, s, reduce, flag);
            case TAKE_ALONG_AXIS:
                return GatherOps.takeAlongAxis(in, idx, axis);
            case INDEX_SELECT:
                return GatherOps.indexSelect(in, axis, idx);
            case INDEX_ADD:
                return GatherOps.indexAdd(in, axis, idx, s);
            case INDEX_ADD_ALPHA:
                return GatherOps.indexAdd(in, axis, idx, s, scalar);
            case INDEX_COPY:
                return GatherOps.indexCopy(in, axis, idx, s);
            case INDEX_FILL:
                return GatherOps.indexFill(in, axis, idx, scalar);
            case INDEX_REDUCE:
                return GatherOps.indexReduce(in, axis, idx, s, reduce, flag);
            case TAKE:
                return GatherOps.take(in, idx);
            case PUT:
                return GatherOps.put(in, idx, s, flag);
            default:
                throw new IllegalStateException(op.name());
        }
    }

    /** Runs the op's overload that takes {@link #mode}. */
    private NDArray invokeWithMode(NDArray in, NDArray idx, NDArray s) {
        switch (op) {
            case GATHER:
                return GatherOps.gather(in, axis, idx, mode);
            case SCATTER:
                return GatherOps.scatter(in, axis, idx, s, mode);
            case SCATTER_VALUE:
                return GatherOps.scatter(in, axis, idx, scalar, mode);
            case SCATTER_ADD:
                return GatherOps.scatterAdd(in, axis, idx, s, mode);
            case SCATTER_REDUCE:
                return GatherOps.scatterReduce(in, axis, idx, s, reduce, flag, mode);
            case TAKE_ALONG_AXIS:
                return GatherOps.takeAlongAxis(in, idx, axis, mode);
            case INDEX_SELECT:
                return GatherOps.indexSelect(in, axis, idx, mode);
            case INDEX_ADD:
                return GatherOps.indexAdd(in, axis, idx, s, mode);
            case INDEX_ADD_ALPHA:
                return GatherOps.indexAdd(in, axis, idx, s, scalar, mode);
            case INDEX_COPY:
                return GatherOps.indexCopy(in, axis, idx, s, mode);
            case TAKE:
                return GatherOps.take(in, idx, mode);
            case PUT:
                return GatherOps.put(in, idx, s, flag, mode);
            default:
                throw new IllegalStateException(op.name() + " takes no mode");
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(op.name()).append('(');
        sb.append("input=").append(input).append(", index=").append(index);
        if (op.hasSrc()) {
            sb.append(", src=").append(src);
        }
        if (op.hasAxis()) {
            sb.append(", axis=").append(axis);
        }
        if (op.hasScalar()) {
            sb.append(", scalar=").append(scalar)
                    .append(scalar == null ? "" : " (" + scalar.getClass().getSimpleName() + ")");
        }
        if (op.hasReduce()) {
            sb.append(", reduce=").append(reduce);
        }
        if (op.hasReduce() || op == Op.PUT) {
            sb.append(op == Op.PUT ? ", accumulate=" : ", includeSelf=").append(flag);
        }
        if (withMode) {
            sb.append(", mode=").append(mode);
        }
        return sb.append(") [").append(mutation).append(']').toString();
    }
}
