package io.djlgather.ext.nlp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * Linear -&gt; CrfBlock (and Linear alone with TokenNllLoss) trained by DJL's Trainer and
 * EasyTrain.fit on a tiny synthetic tagging task; the CRF model then reloads through Criteria
 * with its constraints.
 */
class CrfTrainingTest {

    static final int N = 32;
    static final int T = 6;
    static final int V = 6;
    /** O, B-X, I-X: the tag of token v is v % 3, except that I-X never follows O. */
    static final List<String> TAGS = List.of("O", "B-X", "I-X");

    /** One-hot tokens [N,T,V], tags [N,T] and a mask [N,T] (half right-, half left-padded). */
    static NDList data(NDManager manager) {
        Random random = new Random(42);
        float[] x = new float[N * T * V];
        long[] tags = new long[N * T];
        boolean[] mask = new boolean[N * T];
        for (int n = 0; n < N; n++) {
            int length = 3 + random.nextInt(T - 2);
            int offset = n % 2 == 0 ? 0 : T - length;
            long previous = 0;
            for (int t = 0; t < T; t++) {
                int k = n * T + t;
                boolean real = t >= offset && t < offset + length;
                mask[k] = real;
                int token = random.nextInt(V);
                x[k * V + token] = 1;
                long tag = token % 3;
                if (tag == 2 && (previous == 0 || t == offset)) {
                    tag = 1; // keep the gold paths BIO-valid
                }
                tags[k] = real ? tag : -100;
                if (real) {
                    previous = tag;
                }
            }
        }
        return new NDList(manager.create(x, new Shape(N, T, V)),
                manager.create(tags, new Shape(N, T)), manager.create(mask, new Shape(N, T)));
    }

    /**
     * Linear, tanh, linear, CRF. Not a lone linear layer: DJL's Trainer rejects a first step whose
     * gradients sum to exactly 0f, and under a CRF (or softmax) loss the last linear layer's and
     * the CRF's own gradients sum to 0 mathematically (marginals minus gold counts), so with a
     * lone linear layer float rounding alone decided whether training started.
     */
    static SequentialBlock crfModel(CrfBlock crf) {
        return new SequentialBlock()
                .add(Linear.builder().setUnits(8).build())
                .add(Activation::tanh)
                .add(Linear.builder().setUnits(3).build())
                .add(crf);
    }

    static CrfBlock bioCrf() {
        return CrfBlock.builder().setNumTags(3)
                .optAllowedTransitions(CrfBlock.bioConstraints(TAGS))
                .optAllowedStart(CrfBlock.bioStartConstraints(TAGS))
                .build();
    }

    private static float loss(Trainer trainer, Loss loss, NDList data, NDList labels) {
        return loss.evaluate(labels, trainer.forward(data)).getFloat();
    }

    private static ArrayDataset dataset(NDList all) {
        return new ArrayDataset.Builder().setData(all.get(0)).optLabels(all.get(1), all.get(2))
                .setSampling(8, true).build();
    }

    private static Trainer trainer(Model model, Loss loss, float rate) {
        DefaultTrainingConfig config = new DefaultTrainingConfig(loss)
                .optOptimizer(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(rate)).build());
        Trainer trainer = model.newTrainer(config);
        trainer.initialize(new Shape(8, T, V));
        return trainer;
    }

    @Test
    void crfLossFallsUnderEasyTrainAndTheModelReloadsWithItsConstraints(@TempDir Path dir)
            throws Exception {
        CrfBlock crf = bioCrf();
        try (Model model = Model.newInstance("crf")) {
            model.setBlock(crfModel(crf));
            NDManager manager = model.getNDManager();
            NDList all = data(manager);
            NDList x = new NDList(all.get(0));
            NDList labels = new NDList(all.get(1), all.get(2));
            long[][] trainedPaths;
            try (Trainer trainer = trainer(model, new CrfLoss(), 0.5f)) {
                float before = loss(trainer, new CrfLoss(), x, labels);
                // 10 epochs of 4 batches: 40 SGD steps
                EasyTrain.fit(trainer, 10, dataset(all), null);
                float after = loss(trainer, new CrfLoss(), x, labels);
                assertTrue(after < 0.25f * before,
                        "CRF NLL should fall by 75%: before " + before + ", after " + after);
                NDList out = trainer.forward(x);
                try (CrfBlock.Decoded decoded = CrfBlock.viterbiDecode(out, all.get(2))) {
                    trainedPaths = decoded.toJavaPaths();
                }
            }
            // token accuracy of the decoded paths against the gold tags
            long[] gold = all.get(1).toLongArray();
            int right = 0;
            int total = 0;
            for (int n = 0; n < N; n++) {
                int k = 0;
                for (int t = 0; t < T; t++) {
                    if (gold[n * T + t] >= 0) {
                        right += trainedPaths[n][k++] == gold[n * T + t] ? 1 : 0;
                        total++;
                    }
                }
                assertEquals(k, trainedPaths[n].length);
            }
            assertTrue(right >= 0.95 * total, right + " of " + total + " tags right");
            model.save(dir, "crf");

            // Rebuild with no constraints: loading restores the saved ones.
            CrfBlock fresh = CrfBlock.builder().setNumTags(3).build();
            Criteria<NDList, NDList> criteria = Criteria.builder()
                    .setTypes(NDList.class, NDList.class)
                    .optModelPath(dir)
                    .optModelName("crf")
                    .optBlock(crfModel(fresh))
                    .optEngine("PyTorch")
                    .build();
            try (ZooModel<NDList, NDList> loaded = criteria.loadModel();
                    Predictor<NDList, NDList> predictor = loaded.newPredictor()) {
                assertArrayEquals(CrfBlock.bioConstraints(TAGS), fresh.getAllowedTransitions());
                assertArrayEquals(CrfBlock.bioStartConstraints(TAGS), fresh.getAllowedStart());
                NDList out = predictor.predict(new NDList(all.get(0)));
                NDArray mask = out.get(0).getManager().create(all.get(2).toBooleanArray(),
                        all.get(2).getShape());
                try (CrfBlock.Decoded decoded = CrfBlock.viterbiDecode(out, mask)) {
                    assertArrayEquals(trainedPaths, decoded.toJavaPaths());
                }
            }
        }
    }

    @Test
    void tokenNllLossFallsUnderEasyTrain() throws Exception {
        try (Model model = Model.newInstance("tagger")) {
            // two layers, not one: see crfModel
            Block block = new SequentialBlock()
                    .add(Linear.builder().setUnits(8).build())
                    .add(Activation::tanh)
                    .add(Linear.builder().setUnits(3).build());
            model.setBlock(block);
            NDManager manager = model.getNDManager();
            NDList all = data(manager);
            NDList x = new NDList(all.get(0));
            // ignore-label form: padded tags are -100 already; the mask rides along too
            NDList labels = new NDList(all.get(1));
            try (Trainer trainer = trainer(model, new TokenNllLoss(), 1f)) {
                float before = loss(trainer, new TokenNllLoss(), x, labels);
                EasyTrain.fit(trainer, 10, dataset(all), null);
                float after = loss(trainer, new TokenNllLoss(), x, labels);
                assertTrue(after < 0.5f * before,
                        "token NLL should halve: before " + before + ", after " + after);
            }
        }
    }
}
