package io.djlgather.ext;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.djlgather.ext.attention.Heads;
import io.djlgather.ext.cv.OutOfBounds;
import io.djlgather.ext.cv.Padding;
import io.djlgather.ext.cv.PixelGather;
import io.djlgather.ext.nlp.CrfBlock;
import io.djlgather.ext.nlp.CrfLoss;
import io.djlgather.ext.nlp.SequenceLabeling;
import io.djlgather.ext.nlp.TokenNllLoss;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.function.BiFunction;
import java.util.stream.Stream;

/**
 * The result-manager rule of {@link GatherOps}' class doc, for every op and helper: with the
 * long-lived array (a parameter) in a "model" manager and the request's arrays in a descendant
 * "request" manager, every result belongs to the request, and the model's manager holds exactly
 * the arrays it held before (no result, no temporary). Unrelated managers: the input's. An
 * explicit manager: that one.
 */
class OwnershipTest {

    private NDManager root;
    private NDManager model;
    private NDManager request;

    @BeforeEach
    void managers() {
        root = NDManager.newBaseManager();
        model = root.newSubManager();
        request = model.newSubManager();
    }

    @AfterEach
    void close() {
        root.close();
    }

    /** Arrays attached to {@code manager} itself, not to its sub-managers. */
    static int own(NDManager manager, NDManager child) {
        return manager.getManagedArrays().size() - child.getManagedArrays().size();
    }

