package io.djlgather.ext.reliability;

import ai.djl.Device;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.djlgather.ext.nlp.CrfLoss;
import io.djlgather.ext.nlp.TokenNllLoss;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Random calls of the sequence-labeling losses' {@code evaluate}, valid and invalid, with
 * float16, bfloat16, float32 and float64 inputs: {@link TokenNllLoss} (default and custom ignore labels, with and without a mask; reference: naive
 * log-softmax loops) and {@link CrfLoss} (the problems of {@link CrfFuzzTest}; reference: brute
 * force). Judged by {@link HelperFuzz}. Cases: {@code -Ddjlgather.reliability.cases} (a
 * sixth of it here).
 */
class LossesFuzzTest {

    @Test
    void lossesMatchTheReferenceOrFailWithTheirOwnError() {
        int cases = HelperFuzz.cases(6);
        HelperFuzz.Tally tally = new HelperFuzz.Tally("losses");
        try (NDManager base = NDManager.newBaseManager(Device.cpu())) {
            for (long i = 0; i < cases; i++) {
                SplittableRandom rnd = HelperFuzz.random(19, i);
                tally.run(base, i, rnd.nextBoolean() ? tokenNll(rnd) : crfLoss(rnd));
            }
        }
        tally.report();
    }

    // ---------------------------------------------------------------------------------------
    // TokenNllLoss

