package io.djlgather.ext.nlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.translate.NoopTranslator;
import ai.djl.util.PairList;
import io.djlgather.ext.GatherOps;

import org.junit.jupiter.api.Test;

import java.util.Random;

/**
 * The ordinary DJL lifecycles with a block that gathers from its own parameter (an embedding
 * table read with {@link GatherOps#indexSelect}) under a {@link CrfBlock} and {@link CrfLoss}: a
 * Trainer over several epochs and a Predictor over many requests leave the model's manager (and
 * everything under it) with the same number of arrays once the first epoch or request has
 * settled the caches. Before the ownership rule, every request left its embeddings and the CRF's
 * constrained parameters in the model's manager, and every batch its autograd graph.
 */
class LifecycleTest {

    static final int V = 20;
    static final int E = 6;
    static final int C = 3;
    static final int T = 5;
    static final int N = 48;

    /** ids [B,T] int64 -&gt; embeddings [B,T,E], by indexSelect from the table parameter. */
    static final class Embed extends AbstractBlock {
        private final Parameter table;

        Embed() {
            super((byte) 1);
            table = addParameter(Parameter.builder().setName("table")
                    .setType(Parameter.Type.WEIGHT).optShape(new Shape(V, E))
                    .optInitializer(new NormalInitializer(0.5f)).build());
        }

        @Override
        protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                PairList<String, Object> params) {
            NDArray ids = inputs.head();
            NDArray weights = store.getValue(table, ids.getDevice(), training);
            // the table is the model's; the result belongs to the ids' (request's) manager
            NDArray rows = GatherOps.indexSelect(weights, 0, ids.flatten());
            return new NDList(rows.reshape(ids.getShape().get(0), ids.getShape().get(1), E));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return new Shape[] {new Shape(inputShapes[0].get(0), inputShapes[0].get(1), E)};
        }
    }

    static SequentialBlock tagger() {
        return new SequentialBlock()
                .add(new Embed())
                .add(Linear.builder().setUnits(C).build())
                .add(CrfBlock.builder().setNumTags(C)
                        .optAllowedTransitions(CrfBlock.bioConstraints(
                                java.util.List.of("O", "B-X", "I-X")))
                        .build());
    }

    /** ids [N,T] and tags [N,T]: tag = id % 3, with I-X only after B-X or I-X. */
    static NDList data(NDManager manager) {
        Random random = new Random(7);
        long[] ids = new long[N * T];
        long[] tags = new long[N * T];
        for (int n = 0; n < N; n++) {
            long previous = 0;
            for (int t = 0; t < T; t++) {
                int id = random.nextInt(V);
                long tag = id % 3;
                if (tag == 2 && previous == 0) {
                    tag = 1;
                }
                ids[n * T + t] = id;
                tags[n * T + t] = tag;
                previous = tag;
            }
        }
        return new NDList(manager.create(ids, new Shape(N, T)),
                manager.create(tags, new Shape(N, T)));
    }

    /** The CRF loss on all the data, computed in a manager closed at once. */
    static float loss(Trainer trainer, NDList all) {
        try (NDManager scope = trainer.getManager().newSubManager()) {
            NDList x = new NDList(all.get(0).duplicate());
            x.attach(scope);
            NDList y = new NDList(all.get(1).duplicate());
            y.attach(scope);
            return new CrfLoss().evaluate(y, trainer.forward(x)).getFloat();
        }
    }

    static int arrays(Model model) {
        return model.getNDManager().getManagedArrays().size();
    }

    @Test
    void trainerEpochsLeaveTheModelsManagerAsTheFirstEpochLeftIt() throws Exception {
        try (Model model = Model.newInstance("lifecycle");
                NDManager data = NDManager.newBaseManager()) {
            model.setBlock(tagger());
            NDList all = data(data);
            ArrayDataset dataset = new ArrayDataset.Builder().setData(all.get(0))
                    .optLabels(all.get(1)).setSampling(8, true).build();
            DefaultTrainingConfig config = new DefaultTrainingConfig(new CrfLoss())
                    .optOptimizer(Optimizer.adam()
                            .optLearningRateTracker(Tracker.fixed(0.05f)).build());
            int[] counts = new int[5];
            float first;
            float last;
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(8, T));
                first = loss(trainer, all);
                EasyTrain.fit(trainer, 1, dataset, null);
                counts[0] = arrays(model);
                for (int epoch = 1; epoch < 5; epoch++) {
                    EasyTrain.fit(trainer, 1, dataset, null);
                    counts[epoch] = arrays(model);
                }
                last = loss(trainer, all);
            }
            for (int epoch = 1; epoch < 5; epoch++) {
                assertEquals(counts[0], counts[epoch],
                        "model manager's arrays after epoch " + (epoch + 1) + " vs epoch 1");
            }
            // the loop really trained (so the steps above ran forward and backward)
            assertTrue(last < first, "CRF loss should fall: " + first + " -> " + last);
        }
    }

    @Test
    void predictorRequestsLeaveTheModelsManagerAsTheFirstRequestsLeftIt() throws Exception {
        try (Model model = Model.newInstance("lifecycle")) {
            model.setBlock(tagger());
            model.getBlock().initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, T));
            Random random = new Random(11);
            int settled = -1;
            try (Predictor<NDList, NDList> predictor = model.newPredictor(new NoopTranslator())) {
                for (int request = 1; request <= 2000; request++) {
                    try (NDManager client = NDManager.newBaseManager()) {
                        int batch = 1 + random.nextInt(3);
                        int steps = 1 + random.nextInt(8);
                        long[] ids = new long[batch * steps];
                        for (int i = 0; i < ids.length; i++) {
                            ids[i] = random.nextInt(V);
                        }
                        // the caller's own manager, unrelated to the model's (NoopTranslator
                        // hands the arrays through): the parameters must not keep the results
                        try (NDList out = predictor.predict(
                                new NDList(client.create(ids, new Shape(batch, steps))))) {
                            assertEquals(4, out.size());
                            assertEquals(new Shape(batch, steps, C), out.get(0).getShape());
                        }
                    }
                    if (request == 100) {
                        settled = arrays(model);
                    }
                }
                assertEquals(settled, arrays(model),
                        "model manager's arrays after 2,000 requests vs after 100");
            }
        }
    }
}