    /** (name, the call: model-side arrays made in the first manager, request-side in the second). */
    static Stream<Arguments> calls() {
        List<Arguments> cases = List.of(
                call("gather", (m, r) -> new NDList(GatherOps.gather(
                        m.table, 1, r.create(new long[] {2, 0, 1, 1}, new Shape(2, 2))))),
                call("gather int32", (m, r) -> new NDList(GatherOps.gather(
                        m.table, 1, r.create(new int[] {2, 0, 1, 1}, new Shape(2, 2))))),
                call("scatter", (m, r) -> new NDList(GatherOps.scatter(
                        m.table, 0, r.create(new long[] {1, 0, 0}, new Shape(1, 3)),
                        r.create(new float[] {7, 8, 9}, new Shape(1, 3))))),
                call("scatter value", (m, r) -> new NDList(GatherOps.scatter(
                        m.table, 0, r.create(new long[] {1, 0, 0}, new Shape(1, 3)), 5f))),
                call("scatterAdd", (m, r) -> new NDList(GatherOps.scatterAdd(
                        m.table, 0, r.create(new long[] {1, 0, 0}, new Shape(1, 3)),
                        r.create(new float[] {7, 8, 9}, new Shape(1, 3))))),
                call("scatterReduce", (m, r) -> new NDList(GatherOps.scatterReduce(
                        m.table, 0, r.create(new long[] {1, 0, 0}, new Shape(1, 3)),
                        r.create(new float[] {7, 8, 9}, new Shape(1, 3)), Reduction.AMAX,
                        true))),
                call("takeAlongAxis", (m, r) -> new NDList(GatherOps.takeAlongAxis(
                        m.table, r.create(new int[] {2, 0}, new Shape(1, 2)), 1))),
                call("indexSelect", (m, r) -> new NDList(GatherOps.indexSelect(
                        m.table, 0, r.create(new long[] {1, 1, 0})))),
                call("indexSelect int32", (m, r) -> new NDList(GatherOps.indexSelect(
                        m.table, 0, r.create(new int[] {1, 1, 0})))),
                call("gather CLIP", (m, r) -> new NDList(GatherOps.gather(
                        m.table, 1, r.create(new long[] {9, 0, -1, 1}, new Shape(2, 2)),
                        IndexMode.CLIP))),
                call("indexSelect FILL", (m, r) -> new NDList(GatherOps.indexSelect(
                        m.table, 0, r.create(new int[] {1, 7, 0}), IndexMode.fill(0)))),
                call("scatterAdd DROP", (m, r) -> new NDList(GatherOps.scatterAdd(
                        m.table, 0, r.create(new long[] {1, 5, 0}, new Shape(1, 3)),
                        r.create(new float[] {7, 8, 9}, new Shape(1, 3)), IndexMode.DROP))),
                call("scatter DROP", (m, r) -> new NDList(GatherOps.scatter(
                        m.table, 1, r.create(new long[] {1, 5}, new Shape(1, 2)),
                        r.create(new float[] {7, 8}, new Shape(1, 2)), IndexMode.DROP))),
                call("put DROP", (m, r) -> new NDList(GatherOps.put(
                        m.table, r.create(new long[] {5, 60}), r.create(new float[] {1, 2}),
                        false, IndexMode.DROP))),
                call("gatherNd", (m, r) -> new NDList(GatherOps.gatherNd(
                        m.table, r.create(new long[] {1, 2, 0, 0}, new Shape(2, 2))))),
                call("gatherNd FILL", (m, r) -> new NDList(GatherOps.gatherNd(
                        m.table, r.create(new long[] {1, 9}, new Shape(1, 2)), 0,
                        IndexMode.fill(-1)))),
                call("indexAdd", (m, r) -> new NDList(GatherOps.indexAdd(
                        m.table, 1, r.create(new long[] {2}),
                        r.create(new float[] {1, 1}, new Shape(2, 1)), 3))),
                call("indexCopy", (m, r) -> new NDList(GatherOps.indexCopy(
                        m.table, 1, r.create(new long[] {2}),
                        r.create(new float[] {1, 1}, new Shape(2, 1))))),
                call("indexFill", (m, r) -> new NDList(GatherOps.indexFill(
                        m.table, 1, r.create(new long[] {0, 2}), -1f))),
                call("indexReduce", (m, r) -> new NDList(GatherOps.indexReduce(
                        m.table, 1, r.create(new long[] {2}),
                        r.create(new float[] {9, 9}, new Shape(2, 1)), Reduction.AMIN, true))),
                call("take", (m, r) -> new NDList(GatherOps.take(
                        m.table, r.create(new long[] {5, -1, 0})))),
                call("put", (m, r) -> new NDList(GatherOps.put(
                        m.table, r.create(new long[] {5, 0}), r.create(new float[] {1, 2}),
                        false))),
                call("put accumulate", (m, r) -> new NDList(GatherOps.put(
                        m.table, r.create(new long[] {5, 5}), r.create(new float[] {1, 2}),
                        true))),
                call("labelScores", (m, r) -> new NDList(SequenceLabeling.labelScores(
                        m.scores, r.create(new long[] {0, 1, 2, 1}, new Shape(1, 4))))),
                call("TokenNllLoss", (m, r) -> new NDList(new TokenNllLoss().evaluate(
                        new NDList(r.create(new int[] {0, 1, 2, 1}, new Shape(1, 4))),
                        new NDList(m.scores)))),
                call("CrfBlock.logPartition", (m, r) -> new NDList(CrfBlock.logPartition(
                        scores(r), null, m.transitions, m.zero3,
                        m.zero3))),
                call("CrfBlock.goldScore", (m, r) -> new NDList(CrfBlock.goldScore(
                        scores(r), r.create(new long[] {0, 1, 2, 1}, new Shape(1, 4)),
                        r.create(new boolean[] {true, true, true, false}, new Shape(1, 4)),
                        m.transitions, m.zero3,
                        m.zero3))),
                call("CrfBlock.viterbiDecode", (m, r) -> {
                    CrfBlock.Decoded d = CrfBlock.viterbiDecode(scores(r), null,
                            m.transitions, m.zero3,
                            m.zero3);
                    return new NDList(d.paths(), d.scores());
                }),
                call("CrfLoss", (m, r) -> new NDList(new CrfLoss().evaluate(
                        new NDList(r.create(new long[] {0, 1, 2, 1}, new Shape(1, 4))),
                        new NDList(scores(r), m.transitions, m.zero3,
                                m.zero3)))),
                call("selectHeads", (m, r) -> new NDList(Heads.selectHeads(
                        m.attn,
                        r.create(new long[] {1, 0}, new Shape(1, 2))))),
                call("reorderBeams", (m, r) -> Heads.reorderBeams(
                        new NDList(m.table, m.lengths), r.create(new int[] {1, 1}), 0)),
                call("gatherPixels", (m, r) -> new NDList(PixelGather.gatherPixels(
                        m.features,
                        r.create(new int[] {0, 0, 2, 3}, new Shape(1, 2, 2))))),
                call("gatherPixels ZERO", (m, r) -> new NDList(PixelGather.gatherPixels(
                        m.features,
                        r.create(new int[] {0, 0, 9, 3}, new Shape(1, 2, 2)),
                        OutOfBounds.ZERO))),
                call("sampleBilinear", (m, r) -> new NDList(PixelGather.sampleBilinear(
                        m.features,
                        r.create(new float[] {0.5f, 0.5f, 2f, 1f}, new Shape(1, 2, 2)),
                        Padding.ZEROS))),
                call("sampleBilinear masked", (m, r) -> new NDList(PixelGather.sampleBilinear(
                        m.features,
                        r.create(new float[] {0.5f, 0.5f, 2f, 1f}, new Shape(1, 2, 2)),
                        r.create(new boolean[] {true, false}, new Shape(1, 2)),
                        Padding.BORDER))));
        return cases.stream();
    }

