package io.djlgather.ext.nlp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.Arrays;
import java.util.List;

/** Bad input: IllegalArgumentException with "<op>: <argument>", never a native error. */
class NlpErrorsTest {

    private static NDManager manager;
    private static NDArray emissions;
    private static NDArray tr;
    private static NDArray st;
    private static NDArray en;

    @BeforeAll
    static void open() {
        manager = NDManager.newBaseManager(Device.cpu());
        emissions = manager.randomNormal(new Shape(2, 3, 4));
        tr = manager.zeros(new Shape(4, 4));
        st = manager.zeros(new Shape(4));
        en = manager.zeros(new Shape(4));
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    private static void fails(String prefix, String argument, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().startsWith(prefix + ": " + argument), e.getMessage());
        assertTrue(e.getMessage().contains("; expected "), e.getMessage());
    }

    private static NDArray tags(long... values) {
        return manager.create(values, new Shape(2, 3));
    }

    @Test
    void labelScores() {
        NDArray ok = tags(0, 1, 2, 3, 0, 1);
        fails("labelScores", "logits", () -> SequenceLabeling.labelScores(null, ok));
        fails("labelScores", "logits has the wrong rank",
                () -> SequenceLabeling.labelScores(manager.zeros(new Shape(2, 3)), ok));
        fails("labelScores", "logits must hold floating", () -> SequenceLabeling.labelScores(
                emissions.toType(DataType.INT32, false), ok));
        fails("labelScores", "labels must hold integers",
                () -> SequenceLabeling.labelScores(emissions, ok.toType(DataType.FLOAT32, false)));
        fails("labelScores", "labels has the wrong shape", () -> SequenceLabeling.labelScores(
                emissions, manager.zeros(new Shape(2, 4), DataType.INT64)));
        fails("labelScores", "labels is out of range",
                () -> SequenceLabeling.labelScores(emissions, tags(0, 1, 2, 4, 0, 1)));
        fails("labelScores", "labels is out of range",
                () -> SequenceLabeling.labelScores(emissions, tags(0, -1, 2, 3, 0, 1)));
    }

    @Test
    void tokenNllLoss() {
        TokenNllLoss loss = new TokenNllLoss();
        NDList logits = new NDList(emissions);
        fails("TokenNllLoss", "predictions", () -> loss.evaluate(new NDList(tags(0, 1, 2, 3, 0, 1)), new NDList()));
        fails("TokenNllLoss", "labels", () -> loss.evaluate(null, logits));
        fails("TokenNllLoss", "tags (labels[0]) is out of range",
                () -> loss.evaluate(new NDList(tags(0, 1, 2, 9, -100, 1)), logits));
        fails("TokenNllLoss", "mask (labels[1]) has the wrong shape", () -> loss.evaluate(
                new NDList(tags(0, 1, 2, 3, 0, 1), manager.ones(new Shape(3, 2))), logits));
    }

    @Test
    void crfFunctions() {
        NDArray mask = manager.ones(new Shape(2, 3), DataType.BOOLEAN);
        fails("logPartition", "emissions has the wrong rank", () -> CrfBlock.logPartition(
                manager.zeros(new Shape(3, 4)), mask, tr, st, en));
        fails("logPartition", "mask has the wrong shape", () -> CrfBlock.logPartition(
                emissions, manager.ones(new Shape(2, 4)), tr, st, en));
        fails("logPartition", "transitions has the wrong shape", () -> CrfBlock.logPartition(
                emissions, mask, manager.zeros(new Shape(4, 3)), st, en));
        fails("logPartition", "start", () -> CrfBlock.logPartition(emissions, mask, tr, null, en));
        fails("logPartition", "end has the wrong shape", () -> CrfBlock.logPartition(
                emissions, mask, tr, st, manager.zeros(new Shape(5))));
        fails("goldScore", "tags is out of range", () -> CrfBlock.goldScore(
                emissions, tags(0, 1, 4, 0, 0, 0), mask, tr, st, en));
        fails("goldScore", "tags must hold integers", () -> CrfBlock.goldScore(
                emissions, manager.zeros(new Shape(2, 3)), mask, tr, st, en));
        fails("viterbiDecode", "emissions must hold floating", () -> CrfBlock.viterbiDecode(
                manager.zeros(new Shape(2, 3, 4), DataType.INT64), mask, tr, st, en));
        fails("viterbiDecode", "crfOutput",
                () -> CrfBlock.viterbiDecode(new NDList(emissions, tr, st), mask));
        // an out-of-range tag at a padded step is never read
        NDArray padded = manager.create(new boolean[] {true, true, false, true, true, true},
                new Shape(2, 3));
        CrfBlock.goldScore(emissions, tags(0, 1, 99, 0, 0, 0), padded, tr, st, en);
        // C == 0: no tag path to score or decode, even when every step is padding
        NDArray noTags = manager.zeros(new Shape(2, 3, 0));
        NDArray none = manager.zeros(new Shape(2, 3), DataType.BOOLEAN);
        NDArray tr0 = manager.zeros(new Shape(0, 0));
        NDArray v0 = manager.zeros(new Shape(0));
        fails("viterbiDecode", "emissions has no tags",
                () -> CrfBlock.viterbiDecode(noTags, null, tr0, v0, v0));
        fails("goldScore", "emissions has no tags",
                () -> CrfBlock.goldScore(noTags, tags(-1, -1, -1, -1, -1, -1), none, tr0, v0, v0));
        fails("CrfLoss", "emissions has no tags", () -> new CrfLoss().evaluate(
                new NDList(tags(-1, -1, -1, -1, -1, -1), none), new NDList(noTags, tr0, v0, v0)));
        fails("TokenNllLoss", "logits (predictions[0]) has no tags", () -> new TokenNllLoss()
                .evaluate(new NDList(tags(-100, -100, -100, -100, -100, -100)), new NDList(noTags)));
        // logPartition stays defined: -inf with a real step, 0 without
        float[] z = CrfBlock.logPartition(noTags, padded.logicalAnd(tags(1, 1, 1, 0, 0, 0).eq(1)),
                tr0, v0, v0).toFloatArray();
        assertTrue(z[0] == Float.NEGATIVE_INFINITY && z[1] == 0f, Arrays.toString(z));
    }

