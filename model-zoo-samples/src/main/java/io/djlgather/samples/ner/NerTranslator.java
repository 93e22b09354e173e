package io.djlgather.samples.ner;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.translate.Batchifier;
import ai.djl.translate.TranslateException;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns whitespace-tokenised sentences into tags with a {@link NerTaggerBlock}: pads a batch of
 * sentences to its longest, runs the block, and decodes the emission scores with the CRF's
 * Viterbi ({@link NerTagging#decode}), reading each tag's confidence with a gather.
 *
 * <p>{@link ai.djl.inference.Predictor#batchPredict} runs a whole batch through one forward
 * pass and one Viterbi call; {@code predict} is a batch of one. A blank sentence is an error.
 */
public final class NerTranslator implements Translator<String, TaggedSentence> {

    private static final String TOKENS = "tokens";
    private static final String MASK = "mask";

    private final Vocab vocab;

    /**
     * Creates the translator.
     *
     * @param vocab the tables the model was trained with
     */
    public NerTranslator(Vocab vocab) {
        this.vocab = vocab;
    }

    /**
     * Returns the tables the translator encodes with.
     *
     * @return the vocabulary
     */
    public Vocab vocab() {
        return vocab;
    }

    @Override
    public Batchifier getBatchifier() {
        // Non-null so that the Predictor hands whole batches to batchProcessInput/Output.
        return new PadBatchifier();
    }

    @Override
    public NDList processInput(TranslatorContext ctx, String input) throws TranslateException {
        return batchProcessInput(ctx, List.of(input));
    }

    @Override
    public TaggedSentence processOutput(TranslatorContext ctx, NDList list) throws TranslateException {
        return batchProcessOutput(ctx, list).get(0);
    }

    @Override
    public NDList batchProcessInput(TranslatorContext ctx, List<String> inputs)
            throws TranslateException {
        List<List<String>> tokens = new ArrayList<>(inputs.size());
        for (String input : inputs) {
            String stripped = input == null ? "" : input.strip();
            if (stripped.isEmpty()) {
                throw new TranslateException(
                        "NerTranslator: input is blank; expected a sentence with at least one token, got '"
                                + input
                                + "'");
            }
            tokens.add(Arrays.asList(stripped.split("\\s+")));
        }
        NDList encoded = NerTagging.encodeBatch(ctx.getNDManager(), vocab, tokens);
        ctx.setAttachment(TOKENS, tokens);
        ctx.setAttachment(MASK, encoded.get(2));
        return NerTagging.blockInputs(encoded);
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<TaggedSentence> batchProcessOutput(TranslatorContext ctx, NDList list) {
        List<List<String>> tokens = (List<List<String>>) ctx.getAttachment(TOKENS);
        NDArray mask = (NDArray) ctx.getAttachment(MASK);
        NerTaggerBlock block = (NerTaggerBlock) ctx.getBlock();
        return NerTagging.decode(block.crf(), list.get(0), mask, vocab, tokens);
    }
}
