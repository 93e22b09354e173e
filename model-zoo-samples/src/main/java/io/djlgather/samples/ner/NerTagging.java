package io.djlgather.samples.ner;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.djlgather.ext.nlp.CrfBlock;
import io.djlgather.ext.nlp.SequenceLabeling;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Encoding of token lists into padded batches and Viterbi decoding back to tags. */
public final class NerTagging {

    private NerTagging() {}

    /**
     * Encodes sentences into one padded batch.
     *
     * @param manager the manager of the result
     * @param vocab the tables
     * @param sentences B token lists, each non-empty
     * @return words [B,T] int64, shapes [B,T] int64, mask [B,T] boolean, chars [B,T,L] int64
     *     (T the longest length, L the longest word's character count up to {@link
     *     Vocab#MAX_WORD_CHARS}; 0 pads); the block reads (words, shapes, chars)
     */
    public static NDList encodeBatch(NDManager manager, Vocab vocab, List<List<String>> sentences) {
        int batch = sentences.size();
        int steps = sentences.stream().mapToInt(List::size).max().orElse(0);
        int length = Math.max(1, sentences.stream().flatMap(List::stream).mapToInt(Vocab::charLength).max().orElse(1));
        long[] words = new long[batch * steps];
        long[] shapes = new long[batch * steps];
        boolean[] mask = new boolean[batch * steps];
        long[] chars = new long[batch * steps * length];
        for (int b = 0; b < batch; b++) {
            List<String> s = sentences.get(b);
            for (int t = 0; t < s.size(); t++) {
                words[b * steps + t] = vocab.wordId(s.get(t));
                shapes[b * steps + t] = Vocab.shape(s.get(t));
                mask[b * steps + t] = true;
                vocab.charIds(s.get(t), chars, (b * steps + t) * length);
            }
        }
        Shape shape = new Shape(batch, steps);
        return new NDList(
                manager.create(words, shape),
                manager.create(shapes, shape),
                manager.create(mask, shape),
                manager.create(chars, new Shape(batch, steps, length)));
    }

    /**
     * The block's inputs from {@link #encodeBatch}'s output: (words, shapes, chars).
     *
     * @param encoded what {@link #encodeBatch} returned
     * @return the arrays the tagger reads, not copied
     */
    public static NDList blockInputs(NDList encoded) {
        return new NDList(encoded.get(0), encoded.get(1), encoded.get(3));
    }

    /**
     * Decodes emission scores with the CRF's Viterbi and reads each chosen tag's confidence with
     * {@link SequenceLabeling#labelScores} from the softmax of the emissions.
     *
     * @param crf the CRF layer with trained transitions
     * @param emissions [B,T,C] emission scores
     * @param mask [B,T] boolean, true at real tokens
     * @param vocab the tables
     * @param sentences the B token lists
     * @return one tagged sentence per input
     */
    public static List<TaggedSentence> decode(
            CrfBlock crf, NDArray emissions, NDArray mask, Vocab vocab, List<List<String>> sentences) {
        long[][] paths;
        float[] scores;
        float[] conf;
        Shape bt;
        try (CrfBlock.Decoded decoded = crf.viterbiDecode(emissions, mask)) {
            paths = decoded.toJavaPaths();
            scores = decoded.scores().toType(DataType.FLOAT32, false).toFloatArray();
            // padding positions hold -1: read tag 0 there; only real tokens are kept below.
            NDArray labels = decoded.paths().maximum(0);
            bt = labels.getShape();
            conf = SequenceLabeling.labelScores(emissions.softmax(-1), labels).toFloatArray();
        }
        List<TaggedSentence> out = new ArrayList<>(sentences.size());
        int steps = (int) bt.get(1);
        for (int b = 0; b < sentences.size(); b++) {
            List<String> tokens = sentences.get(b);
            List<String> tags = new ArrayList<>(tokens.size());
            for (int t = 0; t < tokens.size(); t++) {
                tags.add(vocab.tag((int) paths[b][t]));
            }
            float[] c = Arrays.copyOfRange(conf, b * steps, b * steps + tokens.size());
            out.add(new TaggedSentence(tokens, tags, c, scores[b]));
        }
        return out;
    }

    /**
     * One of the k best tag paths of a sentence.
     *
     * @param tags the path's tags, one per token
     * @param score the path's CRF score (emissions, transitions, start and end)
     */
    public record ScoredTags(List<String> tags, float score) {}

    /**
     * Tags one sentence with the block's current parameters and returns its k best tag paths
     * (top-k Viterbi, {@link CrfBlock#viterbiTopK}), best first; fewer than k when the sentence
     * has fewer paths. Every array lives in a manager made under {@code parent} and closed here.
     *
     * @param block the tagger
     * @param vocab its tables
     * @param tokens the sentence's tokens, at least one
     * @param k how many paths, at least 1
     * @param parent the manager under which the temporary arrays live (e.g. the model's)
     * @return the paths and their scores, scores non-increasing
     * @throws IllegalArgumentException if tokens is empty or k is out of range
     */
    public static List<ScoredTags> topK(NerTaggerBlock block, Vocab vocab, List<String> tokens, int k, NDManager parent) {
        if (tokens.isEmpty()) {
            throw new IllegalArgumentException("NerTagging.topK: tokens is empty; expected at least 1 token, got 0");
        }
        try (NDManager manager = parent.newSubManager()) {
            NDList in = encodeBatch(manager, vocab, List.of(tokens));
            NDList out = block.forward(new ai.djl.training.ParameterStore(manager, false), blockInputs(in), false);
            try (io.djlgather.ext.nlp.CrfTopPaths top = block.crf().viterbiTopK(out.get(0), in.get(2), k)) {
                long[][] paths = top.toJavaPaths()[0];
                double[] scores = top.toJavaScores()[0];
                List<ScoredTags> result = new ArrayList<>(paths.length);
                for (int r = 0; r < paths.length; r++) {
                    List<String> tags = new ArrayList<>(paths[r].length);
                    for (long id : paths[r]) {
                        tags.add(vocab.tag((int) id));
                    }
                    result.add(new ScoredTags(List.copyOf(tags), (float) scores[r]));
                }
                return result;
            }
        }
    }
}