    @Test
    void crfLoss() {
        CrfLoss loss = new CrfLoss();
        fails("CrfLoss", "predictions",
                () -> loss.evaluate(new NDList(tags(0, 1, 2, 3, 0, 1)), new NDList(emissions)));
        fails("CrfLoss", "labels", () -> loss.evaluate(new NDList(),
                new NDList(emissions, tr, st, en)));
        fails("CrfLoss", "tags is out of range", () -> loss.evaluate(
                new NDList(tags(0, 1, 2, 3, 0, -1)), new NDList(emissions, tr, st, en)));
    }

    @Test
    void builderAndBlock() {
        fails("CrfBlock.builder", "numTags", () -> CrfBlock.builder().build());
        fails("CrfBlock.builder", "allowedTransitions",
                () -> CrfBlock.builder().setNumTags(3)
                        .optAllowedTransitions(new boolean[2][3]).build());
        fails("CrfBlock.builder", "allowedTransitions[1]",
                () -> CrfBlock.builder().setNumTags(2)
                        .optAllowedTransitions(new boolean[][] {{true, true}, {true}}).build());
        fails("CrfBlock.builder", "allowedStart",
                () -> CrfBlock.builder().setNumTags(3).optAllowedStart(new boolean[2]).build());
        fails("CrfBlock.builder", "allowedEnd",
                () -> CrfBlock.builder().setNumTags(3).optAllowedEnd(new boolean[4]).build());
        fails("bioConstraints", "tagNames", () -> CrfBlock.bioConstraints(null));
        fails("bioStartConstraints", "tagNames[1]",
                () -> CrfBlock.bioStartConstraints(Arrays.asList("O", null)));

        CrfBlock block = CrfBlock.builder().setNumTags(3).build();
        assertThrows(IllegalStateException.class, () -> block.logPartition(
                manager.zeros(new Shape(1, 2, 3)), null));
        fails("CrfBlock", "emissions", () -> block.initialize(manager, DataType.FLOAT32,
                new Shape(2, 3, 4)));
        block.initialize(manager, DataType.FLOAT32, new Shape(2, 3, 3));
        fails("logPartition", "emissions has the wrong number of tags",
                () -> block.logPartition(emissions, null));
        fails("CrfBlock.forward", "inputs", () -> block.forward(new NDList()));
        fails("CrfBlock.forward", "emissions", () -> block.forward(new NDList(emissions)));
    }

    @Test
    void savedConstraintsRoundTripAndTagCountMustMatch() throws Exception {
        List<String> names = List.of("O", "B-A", "I-A");
        CrfBlock saved = CrfBlock.builder().setNumTags(3)
                .optAllowedTransitions(CrfBlock.bioConstraints(names))
                .optAllowedStart(CrfBlock.bioStartConstraints(names))
                .optAllowedEnd(new boolean[] {true, false, true})
                .build();
        saved.initialize(manager, DataType.FLOAT32, new Shape(1, 2, 3));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        saved.saveParameters(new DataOutputStream(bytes));

        CrfBlock loaded = CrfBlock.builder().setNumTags(3).build();
        loaded.loadParameters(manager,
                new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        assertArrayEquals(saved.getAllowedTransitions(), loaded.getAllowedTransitions());
        assertArrayEquals(saved.getAllowedStart(), loaded.getAllowedStart());
        assertArrayEquals(new boolean[] {true, false, true}, loaded.getAllowedEnd());
        assertArrayEquals(
                saved.getParameters().get("transitions").getArray().toFloatArray(),
                loaded.getParameters().get("transitions").getArray().toFloatArray());

        CrfBlock four = CrfBlock.builder().setNumTags(4).build();
        assertThrows(MalformedModelException.class, () -> four.loadParameters(manager,
                new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))));
    }
}
