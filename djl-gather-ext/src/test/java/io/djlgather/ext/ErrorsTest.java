package io.djlgather.ext;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.djlgather.ext.Support.Snapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every op rejects bad arguments with an IllegalArgumentException whose message starts with
 * {@code "<op>: "} and names the argument, states the offending value for an index or axis out
 * of range, and leaves every array argument as it was.
 */
class ErrorsTest {

    private static NDManager manager;

    @BeforeAll
    static void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    /** Creates the arrays of one case and records them, so the test can check them afterwards. */
    static final class Args {
        final NDManager m;
        final Snapshot snapshot = new Snapshot();

        Args(NDManager m) {
            this.m = m;
        }

        private NDArray keep(NDArray a) {
            snapshot.add(a);
            return a;
        }

        /** float64 data 0, 1, 2, ... of the given shape. */
        NDArray x(long... shape) {
            double[] values = new double[(int) Reference.numel(shape)];
            for (int i = 0; i < values.length; i++) {
                values[i] = i;
            }
            return keep(m.create(values, new Shape(shape)));
        }

        /** float32 data 0, 1, 2, ... of the given shape. */
        NDArray x32(long... shape) {
            float[] values = new float[(int) Reference.numel(shape)];
            for (int i = 0; i < values.length; i++) {
                values[i] = i;
            }
            return keep(m.create(values, new Shape(shape)));
        }

        /** An int64 index holding {@code values}, of the given shape. */
        NDArray i(long[] values, long... shape) {
            return keep(m.create(values, new Shape(shape)));
        }

        /** An int32 index holding {@code values}, of the given shape. */
        NDArray i32(long[] values, long... shape) {
            int[] ints = new int[values.length];
            for (int k = 0; k < values.length; k++) {
                ints[k] = Math.toIntExact(values[k]);
            }
            return keep(m.create(ints, new Shape(shape)));
        }

        /** An all-zero array of any dtype: a valid index in all but its dtype. */
        NDArray zeros(DataType type, long... shape) {
            return keep(m.zeros(new Shape(shape), type));
        }
    }

    interface Invocation {
        Object call(Args a);
    }

    static final class Case {
        final String name;
        final String op;
        final String argument;
        final Long bad;
        final Invocation invocation;

        Case(String name, String op, String argument, Long bad, Invocation invocation) {
            this.name = name;
            this.op = op;
            this.argument = argument;
            this.bad = bad;
            this.invocation = invocation;
        }

        @Override
        public String toString() {
            return op + ": " + name;
        }
    }

    private static final DataType[] BAD_INDEX_TYPES = {
        DataType.FLOAT32, DataType.FLOAT64, DataType.BOOLEAN, DataType.INT8
    };

    private static long[] v(long... values) {
        return values;
    }

