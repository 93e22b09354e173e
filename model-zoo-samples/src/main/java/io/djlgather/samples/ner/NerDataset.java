package io.djlgather.samples.ner;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Record;
import ai.djl.util.Progress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Sentences as DJL records: data {@code (words [T], shapes [T], chars [T,L])} int64 (L the
 * sentence's longest word, at most {@link Vocab#MAX_WORD_CHARS} characters; 0 pads), labels
 * {@code (tags [T] int64, mask [T] boolean)}; batches are padded to their longest sentence and
 * word by {@link PadBatchifier}.
 *
 * <p>With a word dropout rate p &gt; 0 (training), each known word becomes {@link Vocab#UNK}
 * with probability p every time it is read, so the tagger learns to tag unseen names from their
 * context and shape.
 */
public final class NerDataset extends RandomAccessDataset {

    private final List<Encoded> items;
    private final float wordDropout;
    private final float entityWordDropout;
    private final long outsideTag;
    private final List<Encoded> lowered;
    private final float caseDropout;
    private final Random random;

    /** One sentence as ids. */
    record Encoded(long[] words, long[] shapes, long[] tags, long[] chars, int length) {}

    private NerDataset(Builder builder) {
        super(builder);
        this.items = builder.items;
        this.wordDropout = builder.wordDropout;
        this.entityWordDropout = builder.entityWordDropout;
        this.outsideTag = builder.vocab != null && builder.vocab.tags().contains("O") ? builder.vocab.tagId("O") : -1;
        this.lowered = builder.lowered;
        this.caseDropout = builder.caseDropout;
        this.random = new Random(builder.seed);
    }

    /**
     * Encodes sentences with a vocabulary.
     *
     * @param sentences the sentences
     * @param vocab the tables
     * @return the id arrays, one per sentence
     */
    static List<Encoded> encode(List<Sentence> sentences, Vocab vocab) {
        List<Encoded> out = new ArrayList<>(sentences.size());
        for (Sentence s : sentences) {
            int n = s.size();
            long[] words = new long[n];
            long[] shapes = new long[n];
            long[] tags = new long[n];
            int length = Math.max(1, s.tokens().stream().mapToInt(Vocab::charLength).max().orElse(1));
            long[] chars = new long[n * length];
            for (int i = 0; i < n; i++) {
                words[i] = vocab.wordId(s.tokens().get(i));
                shapes[i] = Vocab.shape(s.tokens().get(i));
                tags[i] = vocab.tagId(s.tags().get(i));
                vocab.charIds(s.tokens().get(i), chars, i * length);
            }
            out.add(new Encoded(words, shapes, tags, chars, length));
        }
        return out;
    }

    /**
     * Estimates from the training sentences alone how often an entity word should be hidden
     * during training: so that the tagger meets entity words it does not know as often as it
     * will in new text from the same source. The rate of unknown entity words in new text is
     * estimated by leave-one-out: an entity token whose word occurs {@code minCount} times or
     * fewer in train would be unknown if that occurrence were new text.
     *
     * <pre>
     * known[t]  = count(word[t]) &gt;= minCount          (the vocabulary's rule)
     * u_train   = share of entity tokens not known   (unknown in training already)
     * u_new     = share of entity tokens with count(word[t]) - 1 &lt; minCount
     * rate      = max(0, (u_new - u_train) / (1 - u_train))   (0 when u_train = 1 or no entity)
     * </pre>
     *
     * so that u_train + (1 - u_train) * rate = u_new. Words are counted as the vocabulary reads
     * them (digits folded, lower-cased if asked); an entity token is one whose tag is not
     * {@code O}.
     *
     * @param train the training sentences
     * @param minCount the vocabulary's least count for a word of its own
     * @param lowercase whether the vocabulary lower-cases words
     * @return the rate, in [0, 1)
     */
    public static float estimateEntityWordDropout(List<Sentence> train, int minCount, boolean lowercase) {
        java.util.Map<String, Integer> counts = new java.util.HashMap<>();
        for (Sentence s : train) {
            for (String t : s.tokens()) {
                counts.merge(Vocab.normalize(t, lowercase), 1, Integer::sum);
            }
        }
        long entity = 0;
        long unknownInTraining = 0;
        long unknownWhenNew = 0;
        for (Sentence s : train) {
            for (int i = 0; i < s.size(); i++) {
                if (s.tags().get(i).equals("O")) {
                    continue;
                }
                int count = counts.get(Vocab.normalize(s.tokens().get(i), lowercase));
                entity++;
                if (count < minCount) {
                    unknownInTraining++;
                }
                if (count - 1 < minCount) {
                    unknownWhenNew++;
                }
            }
        }
        if (entity == 0 || unknownInTraining == entity) {
            return 0f;
        }
        double uTrain = (double) unknownInTraining / entity;
        double uNew = (double) unknownWhenNew / entity;
        return (float) Math.min(0.99, Math.max(0, (uNew - uTrain) / (1 - uTrain)));
    }

    @Override
    public Record get(NDManager manager, long index) {
        Encoded e = items.get((int) index);
        if (caseDropout > 0) {
            synchronized (random) {
                if (random.nextFloat() < caseDropout) {
                    e = lowered.get((int) index);
                }
            }
        }
        long[] words = e.words();
        if (wordDropout > 0 || entityWordDropout > 0) {
            words = words.clone();
            long[] tags = e.tags();
            synchronized (random) {
                for (int i = 0; i < words.length; i++) {
                    float rate = tags[i] != outsideTag ? Math.max(wordDropout, entityWordDropout) : wordDropout;
                    if (random.nextFloat() < rate) {
                        words[i] = Vocab.UNK;
                    }
                }
            }
        }
        boolean[] mask = new boolean[words.length];
        java.util.Arrays.fill(mask, true);
        return new Record(
                new NDList(
                        manager.create(words),
                        manager.create(e.shapes()),
                        manager.create(e.chars(), new ai.djl.ndarray.types.Shape(words.length, e.length()))),
                new NDList(manager.create(e.tags()), manager.create(mask)));
    }

    @Override
    protected long availableSize() {
        return items.size();
    }

    @Override
    public void prepare(Progress progress) {}

    /**
     * Returns a builder.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link NerDataset}. */
    public static final class Builder extends BaseBuilder<Builder> {
        List<Encoded> items;
        float wordDropout;
        long seed;
        List<Sentence> sentences;
        Vocab vocab;
        List<Encoded> lowered;
        float caseDropout;
        float entityWordDropout;

        Builder() {
            optDataBatchifier(new PadBatchifier());
            optLabelBatchifier(new PadBatchifier());
        }

        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Sets the sentences.
         *
         * @param sentences the sentences
         * @param vocab the tables that encode them
         * @return this builder
         */
        public Builder setSentences(List<Sentence> sentences, Vocab vocab) {
            this.items = encode(sentences, vocab);
            this.sentences = sentences;
            this.vocab = vocab;
            return this;
        }

        /**
         * Sets the word dropout rate, default 0.
         *
         * @param rate probability in [0, 1)
         * @param seed seed of the dropout draws
         * @return this builder
         */
        public Builder optWordDropout(float rate, long seed) {
            this.wordDropout = rate;
            this.seed = seed;
            return this;
        }

        /**
         * Sets the word dropout rate inside entities, default 0 (the plain rate applies): each
         * time a sentence is read, a word whose gold tag is not {@code O} becomes {@link
         * Vocab#UNK} with probability max(this rate, {@link #optWordDropout}'s), so that the
         * tagger learns to find names it has never seen from their characters, shape and
         * context, as it must on new text (on WNUT 2017 dev, 468 of 836 entities are made only of
         * words the training split does not have). Uses the word dropout's seed.
         *
         * @param rate probability in [0, 1)
         * @return this builder
         */
        public Builder optEntityWordDropout(float rate) {
            this.entityWordDropout = rate;
            return this;
        }

        /**
         * Sets the case dropout rate, default 0: each time a sentence is read, with this
         * probability it is read lower-cased (word shapes and characters; a lower-cased
         * vocabulary sees the same words), so that the tagger does not learn to find names
         * by their capitals alone (social-media text often has none). Uses the word dropout's
         * seed.
         *
         * @param rate probability in [0, 1)
         * @return this builder
         */
        public Builder optCaseDropout(float rate) {
            this.caseDropout = rate;
            return this;
        }

        /**
         * Builds the dataset.
         *
         * @return the dataset
         */
        public NerDataset build() {
            if (caseDropout > 0) {
                lowered = encode(sentences.stream()
                        .map(s -> new Sentence(s.tokens().stream().map(t -> t.toLowerCase(java.util.Locale.ROOT)).toList(), s.tags()))
                        .toList(), vocab);
            }
            return new NerDataset(this);
        }
    }
}
