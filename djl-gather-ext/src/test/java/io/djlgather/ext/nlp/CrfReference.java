package io.djlgather.ext.nlp;

/**
 * Plain-Java oracles for one sequence of a linear-chain CRF: brute force over all C^n tag
 * paths of its n real steps, and the gold score by a naive loop. Parameters arrive with any
 * penalties already added, as the static twins take them.
 */
final class CrfReference {

    private CrfReference() {}

    /** Best path over the real steps and its score. */
    static final class Best {
        final long[] path;
        final double score;

        Best(long[] path, double score) {
            this.path = path;
            this.score = score;
        }
    }

    /** Indices of the real steps. */
    static int[] realSteps(boolean[] mask) {
        int n = 0;
        for (boolean m : mask) {
            n += m ? 1 : 0;
        }
        int[] steps = new int[n];
        int k = 0;
        for (int t = 0; t < mask.length; t++) {
            if (mask[t]) {
                steps[k++] = t;
            }
        }
        return steps;
    }

    /** score(y) for a path y over the real steps. */
    static double pathScore(double[][] e, int[] steps, int[] y, double[][] tr, double[] st,
            double[] en) {
        double s = st[y[0]] + en[y[y.length - 1]];
        for (int k = 0; k < steps.length; k++) {
            s += e[steps[k]][y[k]];
            if (k > 0) {
                s += tr[y[k - 1]][y[k]];
            }
        }
        return s;
    }

    /** log sum over all paths of exp(score), 0 without real steps. */
    static double logPartition(double[][] e, boolean[] mask, double[][] tr, double[] st,
            double[] en) {
        int[] steps = realSteps(mask);
        if (steps.length == 0) {
            return 0;
        }
        int c = st.length;
        int[] y = new int[steps.length];
        double max = Double.NEGATIVE_INFINITY;
        int total = (int) Math.pow(c, steps.length);
        double[] scores = new double[total];
        for (int p = 0; p < total; p++) {
            decode(p, c, y);
            scores[p] = pathScore(e, steps, y, tr, st, en);
            max = Math.max(max, scores[p]);
        }
        double sum = 0;
        for (double s : scores) {
            sum += Math.exp(s - max);
        }
        return max + Math.log(sum);
    }

    /** The best path by enumeration (first maximum in lexicographic order). */
    static Best viterbi(double[][] e, boolean[] mask, double[][] tr, double[] st, double[] en) {
        int[] steps = realSteps(mask);
        if (steps.length == 0) {
            return new Best(new long[0], 0);
        }
        int c = st.length;
        int[] y = new int[steps.length];
        int total = (int) Math.pow(c, steps.length);
        double best = Double.NEGATIVE_INFINITY;
        long[] bestPath = null;
        for (int p = 0; p < total; p++) {
            decode(p, c, y);
            double s = pathScore(e, steps, y, tr, st, en);
            if (s > best) {
                best = s;
                bestPath = new long[y.length];
                for (int k = 0; k < y.length; k++) {
                    bestPath[k] = y[k];
                }
            }
        }
        return new Best(bestPath, best);
    }

    /** The gold score by a naive loop over the steps (tags at padded steps ignored). */
    static double goldScore(double[][] e, long[] tags, boolean[] mask, double[][] tr,
            double[] st, double[] en) {
        double s = 0;
        int previous = -1;
        for (int t = 0; t < mask.length; t++) {
            if (!mask[t]) {
                continue;
            }
            int tag = (int) tags[t];
            s += e[t][tag];
            s += previous < 0 ? st[tag] : tr[previous][tag];
            previous = tag;
        }
        return previous < 0 ? 0 : s + en[previous];
    }

    private static void decode(int p, int c, int[] y) {
        for (int k = y.length - 1; k >= 0; k--) {
            y[k] = p % c;
            p /= c;
        }
    }
}
