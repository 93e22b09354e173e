package io.djlgather.ext;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.djlgather.ext.Reference.Dense;
import io.djlgather.ext.Support.Snapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Zero-size cases for every op: an index with a 0-size dimension (the result is input unchanged,
 * or empty), and an input with a 0-size dimension. Each in float32 and int64 data with an int32
 * and an int64 index respectively.
 */
class EmptyArraysTest {

    private static NDManager manager;

    @BeforeAll
    static void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    /** A call on NDArrays and its reference, built from the arrays of one case. */
    private interface Call {
        NDArray run(NDArray[] a);
    }

    private interface RefCall {
        Dense run(Dense[] a);
    }

    /** Which arrays of a case hold data (created in the data dtype) rather than indices. */
    private static final class Case {
        final String name;
        final Dense[] arrays;
        final boolean[] isData;
        final Call call;
        final RefCall reference;

        Case(String name, Dense[] arrays, boolean[] isData, Call call, RefCall reference) {
            this.name = name;
            this.arrays = arrays;
            this.isData = isData;
            this.call = call;
            this.reference = reference;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static final boolean[] DATA_INDEX = {true, false};
    private static final boolean[] DATA_INDEX_DATA = {true, false, true};

    private static Dense data(long... shape) {
        return Support.data(new Random(Reference.numel(shape) * 31 + shape.length), DataType.INT64, shape);
    }

    private static Dense index(long bound, long... shape) {
        return Support.index(new Random(7), 0, Math.max(bound, 1), shape);
    }

    private static Case c(String name, Dense[] arrays, boolean[] isData, Call call, RefCall ref) {
        return new Case(name, arrays, isData, call, ref);
    }

    private static Dense[] a(Dense... arrays) {
        return arrays;
    }

    static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        // gather: output has index's shape
        cases.add(c("gather index [3,0]", a(data(3, 4), index(4, 3, 0)), DATA_INDEX,
                x -> GatherOps.gather(x[0], 1, x[1]), d -> Reference.gather(d[0], 1, d[1])));
        cases.add(c("gather input [0,4]", a(data(0, 4), index(4, 0, 2)), DATA_INDEX,
                x -> GatherOps.gather(x[0], -1, x[1]), d -> Reference.gather(d[0], -1, d[1])));
        cases.add(c("gather input [2,0]", a(data(2, 0), index(0, 2, 0)), DATA_INDEX,
                x -> GatherOps.gather(x[0], 1, x[1]), d -> Reference.gather(d[0], 1, d[1])));
        cases.add(c("gather index [0,3] axis 0", a(data(2, 3), index(2, 0, 3)), DATA_INDEX,
                x -> GatherOps.gather(x[0], 0, x[1]), d -> Reference.gather(d[0], 0, d[1])));
        // scatter family: an empty index leaves input as it is
        cases.add(c("scatter index [3,0]", a(data(3, 4), index(4, 3, 0), data(3, 2)), DATA_INDEX_DATA,
                x -> GatherOps.scatter(x[0], 1, x[1], x[2]), d -> Reference.scatter(d[0], 1, d[1], d[2])));
        cases.add(c("scatter input [0,4]", a(data(0, 4), index(0, 0, 4), data(0, 4)), DATA_INDEX_DATA,
                x -> GatherOps.scatter(x[0], 0, x[1], x[2]), d -> Reference.scatter(d[0], 0, d[1], d[2])));
        cases.add(c("scatter value index [0,4]", a(data(3, 4), index(3, 0, 4)), DATA_INDEX,
                x -> GatherOps.scatter(x[0], 0, x[1], 5), d -> Reference.scatter(d[0], 0, d[1], 5)));
        cases.add(c("scatterAdd index [3,0]", a(data(3, 4), index(4, 3, 0), data(3, 1)), DATA_INDEX_DATA,
                x -> GatherOps.scatterAdd(x[0], -1, x[1], x[2]), d -> Reference.scatterAdd(d[0], -1, d[1], d[2])));
        cases.add(c("scatterAdd input [0,4]", a(data(0, 4), index(4, 0, 4), data(0, 4)), DATA_INDEX_DATA,
                x -> GatherOps.scatterAdd(x[0], 1, x[1], x[2]), d -> Reference.scatterAdd(d[0], 1, d[1], d[2])));
        for (Reduction reduce : Reduction.values()) {
            for (boolean includeSelf : new boolean[] {true, false}) {
                cases.add(c("scatterReduce " + reduce + " includeSelf " + includeSelf + " index [3,0]",
                        a(data(3, 4), index(4, 3, 0), data(3, 0)), DATA_INDEX_DATA,
                        x -> GatherOps.scatterReduce(x[0], 1, x[1], x[2], reduce, includeSelf),
                        d -> Reference.scatterReduce(d[0], 1, d[1], d[2], reduce, includeSelf, true)));
            }
        }
        // index ops: an empty index selects nothing / changes nothing
        cases.add(c("indexSelect index [0]", a(data(3, 4), index(4, 0)), DATA_INDEX,
                x -> GatherOps.indexSelect(x[0], 1, x[1]), d -> Reference.indexSelect(d[0], 1, d[1])));
        cases.add(c("indexSelect input [0,4]", a(data(0, 4), index(4, 2)), DATA_INDEX,
                x -> GatherOps.indexSelect(x[0], 1, x[1]), d -> Reference.indexSelect(d[0], 1, d[1])));
        cases.add(c("indexAdd index [0]", a(data(3, 4), index(3, 0), data(0, 4)), DATA_INDEX_DATA,
                x -> GatherOps.indexAdd(x[0], 0, x[1], x[2]), d -> Reference.indexAdd(d[0], 0, d[1], d[2], 1)));
        cases.add(c("indexAdd input [0,4]", a(data(0, 4), index(4, 2), data(0, 2)), DATA_INDEX_DATA,
                x -> GatherOps.indexAdd(x[0], 1, x[1], x[2], 2), d -> Reference.indexAdd(d[0], 1, d[1], d[2], 2)));
        cases.add(c("indexCopy index [0]", a(data(3, 4), index(4, 0), data(3, 0)), DATA_INDEX_DATA,
                x -> GatherOps.indexCopy(x[0], -1, x[1], x[2]), d -> Reference.indexCopy(d[0], -1, d[1], d[2])));
        cases.add(c("indexFill index [0]", a(data(3, 4), index(4, 0)), DATA_INDEX,
                x -> GatherOps.indexFill(x[0], 1, x[1], 3), d -> Reference.indexFill(d[0], 1, d[1], 3)));
        cases.add(c("indexFill input [0,4]", a(data(0, 4), index(4, 1)), DATA_INDEX,
                x -> GatherOps.indexFill(x[0], 1, x[1], 3), d -> Reference.indexFill(d[0], 1, d[1], 3)));
        for (Reduction reduce : new Reduction[] {Reduction.PROD, Reduction.MEAN, Reduction.AMAX, Reduction.AMIN}) {
            for (boolean includeSelf : new boolean[] {true, false}) {
                cases.add(c("indexReduce " + reduce + " includeSelf " + includeSelf + " index [0]",
                        a(data(3, 4), index(3, 0), data(0, 4)), DATA_INDEX_DATA,
                        x -> GatherOps.indexReduce(x[0], 0, x[1], x[2], reduce, includeSelf),
                        d -> Reference.indexReduce(d[0], 0, d[1], d[2], reduce, includeSelf, true)));
            }
        }
        // takeAlongAxis: empty along the axis, empty input, empty by broadcasting
        cases.add(c("takeAlongAxis index [3,0]", a(data(3, 4), index(4, 3, 0)), DATA_INDEX,
                x -> GatherOps.takeAlongAxis(x[0], x[1], 1), d -> Reference.takeAlongAxis(d[0], d[1], 1)));
        cases.add(c("takeAlongAxis input [0,4]", a(data(0, 4), index(4, 0, 2)), DATA_INDEX,
                x -> GatherOps.takeAlongAxis(x[0], x[1], -1), d -> Reference.takeAlongAxis(d[0], d[1], -1)));
        cases.add(c("takeAlongAxis input [0,4] index [1,2]", a(data(0, 4), index(4, 1, 2)), DATA_INDEX,
                x -> GatherOps.takeAlongAxis(x[0], x[1], 1), d -> Reference.takeAlongAxis(d[0], d[1], 1)));
        cases.add(c("takeAlongAxis input [1,4] index [0,2]", a(data(1, 4), index(4, 0, 2)), DATA_INDEX,
                x -> GatherOps.takeAlongAxis(x[0], x[1], 1), d -> Reference.takeAlongAxis(d[0], d[1], 1)));
        // take / put
        cases.add(c("take index [0]", a(data(3, 4), index(12, 0)), DATA_INDEX,
                x -> GatherOps.take(x[0], x[1]), d -> Reference.take(d[0], d[1])));
        cases.add(c("take index [2,0]", a(data(3, 4), index(12, 2, 0)), DATA_INDEX,
                x -> GatherOps.take(x[0], x[1]), d -> Reference.take(d[0], d[1])));
        cases.add(c("take input [0,3] index [0]", a(data(0, 3), index(1, 0)), DATA_INDEX,
                x -> GatherOps.take(x[0], x[1]), d -> Reference.take(d[0], d[1])));
        for (boolean accumulate : new boolean[] {false, true}) {
            cases.add(c("put accumulate " + accumulate + " index [0]", a(data(3, 4), index(12, 0), data(0)),
                    DATA_INDEX_DATA, x -> GatherOps.put(x[0], x[1], x[2], accumulate),
                    d -> Reference.put(d[0], d[1], d[2], accumulate)));
            cases.add(c("put accumulate " + accumulate + " input [0]", a(data(0), index(1, 0), data(0)),
                    DATA_INDEX_DATA, x -> GatherOps.put(x[0], x[1], x[2], accumulate),
                    d -> Reference.put(d[0], d[1], d[2], accumulate)));
        }
        return cases;
    }

    static Stream<Arguments> table() {
        List<Arguments> rows = new ArrayList<>();
        for (Case c : cases()) {
            rows.add(Arguments.of(c, DataType.FLOAT32, DataType.INT32));
            rows.add(Arguments.of(c, DataType.INT64, DataType.INT64));
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "{0}, {1}, index {2}")
    @MethodSource("table")
    void emptyArraysWork(Case c, DataType type, DataType indexType) {
        try (NDManager m = manager.newSubManager()) {
            NDArray[] nd = new NDArray[c.arrays.length];
            for (int i = 0; i < nd.length; i++) {
                nd[i] = c.arrays[i].toNd(m, c.isData[i] ? type : indexType);
            }
            Snapshot before = new Snapshot(nd);
            NDArray out = c.call.run(nd);
            Dense expected = c.reference.run(c.arrays);
            Support.assertResult(expected, out, nd[0], c.name);
            before.assertUnchanged(c.name);
        }
    }
}