    static HelperFuzz.Call tokenNll(SplittableRandom rnd) {
        int b = rnd.nextInt(4);
        int t = rnd.nextInt(5);
        int c = rnd.nextInt(8) == 0 ? 0 : 1 + rnd.nextInt(4);
        int form = rnd.nextInt(3);
        int ignore = form < 2 ? TokenNllLoss.DEFAULT_IGNORE_LABEL
                : List.of(-1, 0, 2, 7).get(rnd.nextInt(4));
        Arr logits = HelperFuzz.floats(rnd, HelperFuzz.pick(rnd, CrfFuzzTest.FLOATS),
                new long[] {b, t, c}, -3, 3);
        Arr mask = rnd.nextBoolean() ? null : CrfFuzzTest.mask(rnd, b, t);
        double[] tags = new double[b * t];
        for (int f = 0; f < tags.length; f++) {
            boolean masked = mask != null && mask.data[f] == 0;
            tags[f] = rnd.nextInt(5) == 0 || c == 0 ? ignore
                    : masked && rnd.nextBoolean() ? 99 : rnd.nextInt(c);
        }
        Arr labels = new Arr(HelperFuzz.pick(rnd, CrfFuzzTest.INDEX_TYPES), new long[] {b, t},
                tags);
        String mutation = "valid";
        int predictionsSize = 1;
        int labelsSize = mask == null ? 1 : 2;
        if (rnd.nextDouble() < 0.45) {
            switch (rnd.nextInt(9)) {
                case 0: predictionsSize = rnd.nextBoolean() ? -1 : 0; mutation = "predictions null or empty"; break;
                case 1: labelsSize = rnd.nextBoolean() ? -1 : 0; mutation = "labels null or empty"; break;
                case 2: logits = logits.reshaped(new long[] {b, (long) t * c}); mutation = "logits rank 2"; break;
                case 3: logits = logits.withType(DataType.INT32); mutation = "int logits"; break;
                case 4: labels = labels.withType(DataType.FLOAT32); mutation = "float tags"; break;
                case 5:
                    labels = HelperFuzz.zeros(labels.type, rnd.nextBoolean() ? new long[] {b, t + 1}
                            : new long[] {b});
                    mutation = "tags shape";
                    break;
                case 6:
                    mask = HelperFuzz.zeros(DataType.BOOLEAN, new long[] {b + 1, t});
                    labelsSize = 2;
                    mutation = "mask shape";
                    break;
                default:
                    if (tags.length > 0) {
                        tags[rnd.nextInt(tags.length)] =
                                rnd.nextBoolean() ? c + rnd.nextInt(3) : -1 - rnd.nextInt(3);
                    }
                    mutation = "a tag out of range";
                    break;
            }
        }
        HelperFuzz.Call call = new HelperFuzz.Call("TokenNllLoss", List.of("predictions",
                "labels", "logits (predictions[0])", "tags (labels[0])", "mask (labels[1])"),
                logits, labels, mask);
        call.mutation = mutation;
        call.extra = ", ignoreLabel=" + ignore + ", form=" + form + ", predictions size "
                + predictionsSize + ", labels size " + labelsSize;
        call.invalid = tokenNllInvalid(logits, labels, mask, ignore, predictionsSize, labelsSize);
        int ps = predictionsSize;
        int ls = labelsSize;
        call.invoker = (scope, a) -> {
            TokenNllLoss loss = form == 0 ? new TokenNllLoss()
                    : form == 1 ? new TokenNllLoss("nll") : new TokenNllLoss("nll", ignore);
            NDList predictions = ps < 0 ? null : ps == 0 ? new NDList() : new NDList(a[0]);
            NDList labelList = ls < 0 ? null : ls == 0 ? new NDList()
                    : ls == 1 ? new NDList(a[1]) : new NDList(a[1], a[2]);
            return loss.evaluate(labelList, predictions);
        };
        Arr x = logits;
        Arr y = labels;
        Arr m = mask;
        call.judge = (scope, a, r) -> {
            double sum = 0;
            int count = 0;
            for (int f = 0; f < b * t; f++) {
                if (y.data[f] == ignore || (m != null && m.data[f] == 0)) {
                    continue;
                }
                double max = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < c; k++) {
                    max = Math.max(max, x.data[f * c + k]);
                }
                double z = 0;
                for (int k = 0; k < c; k++) {
                    z += Math.exp(x.data[f * c + k] - max);
                }
                sum += x.data[(int) (f * c + y.data[f])] - max - Math.log(z);
                count++;
            }
            double want = -sum / Math.max(1, count);
            return HelperFuzz.expect("loss", r[0], new long[0], x.type, scope,
                    new double[] {want}, x.type == DataType.FLOAT64 ? 1e-12
                            : x.type == DataType.FLOAT32 ? 1e-5 : CrfFuzzTest.tol(x.type));
        };
        return call;
    }

    private static String tokenNllInvalid(Arr logits, Arr labels, Arr mask, int ignore,
            int predictionsSize, int labelsSize) {
        if (predictionsSize < 1 || labelsSize < 1) {
            return "predictions or labels null or empty";
        }
        if (logits.rank() != 3 || !CrfFuzzTest.FLOATS.contains(logits.type)
                || logits.size(2) == 0) {
            return "logits rank, dtype or no tags (C == 0)";
        }
        long[] batchTime = {logits.size(0), logits.size(1)};
        if (!CrfFuzzTest.INDEX_TYPES.contains(labels.type)
                || !Arrays.equals(labels.shape, batchTime)) {
            return "tags dtype or shape";
        }
        if (labelsSize > 1 && !Arrays.equals(mask.shape, batchTime)) {
            return "mask shape";
        }
        for (int f = 0; f < labels.numel(); f++) {
            double tag = labels.data[f];
            boolean real = tag != ignore && (labelsSize < 2 || mask.data[f] != 0);
            if (real && (tag < 0 || tag >= logits.size(2))) {
                return "a real token's tag out of range";
            }
        }
        return null;
    }

    // ---------------------------------------------------------------------------------------
    // CrfLoss

    static HelperFuzz.Call crfLoss(SplittableRandom rnd) {
        Arr[] p = CrfFuzzTest.problem(rnd);
        String mutation = CrfFuzzTest.mutate(rnd, p, true, 0.4);
        int predictionsSize = 4;
        int labelsSize = p[2] == null ? 1 : 2;
        if (rnd.nextInt(12) == 0) {
            predictionsSize = List.of(-1, 0, 3).get(rnd.nextInt(3));
            mutation = "predictions of " + predictionsSize + " arrays";
        } else if (rnd.nextInt(12) == 0) {
            labelsSize = rnd.nextBoolean() ? -1 : 0;
            mutation = "labels of " + labelsSize + " arrays";
        }
        HelperFuzz.Call call = new HelperFuzz.Call("CrfLoss", List.of("predictions", "labels",
                "emissions", "tags", "mask", "transitions", "start", "end"), p);
        call.mutation = mutation;
        call.extra = ", predictions size " + predictionsSize + ", labels size " + labelsSize;
        call.invalid = predictionsSize != 4 || labelsSize < 1 ? "predictions or labels"
                : CrfFuzzTest.invalid(p, true, true);
        int ps = predictionsSize;
        int ls = labelsSize;
        call.invoker = (scope, a) -> {
            NDList predictions = ps < 0 ? null : new NDList(a[0], a[3], a[4], a[5]);
            while (predictions != null && predictions.size() > ps) {
                predictions.remove(predictions.size() - 1);
            }
            NDList labels = ls < 0 ? null : ls == 0 ? new NDList()
                    : ls == 1 ? new NDList(a[1]) : new NDList(a[1], a[2]);
            return new CrfLoss().evaluate(labels, predictions);
        };
        call.judge = (scope, a, r) -> {
            CrfFuzzTest.Brute brute = new CrfFuzzTest.Brute(p);
            double[] z = brute.logPartition();
            double[] gold = brute.goldScore(p[1]);
            double sum = 0;
            for (int s = 0; s < brute.b; s++) {
                sum += z[s] - gold[s];
            }
            double want = brute.b == 0 ? 0 : sum / brute.b;
            return HelperFuzz.expect("loss", r[0], new long[0], p[0].type, scope,
                    new double[] {want}, CrfFuzzTest.tol(p[0].type));
        };
        return call;
    }
}
