package io.djlgather.samples.ner;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Entity spans of BIO tag sequences and the entity-level scores of CoNLL's {@code conlleval}:
 * a predicted entity counts only when its type, start and end all match a gold entity.
 *
 * <p>Span rules (conlleval's, extended to BIOES so that a tagger trained on BIOES tags is scored
 * the same way): {@code B-X} starts an entity; {@code I-X} continues an open entity of type X and
 * otherwise starts one (so IOB1 files and ill-formed predictions still give spans); {@code E-X}
 * ({@code L-X}) continues or starts one and closes it, {@code S-X} ({@code U-X}) is an entity of
 * its own; {@code O} and any other tag close the open entity. On BIO tags this is conlleval's
 * reading exactly ({@link TagScheme#spans}).
 */
public final class BioSpans {

    private BioSpans() {}

    /**
     * One entity: tokens {@code [start, end)} of type {@code type}.
     *
     * @param type the entity type, e.g. PER
     * @param start first token, inclusive
     * @param end last token, exclusive
     */
    public record Span(String type, int start, int end) {}

    /**
     * Returns the entities of a tag sequence.
     *
     * @param tags BIO tags
     * @return the spans in order
     */
    public static List<Span> spans(List<String> tags) {
        return TagScheme.BIOES.spans(tags);
    }

    /** Running counts of gold, predicted and correct entities and of tokens. */
    public static final class Score {
        private long gold;
        private long predicted;
        private long correct;
        private long tokens;
        private long correctTokens;

        /**
         * Adds one sentence.
         *
         * @param goldTags the reference tags
         * @param predictedTags the predicted tags, same length
         * @throws IllegalArgumentException if the lengths differ
         */
        public void add(List<String> goldTags, List<String> predictedTags) {
            if (goldTags.size() != predictedTags.size()) {
                throw new IllegalArgumentException(
                        "Score.add: predictedTags length differs from goldTags; expected "
                                + goldTags.size()
                                + ", got "
                                + predictedTags.size());
            }
            for (int i = 0; i < goldTags.size(); i++) {
                tokens++;
                if (goldTags.get(i).equals(predictedTags.get(i))) {
                    correctTokens++;
                }
            }
            List<Span> g = spans(goldTags);
            Set<Span> p = new HashSet<>(spans(predictedTags));
            gold += g.size();
            predicted += p.size();
            for (Span span : g) {
                if (p.contains(span)) {
                    correct++;
                }
            }
        }

        /** Returns entity precision, 0 when nothing was predicted. */
        public double precision() {
            return predicted == 0 ? 0 : (double) correct / predicted;
        }

        /** Returns entity recall, 0 when there is no gold entity. */
        public double recall() {
            return gold == 0 ? 0 : (double) correct / gold;
        }

        /** Returns entity F1, the harmonic mean of precision and recall (0 when both are 0). */
        public double f1() {
            double p = precision();
            double r = recall();
            return p + r == 0 ? 0 : 2 * p * r / (p + r);
        }

        /** Returns token accuracy. */
        public double tokenAccuracy() {
            return tokens == 0 ? 0 : (double) correctTokens / tokens;
        }

        /** Returns the number of gold entities. */
        public long goldCount() {
            return gold;
        }
    }
}
