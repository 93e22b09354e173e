package io.djlgather.ext;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.djlgather.ext.attention.Heads;
import io.djlgather.ext.cv.OutOfBounds;
import io.djlgather.ext.cv.Padding;
import io.djlgather.ext.cv.PixelGather;
import io.djlgather.ext.nlp.CrfBlock;
import io.djlgather.ext.nlp.SequenceLabeling;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The README's quickstart, run as written, with the values it states. */
class ReadmeExampleTest {

    @Test
    void quickstartPrintsWhatTheReadmeSays() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray scores = manager.arange(24f).reshape(new Shape(2, 3, 4));
            NDArray labels = manager.create(new long[] {1, 0, 3, 2, 2, 0}, new Shape(2, 3, 1));
            NDArray gold = GatherOps.gather(scores, -1, labels);
            assertEquals(new Shape(2, 3, 1), gold.getShape());
            // scores[b][t][c] = 12b + 4t + c
            assertArrayEquals(new float[] {1, 4, 11, 14, 18, 20}, gold.toFloatArray());

            NDArray src = manager.create(new float[] {1, 2, 3, 4});
            NDArray cls = manager.create(new long[] {0, 2, 2, 1});
            NDArray sums = GatherOps.scatterAdd(manager.zeros(new Shape(3)), 0, cls, src);
            assertArrayEquals(new float[] {1, 4, 5}, sums.toFloatArray());

            NDArray max = GatherOps.scatterReduce(
                    manager.zeros(new Shape(3)), 0, cls, src, Reduction.AMAX, false);
            assertArrayEquals(new float[] {1, 4, 3}, max.toFloatArray());
        }
    }

    @Test
    void theReadmesErrorMessageIsTheRealOne() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray src = manager.create(new float[] {1, 2, 3, 4});
            NDArray bad = manager.create(new long[] {0, 2, 7, 1});
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> GatherOps.scatterAdd(manager.zeros(new Shape(3)), 0, bad, src));
            assertEquals("scatterAdd: index is out of range along axis 0; expected values in"
                    + " [0, 3), got 7 (index values span [0, 7])", e.getMessage());
        }
    }

    @Test
    void sequenceLabelingExample() {
        try (NDManager manager = NDManager.newBaseManager()) {
            // logits [B=1, T=3, C=3], gold labels [B, T]
            NDArray logits = manager.arange(9f).reshape(new Shape(1, 3, 3));
            NDArray labels = manager.create(new long[] {2, 0, 1}, new Shape(1, 3));
            NDArray gold = SequenceLabeling.labelScores(logits, labels);
            assertArrayEquals(new float[] {2, 3, 7}, gold.toFloatArray());

            List<String> tags = List.of("O", "B-PER", "I-PER");
            CrfBlock crf = CrfBlock.builder()
                    .setNumTags(tags.size())
                    .optAllowedTransitions(CrfBlock.bioConstraints(tags))
                    .optAllowedStart(CrfBlock.bioStartConstraints(tags))
                    .build();
            crf.initialize(manager, ai.djl.ndarray.types.DataType.FLOAT32, new Shape(1, 3, 3));
            // emissions that prefer I-PER everywhere: the constraints forbid starting with it
            NDArray emissions = manager.create(
                    new float[] {0, 1, 5, 0, 1, 5, 0, 1, 5}, new Shape(1, 3, 3));
            NDArray mask = manager.ones(new Shape(1, 3));
            try (CrfBlock.Decoded best = crf.viterbiDecode(emissions, mask)) {
                assertArrayEquals(new long[] {1, 2, 2}, best.toJavaPaths()[0]); // B-PER I-PER I-PER
            }
        }
    }

    @Test
    void keypointExample() {
        try (NDManager manager = NDManager.newBaseManager()) {
            // features [B=1, C=2, H=2, W=3]: channel c holds 10c + 3y + x
            NDArray features = manager.arange(6f).reshape(new Shape(1, 1, 2, 3));
            features = features.concat(features.add(10), 1);
            NDArray coords = manager.create(new long[] {1, 2, 0, 5}, new Shape(1, 2, 2)); // (y, x)
            NDArray atPixels = PixelGather.gatherPixels(features, coords, OutOfBounds.CLAMP);
            // (1, 2) -> 5; (0, 5) is clamped to (0, 2) -> 2
            assertArrayEquals(new float[] {5, 15, 2, 12}, atPixels.toFloatArray());

            NDArray points = manager.create(new float[] {0.5f, 0.5f}, new Shape(1, 1, 2)); // (x, y)
            NDArray subPixel = PixelGather.sampleBilinear(features, points, Padding.BORDER);
            // the mean of pixels 0, 1, 3, 4
            assertArrayEquals(new float[] {2f, 12f}, subPixel.toFloatArray(), 1e-6f);
        }
    }

    @Test
    void attentionExample() {
        try (NDManager manager = NDManager.newBaseManager()) {
            // attn [B=1, H=2, T=2, D=1]: attn[0][h][t][0] = 10h + t
            NDArray attn = manager.create(new float[] {0, 1, 10, 11}, new Shape(1, 2, 2, 1));
            NDArray heads = manager.create(new long[] {1, 0}, new Shape(1, 2));
            NDArray perToken = Heads.selectHeads(attn, heads); // out[b][t][d] = attn[b][heads[b][t]][t][d]
            assertArrayEquals(new float[] {10, 1}, perToken.toFloatArray());

            NDList caches = new NDList(manager.create(new float[] {0, 1, 2}, new Shape(3, 1)));
            NDList reordered = Heads.reorderBeams(caches, manager.create(new long[] {2, 2, 0}), 0);
            assertArrayEquals(new float[] {2, 2, 0}, reordered.get(0).toFloatArray());
        }
    }
}