    static Stream<Case> cases() {
        List<Case> c = new ArrayList<>();

        // gather(input [3,4], axis 1, index [3,1])
        String op = "gather";
        c.add(new Case("null input", op, "input", null, a -> GatherOps.gather(null, 1, a.i(v(0, 1, 2), 3, 1))));
        c.add(new Case("null index", op, "index", null, a -> GatherOps.gather(a.x(3, 4), 1, null)));
        c.add(new Case("axis too large", op, "axis", 5L, a -> GatherOps.gather(a.x(3, 4), 5, a.i(v(0, 1, 2), 3, 1))));
        c.add(new Case("axis too small", op, "axis", -7L, a -> GatherOps.gather(a.x(3, 4), -7, a.i(v(0, 1, 2), 3, 1))));
        for (DataType t : BAD_INDEX_TYPES) {
            c.add(new Case("index of " + t, op, "index", null, a -> GatherOps.gather(a.x(3, 4), 1, a.zeros(t, 3, 1))));
        }
        c.add(new Case("index of lower rank", op, "index", null, a -> GatherOps.gather(a.x(3, 4), 1, a.i(v(0, 1, 2), 3))));
        c.add(new Case("index of higher rank", op, "index", null, a -> GatherOps.gather(a.x(3, 4), 1, a.i(v(0, 1, 2), 3, 1, 1))));
        c.add(new Case("index larger than input off the axis", op, "index", null,
                a -> GatherOps.gather(a.x(3, 4), 1, a.i(v(0, 1, 2, 3), 4, 1))));
        c.add(new Case("index value too large", op, "index", 9L, a -> GatherOps.gather(a.x(3, 4), 1, a.i(v(0, 9, 1), 3, 1))));
        c.add(new Case("int32 index value too large", op, "index", 9L, a -> GatherOps.gather(a.x(3, 4), -1, a.i32(v(0, 9, 1), 3, 1))));
        c.add(new Case("index value negative", op, "index", -1L, a -> GatherOps.gather(a.x(3, 4), 1, a.i(v(0, -1, 1), 3, 1))));
        c.add(new Case("index into an empty axis", op, "index", null, a -> GatherOps.gather(a.x(0, 4), 0, a.i(v(0), 1, 1))));

        // scatter / scatterAdd / scatterReduce(input [3,4], axis 1, index [3,1], src [3,2])
        for (String name : new String[] {"scatter", "scatterAdd", "scatterReduce"}) {
            ScatterCall call = scatterCall(name);
            c.add(new Case("null input", name, "input", null, a -> call.run(null, 1, a.i(v(0, 1, 2), 3, 1), a.x(3, 2))));
            c.add(new Case("null index", name, "index", null, a -> call.run(a.x(3, 4), 1, null, a.x(3, 2))));
            c.add(new Case("null src", name, "src", null, a -> call.run(a.x(3, 4), 1, a.i(v(0, 1, 2), 3, 1), null)));
            c.add(new Case("axis too large", name, "axis", 5L, a -> call.run(a.x(3, 4), 5, a.i(v(0, 1, 2), 3, 1), a.x(3, 2))));
            c.add(new Case("axis too small", name, "axis", -7L, a -> call.run(a.x(3, 4), -7, a.i(v(0, 1, 2), 3, 1), a.x(3, 2))));
            for (DataType t : BAD_INDEX_TYPES) {
                c.add(new Case("index of " + t, name, "index", null, a -> call.run(a.x(3, 4), 1, a.zeros(t, 3, 1), a.x(3, 2))));
            }
            c.add(new Case("src of another dtype", name, "src", null,
                    a -> call.run(a.x(3, 4), 1, a.i(v(0, 1, 2), 3, 1), a.x32(3, 2))));
            c.add(new Case("index of lower rank", name, "index", null, a -> call.run(a.x(3, 4), 1, a.i(v(0, 1, 2), 3), a.x(3, 2))));
            c.add(new Case("src of lower rank", name, "src", null, a -> call.run(a.x(3, 4), 1, a.i(v(0, 1, 2), 3, 1), a.x(6))));
            c.add(new Case("src smaller than index", name, "src", null,
                    a -> call.run(a.x(3, 4), 1, a.i(v(0, 1, 2), 3, 1), a.x(2, 2))));
            c.add(new Case("index larger than input off the axis", name, "index", null,
                    a -> call.run(a.x(3, 4), 1, a.i(v(0, 1, 2, 3), 4, 1), a.x(4, 2))));
            c.add(new Case("index value too large", name, "index", 9L,
                    a -> call.run(a.x(3, 4), 1, a.i(v(0, 9, 1), 3, 1), a.x(3, 2))));
            c.add(new Case("int32 index value too large", name, "index", 9L,
                    a -> call.run(a.x(3, 4), 1, a.i32(v(0, 9, 1), 3, 1), a.x(3, 2))));
            c.add(new Case("index value negative", name, "index", -1L,
                    a -> call.run(a.x(3, 4), 1, a.i(v(0, -1, 1), 3, 1), a.x(3, 2))));
        }
        op = "scatter";
        c.add(new Case("null value", op, "value", null, a -> GatherOps.scatter(a.x(3, 4), 1, a.i(v(0, 1, 2), 3, 1), (Number) null)));
        c.add(new Case("value: null input", op, "input", null, a -> GatherOps.scatter(null, 1, a.i(v(0, 1, 2), 3, 1), 1.0)));
        c.add(new Case("value: axis too large", op, "axis", 5L, a -> GatherOps.scatter(a.x(3, 4), 5, a.i(v(0, 1, 2), 3, 1), 1.0)));
        c.add(new Case("value: index of float32", op, "index", null,
                a -> GatherOps.scatter(a.x(3, 4), 1, a.zeros(DataType.FLOAT32, 3, 1), 1.0)));
        c.add(new Case("value: index larger than input", op, "index", null,
                a -> GatherOps.scatter(a.x(3, 4), 1, a.i(v(0, 1, 2, 3), 4, 1), 1.0)));
        c.add(new Case("value: index value too large", op, "index", 9L,
                a -> GatherOps.scatter(a.x(3, 4), 1, a.i(v(0, 9, 1), 3, 1), 1.0)));
        c.add(new Case("value: index value negative", op, "index", -1L,
                a -> GatherOps.scatter(a.x(3, 4), 1, a.i(v(0, -1, 1), 3, 1), 1.0)));
        op = "scatterReduce";
        c.add(new Case("null reduce", op, "reduce", null,
                a -> GatherOps.scatterReduce(a.x(3, 4), 1, a.i(v(0, 1, 2), 3, 1), a.x(3, 2), null, true)));

        // indexSelect / indexAdd / indexCopy / indexReduce / indexFill (input [3,4], axis 1, index [2])
        op = "indexSelect";
        c.add(new Case("null input", op, "input", null, a -> GatherOps.indexSelect(null, 1, a.i(v(0, 1), 2))));
        c.add(new Case("null index", op, "index", null, a -> GatherOps.indexSelect(a.x(3, 4), 1, null)));
        c.add(new Case("axis too large", op, "axis", 5L, a -> GatherOps.indexSelect(a.x(3, 4), 5, a.i(v(0, 1), 2))));
        c.add(new Case("axis too small", op, "axis", -7L, a -> GatherOps.indexSelect(a.x(3, 4), -7, a.i(v(0, 1), 2))));
        for (DataType t : BAD_INDEX_TYPES) {
            c.add(new Case("index of " + t, op, "index", null, a -> GatherOps.indexSelect(a.x(3, 4), 1, a.zeros(t, 2))));
        }
        c.add(new Case("index of rank 2", op, "index", null, a -> GatherOps.indexSelect(a.x(3, 4), 1, a.i(v(0, 1), 2, 1))));
        c.add(new Case("index value too large", op, "index", 9L, a -> GatherOps.indexSelect(a.x(3, 4), 1, a.i(v(0, 9), 2))));
        c.add(new Case("int32 index value too large", op, "index", 9L, a -> GatherOps.indexSelect(a.x(3, 4), 1, a.i32(v(0, 9), 2))));
        c.add(new Case("index value negative", op, "index", -1L, a -> GatherOps.indexSelect(a.x(3, 4), 1, a.i(v(-1, 1), 2))));

        for (String name : new String[] {"indexAdd", "indexCopy", "indexReduce"}) {
            IndexCall call = indexCall(name);
            c.add(new Case("null input", name, "input", null, a -> call.run(null, 1, a.i(v(0, 1), 2), a.x(3, 2))));
            c.add(new Case("null index", name, "index", null, a -> call.run(a.x(3, 4), 1, null, a.x(3, 2))));
            c.add(new Case("null src", name, "src", null, a -> call.run(a.x(3, 4), 1, a.i(v(0, 1), 2), null)));
            c.add(new Case("axis too large", name, "axis", 5L, a -> call.run(a.x(3, 4), 5, a.i(v(0, 1), 2), a.x(3, 2))));
            c.add(new Case("axis too small", name, "axis", -7L, a -> call.run(a.x(3, 4), -7, a.i(v(0, 1), 2), a.x(3, 2))));
            for (DataType t : BAD_INDEX_TYPES) {
                c.add(new Case("index of " + t, name, "index", null, a -> call.run(a.x(3, 4), 1, a.zeros(t, 2), a.x(3, 2))));
            }
            c.add(new Case("index of rank 2", name, "index", null, a -> call.run(a.x(3, 4), 1, a.i(v(0, 1), 2, 1), a.x(3, 2))));
            c.add(new Case("src of another dtype", name, "src", null, a -> call.run(a.x(3, 4), 1, a.i(v(0, 1), 2), a.x32(3, 2))));
            c.add(new Case("src with more entries than index", name, "src", null,
                    a -> call.run(a.x(3, 4), 1, a.i(v(0, 1), 2), a.x(3, 3))));
            c.add(new Case("src of another size off the axis", name, "src", null,
                    a -> call.run(a.x(3, 4), 1, a.i(v(0, 1), 2), a.x(2, 2))));
            c.add(new Case("src of another rank", name, "src", null,
                    a -> call.run(a.x(3, 4), 1, a.i(v(0, 1), 2), a.x(3, 2, 1))));
            c.add(new Case("index value too large", name, "index", 9L, a -> call.run(a.x(3, 4), 1, a.i(v(0, 9), 2), a.x(3, 2))));
            c.add(new Case("int32 index value too large", name, "index", 9L,
                    a -> call.run(a.x(3, 4), 1, a.i32(v(9, 0), 2), a.x(3, 2))));
            c.add(new Case("index value negative", name, "index", -1L, a -> call.run(a.x(3, 4), 1, a.i(v(0, -1), 2), a.x(3, 2))));
        }
        op = "indexAdd";
        c.add(new Case("null alpha", op, "alpha", null,
                a -> GatherOps.indexAdd(a.x(3, 4), 1, a.i(v(0, 1), 2), a.x(3, 2), (Number) null)));
        op = "indexReduce";
        c.add(new Case("reduce SUM", op, "reduce", null,
                a -> GatherOps.indexReduce(a.x(3, 4), 1, a.i(v(0, 1), 2), a.x(3, 2), Reduction.SUM, true)));
        c.add(new Case("reduce SUM without self", op, "reduce", null,
                a -> GatherOps.indexReduce(a.x(3, 4), 1, a.i(v(0, 1), 2), a.x(3, 2), Reduction.SUM, false)));
        c.add(new Case("null reduce", op, "reduce", null,
                a -> GatherOps.indexReduce(a.x(3, 4), 1, a.i(v(0, 1), 2), a.x(3, 2), null, true)));

        op = "indexFill";
        c.add(new Case("null input", op, "input", null, a -> GatherOps.indexFill(null, 1, a.i(v(0, 1), 2), 1.0)));
        c.add(new Case("null index", op, "index", null, a -> GatherOps.indexFill(a.x(3, 4), 1, null, 1.0)));
        c.add(new Case("null value", op, "value", null, a -> GatherOps.indexFill(a.x(3, 4), 1, a.i(v(0, 1), 2), null)));
        c.add(new Case("axis too large", op, "axis", 5L, a -> GatherOps.indexFill(a.x(3, 4), 5, a.i(v(0, 1), 2), 1.0)));
        c.add(new Case("axis too small", op, "axis", -7L, a -> GatherOps.indexFill(a.x(3, 4), -7, a.i(v(0, 1), 2), 1.0)));
        for (DataType t : BAD_INDEX_TYPES) {
            c.add(new Case("index of " + t, op, "index", null, a -> GatherOps.indexFill(a.x(3, 4), 1, a.zeros(t, 2), 1.0)));
        }
        c.add(new Case("index of rank 2", op, "index", null, a -> GatherOps.indexFill(a.x(3, 4), 1, a.i(v(0, 1), 2, 1), 1.0)));
        c.add(new Case("index value too large", op, "index", 9L, a -> GatherOps.indexFill(a.x(3, 4), 1, a.i(v(0, 9), 2), 1.0)));
        c.add(new Case("index value below -size", op, "index", -9L, a -> GatherOps.indexFill(a.x(3, 4), 1, a.i(v(-9, 1), 2), 1.0)));
        c.add(new Case("int32 index value below -size", op, "index", -5L,
                a -> GatherOps.indexFill(a.x(3, 4), 1, a.i32(v(0, -5), 2), 1.0)));

        // takeAlongAxis(input [3,4], index [3,2], axis 1)
        op = "takeAlongAxis";
        c.add(new Case("null input", op, "input", null, a -> GatherOps.takeAlongAxis(null, a.i(v(0, 1, 2, 3, 0, 1), 3, 2), 1)));
        c.add(new Case("null index", op, "index", null, a -> GatherOps.takeAlongAxis(a.x(3, 4), null, 1)));
        c.add(new Case("axis too large", op, "axis", 5L, a -> GatherOps.takeAlongAxis(a.x(3, 4), a.i(v(0, 1, 2, 3, 0, 1), 3, 2), 5)));
        c.add(new Case("axis too small", op, "axis", -7L, a -> GatherOps.takeAlongAxis(a.x(3, 4), a.i(v(0, 1, 2, 3, 0, 1), 3, 2), -7)));
        for (DataType t : BAD_INDEX_TYPES) {
            c.add(new Case("index of " + t, op, "index", null, a -> GatherOps.takeAlongAxis(a.x(3, 4), a.zeros(t, 3, 2), 1)));
        }
        c.add(new Case("index of lower rank", op, "index", null, a -> GatherOps.takeAlongAxis(a.x(3, 4), a.i(v(0, 1), 2), 1)));
        c.add(new Case("index that does not broadcast", op, "index", null,
                a -> GatherOps.takeAlongAxis(a.x(3, 4), a.i(v(0, 1, 2, 3), 2, 2), 1)));
        c.add(new Case("index value too large", op, "index", 9L,
                a -> GatherOps.takeAlongAxis(a.x(3, 4), a.i(v(0, 1, 2, 9, 0, 1), 3, 2), 1)));
        c.add(new Case("int32 index value too large", op, "index", 9L,
                a -> GatherOps.takeAlongAxis(a.x(3, 4), a.i32(v(0, 1, 2, 9, 0, 1), 3, 2), 1)));
        c.add(new Case("index value negative", op, "index", -1L,
                a -> GatherOps.takeAlongAxis(a.x(3, 4), a.i(v(0, 1, -1, 3, 0, 1), 3, 2), 1)));

        // take(input [3,4] (12 elements), index [3])
        op = "take";
        c.add(new Case("null input", op, "input", null, a -> GatherOps.take(null, a.i(v(0, 1, 2), 3))));
        c.add(new Case("null index", op, "index", null, a -> GatherOps.take(a.x(3, 4), null)));
        for (DataType t : BAD_INDEX_TYPES) {
            c.add(new Case("index of " + t, op, "index", null, a -> GatherOps.take(a.x(3, 4), a.zeros(t, 3))));
        }
        c.add(new Case("index value too large", op, "index", 15L, a -> GatherOps.take(a.x(3, 4), a.i(v(0, 15, 2), 3))));
        c.add(new Case("int32 index value too large", op, "index", 15L, a -> GatherOps.take(a.x(3, 4), a.i32(v(0, 15, 2), 3))));
        c.add(new Case("index value below -numel", op, "index", -13L, a -> GatherOps.take(a.x(3, 4), a.i(v(0, -13, 2), 3))));
        c.add(new Case("index into an empty input", op, "index", null, a -> GatherOps.take(a.x(0, 3), a.i(v(0), 1))));

        // put(input [3,4], index [3], src [3])
        op = "put";
        for (boolean acc : new boolean[] {false, true}) {
            String mode = acc ? " (accumulate)" : "";
            c.add(new Case("null input" + mode, op, "input", null, a -> GatherOps.put(null, a.i(v(0, 1, 2), 3), a.x(3), acc)));
            c.add(new Case("null index" + mode, op, "index", null, a -> GatherOps.put(a.x(3, 4), null, a.x(3), acc)));
            c.add(new Case("null src" + mode, op, "src", null, a -> GatherOps.put(a.x(3, 4), a.i(v(0, 1, 2), 3), null, acc)));
            for (DataType t : BAD_INDEX_TYPES) {
                c.add(new Case("index of " + t + mode, op, "index", null, a -> GatherOps.put(a.x(3, 4), a.zeros(t, 3), a.x(3), acc)));
            }
            c.add(new Case("src of another dtype" + mode, op, "src", null,
                    a -> GatherOps.put(a.x(3, 4), a.i(v(0, 1, 2), 3), a.x32(3), acc)));
            c.add(new Case("src with fewer elements" + mode, op, "src", null,
                    a -> GatherOps.put(a.x(3, 4), a.i(v(0, 1, 2), 3), a.x(2), acc)));
            c.add(new Case("src with more elements" + mode, op, "src", null,
                    a -> GatherOps.put(a.x(3, 4), a.i(v(0, 1, 2), 3), a.x(2, 2), acc)));
            c.add(new Case("index value too large" + mode, op, "index", 15L,
                    a -> GatherOps.put(a.x(3, 4), a.i(v(0, 15, 2), 3), a.x(3), acc)));
            c.add(new Case("int32 index value too large" + mode, op, "index", 15L,
                    a -> GatherOps.put(a.x(3, 4), a.i32(v(0, 15, 2), 3), a.x(3), acc)));
            c.add(new Case("index value below -numel" + mode, op, "index", -13L,
                    a -> GatherOps.put(a.x(3, 4), a.i(v(0, -13, 2), 3), a.x(3), acc)));
        }
        return c.stream();
    }

