package io.djlgather.ext.reliability;

import ai.djl.Device;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.djlgather.ext.attention.Heads;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Random calls of {@link Heads#selectHeads} and {@link Heads#reorderBeams}, valid and invalid
 * (wrong ranks, B/T/K mismatches, float or int8 indices, heads and beams out of range, nulls,
 * empty arrays and lists), judged by {@link HelperFuzz}: the naive loops' result or an
 * IllegalArgumentException naming the op and an argument. Cases: {@code
 * -Ddjlgather.reliability.cases} (a third of it here).
 */
class HeadsFuzzTest {

    private static final List<DataType> VALUE_TYPES = List.of(DataType.FLOAT32, DataType.FLOAT64,
            DataType.INT32, DataType.INT64, DataType.FLOAT16, DataType.BOOLEAN);
    private static final List<DataType> INDEX_TYPES = List.of(DataType.INT32, DataType.INT64);

    @Test
    void headsHelpersMatchTheReferenceOrFailWithTheirOwnError() {
        int cases = HelperFuzz.cases(3);
        HelperFuzz.Tally tally = new HelperFuzz.Tally("heads");
        try (NDManager base = NDManager.newBaseManager(Device.cpu())) {
            for (long i = 0; i < cases; i++) {
                SplittableRandom rnd = HelperFuzz.random(11, i);
                tally.run(base, i, rnd.nextInt(5) < 3 ? selectHeads(rnd) : reorderBeams(rnd));
            }
        }
        tally.report();
    }

    // ---------------------------------------------------------------------------------------
    // selectHeads

    static HelperFuzz.Call selectHeads(SplittableRandom rnd) {
        int b = rnd.nextInt(4);
        int h = rnd.nextInt(8) == 0 ? 0 : 1 + rnd.nextInt(3);
        int t = rnd.nextInt(4);
        int d = rnd.nextInt(4);
        DataType type = HelperFuzz.pick(rnd, VALUE_TYPES);
        Arr attn = values(rnd, type, new long[] {b, h, t, d});
        Arr heads = HelperFuzz.ints(rnd, HelperFuzz.pick(rnd, INDEX_TYPES), new long[] {b, t}, 0,
                Math.max(0, h - 1));
        String mutation = "valid";
        if (rnd.nextDouble() < 0.45) {
            switch (rnd.nextInt(9)) {
                case 0: attn = null; mutation = "attn null"; break;
                case 1: heads = null; mutation = "heads null"; break;
                case 2: attn = attn.reshaped(new long[] {b, h, (long) t * d}); mutation = "attn rank 3"; break;
                case 3: attn = attn.reshaped(new long[] {b, h, t, d, 1}); mutation = "attn rank 5"; break;
                case 4:
                    heads = heads.withType(rnd.nextBoolean() ? DataType.FLOAT32 : DataType.INT8);
                    mutation = "heads dtype";
                    break;
                case 5:
                    heads = HelperFuzz.zeros(heads.type, HelperFuzz.bump(heads.shape, rnd.nextInt(2)));
                    mutation = "heads shape";
                    break;
                case 6: heads = heads.reshaped(new long[] {b, t, 1}); mutation = "heads rank 3"; break;
                default:
                    if (heads.numel() > 0) {
                        heads.data[rnd.nextInt(heads.numel())] =
                                rnd.nextBoolean() ? h + rnd.nextInt(3) : -1 - rnd.nextInt(3);
                    }
                    mutation = "head out of range";
                    break;
            }
        }
        HelperFuzz.Call c = new HelperFuzz.Call("selectHeads", List.of("attn", "heads"), attn,
                heads);
        c.mutation = mutation;
        c.invalid = selectHeadsInvalid(attn, heads);
        c.invoker = (scope, a) -> Heads.selectHeads(a[0], a[1]);
        Arr at = attn;
        Arr hd = heads;
        c.judge = (scope, a, r) -> {
            double[] want = new double[b * t * d];
            for (int bi = 0; bi < b; bi++) {
                for (int ti = 0; ti < t; ti++) {
                    int head = (int) hd.data[bi * t + ti];
                    for (int di = 0; di < d; di++) {
                        want[(bi * t + ti) * d + di] = at.data[((bi * h + head) * t + ti) * d + di];
                    }
                }
            }
            return HelperFuzz.expect("result", r[0], new long[] {b, t, d}, at.type, scope, want, 0);
        };
        return c;
    }

    private static String selectHeadsInvalid(Arr attn, Arr heads) {
        if (attn == null || heads == null) {
            return "null";
        }
        if (attn.rank() != 4) {
            return "attn rank";
        }
        if (!INDEX_TYPES.contains(heads.type)) {
            return "heads dtype";
        }
        if (!Arrays.equals(heads.shape, new long[] {attn.size(0), attn.size(2)})) {
            return "heads shape";
        }
        for (double v : heads.data) {
            if (v < 0 || v >= attn.size(1)) {
                return "head value";
            }
        }
        return null;
    }

    // ---------------------------------------------------------------------------------------
    // reorderBeams

    static HelperFuzz.Call reorderBeams(SplittableRandom rnd) {
        int k = rnd.nextInt(5);
        int axis = List.of(0, 1, 2, -1, -2).get(rnd.nextInt(5));
        int count = rnd.nextInt(4);
        Arr[] arrays = new Arr[1 + count];
        String[] names = new String[count];
        for (int i = 0; i < count; i++) {
            int rank = Math.max(axis >= 0 ? axis + 1 : -axis, 1 + rnd.nextInt(4));
            long[] shape = new long[rank];
            for (int dim = 0; dim < rank; dim++) {
                shape[dim] = rnd.nextInt(4);
            }
            shape[axis >= 0 ? axis : axis + rank] = k;
            arrays[1 + i] = values(rnd, HelperFuzz.pick(rnd, VALUE_TYPES), shape);
            names[i] = rnd.nextBoolean() ? "cache" + i : null;
        }
        // a beam index of any length, as index_select takes: mostly K, else pruned or widened
        int m = k > 0 && rnd.nextDouble() < 0.3 ? rnd.nextInt(k + 3) : k;
        arrays[0] = HelperFuzz.ints(rnd, HelperFuzz.pick(rnd, INDEX_TYPES), new long[] {m}, 0,
                Math.max(0, k - 1));
        String mutation = "valid";
        boolean listNull = false;
        int badAxis = axis;
        if (rnd.nextDouble() < 0.45) {
            int cache = count == 0 ? -1 : 1 + rnd.nextInt(count);
            switch (rnd.nextInt(10)) {
                case 0: listNull = true; mutation = "caches null"; break;
                case 1: arrays[0] = null; mutation = "beamIndex null"; break;
                case 2:
                    arrays[0] = arrays[0].withType(rnd.nextBoolean() ? DataType.FLOAT64 : DataType.INT8);
                    mutation = "beamIndex dtype";
                    break;
                case 3:
                    arrays[0] = rnd.nextBoolean() ? arrays[0].reshaped(new long[] {m, 1})
                            : HelperFuzz.zeros(arrays[0].type, new long[0]);
                    mutation = "beamIndex rank";
                    break;
                case 4:
                    if (cache > 0) {
                        arrays[cache] = null;
                    }
                    mutation = "a cache null";
                    break;
                case 5:
                    if (cache > 0) {
                        arrays[cache] = HelperFuzz.zeros(arrays[cache].type, new long[] {k + 1});
                    }
                    mutation = "a cache of size K+1";
                    break;
                case 6:
                    if (cache > 0) {
                        arrays[cache] = HelperFuzz.zeros(arrays[cache].type, new long[0]);
                    }
                    mutation = "a cache of rank 0";
                    break;
                case 7:
                    badAxis = rnd.nextBoolean() ? 4 + rnd.nextInt(2) : -5 - rnd.nextInt(2);
                    mutation = "axis out of range";
                    break;
                default:
                    if (m > 0) {
                        arrays[0].data[rnd.nextInt(m)] =
                                rnd.nextBoolean() ? k + rnd.nextInt(3) : -1 - rnd.nextInt(3);
                    } else {
                        arrays[0] = new Arr(arrays[0].type, new long[] {1}, new double[] {k});
                    }
                    mutation = "beam out of range";
                    break;
            }
        }
        HelperFuzz.Call c = new HelperFuzz.Call("reorderBeams",
                List.of("caches", "beamIndex", "axis", "caches[0]", "caches[1]", "caches[2]"),
                arrays);
        c.mutation = mutation;
        c.extra = ", axis=" + badAxis + (listNull ? ", caches=null" : "");
        c.invalid = reorderBeamsInvalid(arrays, listNull, badAxis);
        int ax = badAxis;
        boolean noList = listNull;
        c.invoker = (scope, a) -> {
            NDList caches = null;
            if (!noList) {
                caches = new NDList();
                for (int i = 1; i < a.length; i++) {
                    if (a[i] != null && names[i - 1] != null) {
                        a[i].setName(names[i - 1]);
                    }
                    caches.add(a[i]);
                }
            }
            return Heads.reorderBeams(caches, a[0], ax);
        };
        c.judge = (scope, a, r) -> {
            if (r.length != count) {
                return r.length + " results for " + count + " caches";
            }
            for (int i = 0; i < count; i++) {
                Arr in = arrays[1 + i];
                int d = ax >= 0 ? ax : ax + in.rank();
                long[] shape = in.shape.clone(); // index_select: M entries along the axis
                shape[d] = arrays[0].size(0);
                double[] want = new double[Arr.numel(shape)];
                for (int f = 0; f < want.length; f++) {
                    int[] at = Arr.coords(shape, f);
                    at[d] = (int) arrays[0].data[at[d]];
                    want[f] = in.data[Arr.flat(in.shape, at)];
                }
                String failure = HelperFuzz.expect("result " + i, r[i], shape, in.type,
                        scope, want, 0);
                if (failure == null && !String.valueOf(names[i]).equals(
                        String.valueOf(r[i].getName()))) {
                    failure = "result " + i + " named " + r[i].getName() + ", expected " + names[i];
                }
                if (failure != null) {
                    return failure;
                }
            }
            return null;
        };
        return c;
    }

    private static String reorderBeamsInvalid(Arr[] arrays, boolean listNull, int axis) {
        Arr index = arrays[0];
        if (listNull || index == null) {
            return "null";
        }
        if (!INDEX_TYPES.contains(index.type) || index.rank() != 1) {
            return "beamIndex dtype or rank";
        }
        for (int i = 1; i < arrays.length; i++) {
            Arr cache = arrays[i];
            if (cache == null) {
                return "null cache";
            }
            if (cache.rank() == 0 || axis < -cache.rank() || axis >= cache.rank()) {
                return "axis for cache " + (i - 1);
            }
        }
        // every cache has the first one's size N along the axis; values lie in [0, N)
        long n = -1;
        for (int i = 1; i < arrays.length; i++) {
            Arr cache = arrays[i];
            long size = cache.size(axis >= 0 ? axis : axis + cache.rank());
            if (n >= 0 && size != n) {
                return "cache size";
            }
            n = size;
        }
        if (arrays.length > 1) { // an empty list gives an empty list: no cache reads a beam
            for (double v : index.data) {
                if (v < 0 || v >= n) {
                    return "beam value";
                }
            }
        }
        return null;
    }

    /** Small values of the dtype (0/1 for bool). */
    private static Arr values(SplittableRandom rnd, DataType type, long[] shape) {
        return type == DataType.BOOLEAN ? HelperFuzz.ints(rnd, type, shape, 0, 1)
                : HelperFuzz.ints(rnd, type, shape, -9, 9);
    }
}