    static Arguments call(String name, BiFunction<Params, NDManager, NDList> body) {
        return Arguments.of(name, body);
    }

    /** [2,3] float32 0..5, the "parameter". */
    static NDArray table(NDManager manager) {
        return manager.arange(6f).reshape(2, 3);
    }

    /** [1,4,3] float32 scores. */
    static NDArray scores(NDManager manager) {
        return manager.arange(12f).reshape(1, 4, 3).div(4);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("calls")
    void resultsBelongToTheRequest(String name, BiFunction<Params, NDManager, NDList> body) {
        Params params = new Params(model);
        int before = own(model, request);
        NDList results = body.apply(params, request);
        for (NDArray result : results) {
            assertSame(request, result.getManager(), name + ": result's manager");
        }
        assertEquals(before, own(model, request),
                name + ": arrays left in the model's manager");
        results.close();
        // a second request leaves the model's manager as it was too (caches settle at once)
        NDManager second = model.newSubManager();
        body.apply(params, second);
        second.close();
        assertEquals(before, own(model, request), name + ": after a second request");
    }

    /** The long-lived arrays, all in the model's manager. */
    static final class Params {
        final NDArray table;
        final NDArray scores;
        final NDArray transitions;
        final NDArray zero3;
        final NDArray attn;
        final NDArray lengths;
        final NDArray features;

        Params(NDManager m) {
            table = OwnershipTest.table(m);
            scores = OwnershipTest.scores(m);
            transitions = m.ones(new Shape(3, 3));
            zero3 = m.zeros(new Shape(3));
            attn = m.arange(16f).reshape(1, 2, 2, 4);
            lengths = m.arange(2f);
            features = m.arange(24f).reshape(1, 2, 3, 4);
        }
    }

    @Test
    void siblingsGiveTheInputsManager() {
        NDManager other = model.newSubManager();
        NDArray input = table(request);
        NDArray index = other.create(new long[] {1, 0});
        NDArray out = GatherOps.indexSelect(input, 0, index);
        assertSame(request, out.getManager());
        assertArrayEquals(new float[] {3, 4, 5, 0, 1, 2}, out.toFloatArray());
    }

    @Test
    void unrelatedManagersGiveTheRequestDataNotTheParameter() {
        // DJL's NoopTranslator pattern: the caller's arrays come from a manager of its own,
        // unrelated to the model's; the parameter (it requires gradient) must not keep the result
        try (NDManager client = NDManager.newBaseManager()) {
            NDArray tab = table(model);
            tab.setRequiresGradient(true);
            int before = own(model, request);
            NDArray ids = client.create(new long[] {1, 0});
            NDArray rows = GatherOps.indexSelect(tab, 0, ids);
            assertSame(client, rows.getManager());
            assertArrayEquals(new float[] {3, 4, 5, 0, 1, 2}, rows.toFloatArray());
            assertSame(client, GatherOps.gather(tab, 0,
                    client.create(new long[] {1, 0, 1}, new Shape(1, 3))).getManager());
            assertEquals(before, own(model, request));
            // neither requires gradient: the input's manager, as DJL's own ops do
            NDArray plain = table(model);
            assertSame(model, GatherOps.indexSelect(plain, 0, ids).getManager());
        }
    }

    @Test
    void anOlderIndexLeavesTheResultWithTheInput() {
        // the index is the long-lived array here (a fixed permutation), the input the request's
        NDArray permutation = model.create(new long[] {1, 0});
        NDArray input = table(request);
        int before = own(model, request);
        NDArray out = GatherOps.indexSelect(input, 0, permutation);
        assertSame(request, out.getManager());
        assertEquals(before, own(model, request));
    }

    @Test
    void explicitManagerWins() {
        NDManager chosen = root.newSubManager();
        NDArray ids = request.create(new long[] {1});
        NDArray tab = table(model);
        assertSame(chosen, GatherOps.indexSelect(chosen, tab, 0, ids).getManager());
        assertSame(chosen, GatherOps.gather(chosen, tab, 0,
                request.create(new long[] {1, 0, 1}, new Shape(1, 3))).getManager());
        assertSame(chosen, GatherOps.takeAlongAxis(chosen, tab,
                request.create(new long[] {2}, new Shape(1, 1)), 1).getManager());
        NDArray taken = GatherOps.take(chosen, tab, request.create(new long[] {4}));
        assertSame(chosen, taken.getManager());
        assertArrayEquals(new float[] {4}, taken.toFloatArray());
        // null keeps the rule
        assertSame(request, GatherOps.indexSelect(null, tab, 0, ids).getManager());
    }

    @Test
    void aFailedCallLeavesNothingBehind() {
        NDArray tab = table(model);
        NDArray bad = request.create(new int[] {0, 7});
        int modelBefore = own(model, request);
        int requestBefore = request.getManagedArrays().size();
        for (int i = 0; i < 20; i++) {
            assertThrows(IllegalArgumentException.class,
                    () -> GatherOps.indexSelect(tab, 0, bad));
            assertThrows(IllegalArgumentException.class,
                    () -> GatherOps.scatterAdd(tab, 0,
                            request.create(new int[] {5}, new Shape(1, 1)),
                            request.ones(new Shape(1, 1))));
        }
        assertEquals(modelBefore, own(model, request));
        // the scatterAdd arguments above are the test's own: 2 per iteration
        assertEquals(requestBefore + 40, request.getManagedArrays().size());
    }

    @Test
    void crfBlockForwardLeavesTheModelsManagerAlone() {
        CrfBlock crf = CrfBlock.builder().setNumTags(3)
                .optAllowedTransitions(CrfBlock.bioConstraints(List.of("O", "B-X", "I-X")))
                .optAllowedStart(CrfBlock.bioStartConstraints(List.of("O", "B-X", "I-X")))
                .build();
        crf.initialize(model, DataType.FLOAT32, new Shape(1, 4, 3));
        // the first call builds the penalties once, in the parameters' manager
        crf.forward(new NDList(scores(request))).close();
        crf.logPartition(scores(request), null).close();
        int settled = own(model, request);
        for (int i = 0; i < 50; i++) {
            NDList out = crf.forward(new NDList(scores(request)));
            for (NDArray a : out) {
                assertSame(request, a.getManager());
            }
            crf.logPartition(scores(request), null);
            crf.goldScore(scores(request), request.zeros(new Shape(1, 4), DataType.INT64), null);
            crf.viterbiDecode(scores(request), null);
        }
        assertEquals(settled, own(model, request));
        // forbidden I-X after O is penalized in the constrained transitions
        NDList out = crf.forward(new NDList(scores(request)));
        float[] tr = out.get(1).toFloatArray();
        float[] raw = crf.getParameters().get("transitions").getArray().toFloatArray();
        assertEquals(raw[0 * 3 + 2] + (float) CrfBlock.FORBIDDEN, tr[0 * 3 + 2], 1e-3);
        assertEquals(raw[1 * 3 + 2], tr[1 * 3 + 2], 0f);
    }
}