    interface ScatterCall {
        NDArray run(NDArray input, int axis, NDArray index, NDArray src);
    }

    interface IndexCall {
        NDArray run(NDArray input, int axis, NDArray index, NDArray src);
    }

    private static ScatterCall scatterCall(String name) {
        switch (name) {
            case "scatter":
                return GatherOps::scatter;
            case "scatterAdd":
                return GatherOps::scatterAdd;
            default:
                return (x, axis, index, src) ->
                        GatherOps.scatterReduce(x, axis, index, src, Reduction.AMAX, false);
        }
    }

    private static IndexCall indexCall(String name) {
        switch (name) {
            case "indexAdd":
                return (x, axis, index, src) -> GatherOps.indexAdd(x, axis, index, src, 2.0);
            case "indexCopy":
                return GatherOps::indexCopy;
            default:
                return (x, axis, index, src) ->
                        GatherOps.indexReduce(x, axis, index, src, Reduction.MEAN, true);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rejects(Case c) {
        try (NDManager m = manager.newSubManager()) {
            Args args = new Args(m);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> c.invocation.call(args), c.toString());
            String message = e.getMessage();
            assertNotNull(message, c + ": no message");
            assertTrue(message.startsWith(c.op + ": "),
                    c + ": message should start with \"" + c.op + ": \", got: " + message);
            String rest = message.substring(c.op.length() + 2);
            assertTrue(containsWord(rest, c.argument),
                    c + ": message should name \"" + c.argument + "\", got: " + message);
            if (c.bad != null) {
                assertTrue(containsNumber(message, c.bad),
                        c + ": message should state the value " + c.bad + ", got: " + message);
            }
            args.snapshot.assertUnchanged(c.toString());
        }
    }

    private static boolean containsWord(String text, String word) {
        return Pattern.compile("(?<![A-Za-z0-9_])" + Pattern.quote(word) + "(?![A-Za-z0-9_])")
                .matcher(text).find();
    }

    /** Whether {@code value} appears as a whole number (not as part of a longer one). */
    private static boolean containsNumber(String text, long value) {
        return Pattern.compile("(?<![0-9.\\-])" + Pattern.quote(Long.toString(value)) + "(?![0-9.])")
                .matcher(text).find();
    }
}
