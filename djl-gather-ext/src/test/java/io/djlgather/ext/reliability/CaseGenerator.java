package io.djlgather.ext.reliability;

import ai.djl.ndarray.types.DataType;
import io.djlgather.ext.IndexMode;
import io.djlgather.ext.Reduction;

import java.util.SplittableRandom;

/**
 * A seeded generator of op calls: first a valid call (random rank 1-4, sizes 0-5, any axis
 * including negative ones, int32/int64 index, float32/float64/int64 data), then, for a share of
 * the cases, one or two mutations that may make it invalid (null argument, non-integer index
 * dtype, index value too high or too low, bad axis, wrong rank, shape mismatch, src dtype
 * mismatch, fractional scalar for an integer array, a reduction the op does not take, an empty
 * input). Whether the result is valid is decided by {@link NaiveOps}, not by the mutation.
 *
 * <p>Case {@code i} of seed {@code s} is always the same, so a failure is replayed from the two
 * numbers in its message.
 */
final class CaseGenerator {

    private static final DataType[] DATA_TYPES = {DataType.FLOAT32, DataType.FLOAT64, DataType.INT64};
    private static final DataType[] BAD_INDEX_TYPES = {
        DataType.FLOAT32, DataType.FLOAT64, DataType.INT8, DataType.BOOLEAN
    };
    private static final DataType[] SRC_TYPES = {
        DataType.FLOAT32, DataType.FLOAT64, DataType.INT64, DataType.INT32
    };
    private static final Reduction[] SLICE_REDUCTIONS = {
        Reduction.PROD, Reduction.MEAN, Reduction.AMAX, Reduction.AMIN
    };

    private final long seed;
    private final double mutationRate;
    private SplittableRandom rnd;

    /**
     * @param seed the run's seed
     * @param mutationRate the share of cases that get at least one mutation
     */
    CaseGenerator(long seed, double mutationRate) {
        this.seed = seed;
        this.mutationRate = mutationRate;
    }

    /** Case number {@code i}: op {@code i mod 14}, arguments from the seed and i. */
    Case generate(long i) {
        rnd = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + i);
        Case.Op[] ops = Case.Op.values();
        Case c = valid(ops[(int) (i % ops.length)]);
        if (rnd.nextDouble() < mutationRate) {
            mutate(c);
            if (rnd.nextInt(5) == 0) {
                mutate(c);
            }
        }
        return c;
    }

    /**
     * Case number {@code i} as {@link #generate} makes it, then, for an op with an {@link
     * IndexMode} overload, passed a mode: mostly one the op takes (ERROR, CLIP, and DROP for a
     * write or a fill value for a read), sometimes one it rejects or null; and in most cases some
     * index values moved beyond either end of their range.
     */
    Case generateWithMode(long i) {
        Case c = generate(i);
        if (!c.op.takesMode()) {
            return c;
        }
        c.withMode = true;
        int pick = rnd.nextInt(20);
        if (pick == 0) {
            c.mode = null;
        } else if (pick == 1) {
            c.mode = c.op.reads() ? IndexMode.DROP : IndexMode.fill(-7);
        } else if (pick < 5) {
            c.mode = IndexMode.ERROR;
        } else if (pick < 12) {
            c.mode = IndexMode.CLIP;
        } else {
            c.mode = !c.op.reads() ? IndexMode.DROP
                    : IndexMode.fill(rnd.nextInt(4) == 0 ? 0.5 : -7);
        }
        if (c.input != null && c.index != null && c.index.numel() > 0 && rnd.nextInt(3) > 0) {
            long high = c.op.hasAxis() ? axisSize(c) : c.input.numel();
            long low = c.op.negativeIndexAllowed() ? -high : 0;
            for (int k = 1 + rnd.nextInt(c.index.numel()); k > 0; k--) {
                c.index.data[rnd.nextInt(c.index.numel())] =
                        rnd.nextBoolean() ? high + rnd.nextInt(3) : low - 1 - rnd.nextInt(3);
            }
            c.mutation = c.mutation + "+index-out";
        }
        return c;
    }

    /** Case number {@code i} restricted to the given ops, without mutations. */
    Case generateValid(long i, Case.Op op) {
        rnd = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + i);
        return valid(op);
    }

    // ---------------------------------------------------------------------------------------
    // Valid cases

    private Case valid(Case.Op op) {
        Case c = new Case(op);
        DataType type = DATA_TYPES[rnd.nextInt(DATA_TYPES.length)];
        DataType indexType = rnd.nextBoolean() ? DataType.INT64 : DataType.INT32;
        int rank = 1 + rnd.nextInt(4);
        long[] inShape = new long[rank];
        for (int d = 0; d < rank; d++) {
            inShape[d] = size();
        }
        c.input = values(type, inShape);
        int ax = rnd.nextInt(rank);
        c.axis = rnd.nextBoolean() ? ax : ax - rank;
        long axSize = inShape[ax];
        switch (op) {
            case GATHER:
            case SCATTER:
            case SCATTER_VALUE:
            case SCATTER_ADD:
            case SCATTER_REDUCE: {
                long[] ix = new long[rank];
                for (int d = 0; d < rank; d++) {
                    ix[d] = d == ax ? (axSize == 0 ? 0 : size()) : rnd.nextLong(inShape[d] + 1);
                }
                c.index = indices(indexType, ix, 0, axSize);
                if (op.hasSrc()) {
                    long[] sx = new long[rank];
                    for (int d = 0; d < rank; d++) {
                        sx[d] = ix[d] + rnd.nextInt(2);
                    }
                    c.src = values(type, sx);
                }
                break;
            }
            case TAKE_ALONG_AXIS: {
                long[] ix = new long[rank];
                for (int d = 0; d < rank; d++) {
                    if (d == ax) {
                        ix[d] = axSize == 0 ? 0 : size();
                    } else if (inShape[d] == 1) {
                        ix[d] = size();
                    } else {
                        ix[d] = rnd.nextBoolean() ? inShape[d] : 1;
                    }
                }
                c.index = indices(indexType, ix, 0, axSize);
                break;
            }
            case INDEX_SELECT:
            case INDEX_ADD:
            case INDEX_ADD_ALPHA:
            case INDEX_COPY:
            case INDEX_FILL:
            case INDEX_REDUCE: {
                long length = axSize == 0 ? 0 : size();
                boolean scalarIndex = length == 1 && rnd.nextBoolean();
                long low = op == Case.Op.INDEX_FILL ? -axSize : 0;
                c.index = indices(indexType, scalarIndex ? new long[0] : new long[] {length},
                        low, axSize);
                if (op.hasSrc()) {
                    long[] sx = inShape.clone();
                    sx[ax] = length;
                    c.src = values(type, sx);
                }
                break;
            }
            case TAKE:
            case PUT: {
                long n = Arr.numel(inShape);
                long[] ix = new long[rnd.nextInt(op == Case.Op.TAKE ? 4 : 3)];
                for (int d = 0; d < ix.length; d++) {
                    ix[d] = n == 0 ? 0 : 1 + rnd.nextInt(4);
                }
                c.index = indices(indexType, ix, -n, n);
                if (op == Case.Op.PUT) {
                    long m = Arr.numel(ix);
                    c.src = values(type, rnd.nextBoolean() ? ix : new long[] {m});
                }
                break;
            }
            default:
                throw new IllegalStateException(op.name());
        }
        if (op.hasScalar()) {
            c.scalar = scalar(type != DataType.INT64);
        }
        if (op == Case.Op.SCATTER_REDUCE) {
            c.reduce = Reduction.values()[rnd.nextInt(Reduction.values().length)];
        } else if (op == Case.Op.INDEX_REDUCE) {
            c.reduce = SLICE_REDUCTIONS[rnd.nextInt(SLICE_REDUCTIONS.length)];
        }
        c.flag = rnd.nextBoolean();
        return c;
    }

    /** A dimension size in [0, 5], zero less often than the others. */
    private long size() {
        return rnd.nextInt(12) == 0 ? 0 : 1 + rnd.nextInt(5);
    }

    private Arr values(DataType type, long[] shape) {
        double[] data = new double[Arr.numel(shape)];
        for (int i = 0; i < data.length; i++) {
            data[i] = rnd.nextInt(9) - 4;
        }
        return new Arr(type, shape, data);
    }

    /** Index values in [low, high); an empty range gives zeros (invalid unless empty). */
    private Arr indices(DataType type, long[] shape, long low, long high) {
        double[] data = new double[Arr.numel(shape)];
        for (int i = 0; i < data.length; i++) {
            data[i] = high > low ? low + rnd.nextLong(high - low) : 0;
        }
        return new Arr(type, shape, data);
    }

    private Number scalar(boolean fractionsAllowed) {
        int k = rnd.nextInt(9) - 4;
        switch (rnd.nextInt(4)) {
            case 0:
                return k;
            case 1:
                return (long) k;
            case 2:
                return fractionsAllowed && rnd.nextBoolean() ? k + 0.5 : (double) k;
            default:
                return fractionsAllowed && rnd.nextBoolean() ? k - 0.25f : (float) k;
        }
    }

    // ---------------------------------------------------------------------------------------
    // Mutations

    private void mutate(Case c) {
        Case.Op op = c.op;
        for (int attempt = 0; attempt < 20; attempt++) {
            int kind = rnd.nextInt(13);
            String done = apply(c, op, kind);
            if (done != null) {
                c.mutation = "valid".equals(c.mutation) ? done : c.mutation + "+" + done;
                return;
            }
        }
    }

    /** Applies mutation {@code kind} if it fits the case; returns its name, or null. */
    private String apply(Case c, Case.Op op, int kind) {
        if (c.input == null || c.index == null) {
            return null; // already a null argument: leave it as it is
        }
        int rank = c.input.rank();
        switch (kind) {
            case 0: {
                int which = rnd.nextInt(5);
                if (which == 0) {
                    c.input = null;
                } else if (which == 1) {
                    c.index = null;
                } else if (which == 2 && op.hasSrc()) {
                    c.src = null;
                } else if (which == 3 && op.hasScalar()) {
                    c.scalar = null;
                } else if (which == 4 && op.hasReduce()) {
                    c.reduce = null;
                } else {
                    return null;
                }
                return "null-" + which;
            }
            case 1:
                c.index = c.index.withType(BAD_INDEX_TYPES[rnd.nextInt(BAD_INDEX_TYPES.length)]);
                return "index-dtype-" + c.index.type;
            case 2:
            case 3: {
                if (c.index.numel() == 0) {
                    return null;
                }
                long high = op.hasAxis() ? axisSize(c) : c.input.numel();
                long low = op.negativeIndexAllowed() ? -high : 0;
                long bad;
                boolean huge = rnd.nextInt(8) == 0;
                if (kind == 2) {
                    bad = huge ? 1L << 40 : high + rnd.nextInt(3);
                } else {
                    bad = huge ? -(1L << 40) : low - 1 - rnd.nextInt(3);
                }
                c.index.data[rnd.nextInt(c.index.numel())] = bad;
                return kind == 2 ? "index-high" : "index-low";
            }
            case 4: {
                if (!op.hasAxis()) {
                    return null;
                }
                int r = Math.max(rank, 1);
                int pick = rnd.nextInt(10);
                c.axis = pick == 0 ? Integer.MIN_VALUE
                        : pick == 1 ? Integer.MAX_VALUE
                        : pick < 6 ? r + rnd.nextInt(3) : -r - 1 - rnd.nextInt(3);
                return "axis";
            }
            case 5: {
                Arr idx = c.index;
                if (rnd.nextBoolean() || idx.rank() == 1) {
                    long[] s = new long[idx.rank() + 1];
                    s[0] = 1;
                    System.arraycopy(idx.shape, 0, s, 1, idx.rank());
                    c.index = idx.reshaped(s);
                } else {
                    c.index = idx.reshaped(new long[] {idx.numel()});
                }
                return "index-rank";
            }
            case 6: {
                if (!op.hasSrc() || c.src == null) {
                    return null;
                }
                long[] s = new long[c.src.rank() + 1];
                System.arraycopy(c.src.shape, 0, s, 0, c.src.rank());
                s[c.src.rank()] = 1;
                c.src = c.src.reshaped(s);
                return "src-rank";
            }
            case 7:
                return shape(c, op);
            case 8: {
                if (!op.hasSrc() || c.src == null) {
                    return null;
                }
                DataType t = SRC_TYPES[rnd.nextInt(SRC_TYPES.length)];
                if (t == c.src.type) {
                    return null;
                }
                c.src = c.src.withType(t);
                return "src-dtype-" + t;
            }
            case 9: {
                if (!op.hasScalar()) {
                    return null;
                }
                c.scalar = rnd.nextBoolean() ? (Number) 2.5 : (Number) (-0.5f);
                return "fraction";
            }
            case 10: {
                if (op != Case.Op.INDEX_REDUCE) {
                    return null;
                }
                c.reduce = Reduction.SUM;
                return "reduce-sum";
            }
            case 11: {
                long[] s = new long[rank + 1];
                s[0] = 1;
                System.arraycopy(c.input.shape, 0, s, 1, rank);
                c.input = c.input.reshaped(s);
                return "input-rank";
            }
            case 12: {
                long[] s = c.input.shape.clone();
                s[rnd.nextInt(rank)] = 0;
                c.input = values(c.input.type, s);
                return "input-empty";
            }
            default:
                return null;
        }
    }

    /** Makes index or src one size too large (or non-broadcasting) at some dimension. */
    private String shape(Case c, Case.Op op) {
        int rank = c.input.rank();
        int ax = normalized(c.axis, rank);
        switch (op) {
            case GATHER:
            case SCATTER:
            case SCATTER_VALUE:
            case SCATTER_ADD:
            case SCATTER_REDUCE:
            case TAKE_ALONG_AXIS: {
                if (rank < 2 || ax < 0 || c.index.rank() != rank) {
                    return null;
                }
                int d = (ax + 1 + rnd.nextInt(rank - 1)) % rank;
                long[] s = c.index.shape.clone();
                s[d] = c.input.size(d) + (op == Case.Op.TAKE_ALONG_AXIS ? 2 : 1);
                if (op == Case.Op.TAKE_ALONG_AXIS && c.input.size(d) == 0) {
                    s[d] = 2;
                }
                c.index = indices(c.index.type, s, 0, c.input.size(ax));
                if (c.src != null && c.src.rank() == rank) {
                    long[] sx = c.src.shape.clone();
                    sx[d] = Math.max(sx[d], s[d]);
                    c.src = values(c.src.type, sx);
                }
                return "index-shape";
            }
            case INDEX_ADD:
            case INDEX_ADD_ALPHA:
            case INDEX_COPY:
            case INDEX_REDUCE:
            case PUT: {
                if (c.src == null) {
                    return null;
                }
                long[] s = c.src.shape.clone();
                if (s.length == 0) {
                    return null;
                }
                s[rnd.nextInt(s.length)] += 1;
                c.src = values(c.src.type, s);
                return "src-shape";
            }
            default:
                return null;
        }
    }

    private static int normalized(int axis, int rank) {
        int r = Math.max(rank, 1);
        return axis >= -r && axis < r ? (axis < 0 ? axis + r : axis) : -1;
    }

    private static long axisSize(Case c) {
        int ax = normalized(c.axis, c.input.rank());
        return ax < 0 || c.input.rank() == 0 ? 1 : c.input.size(ax);
    }
}
