package io.djlgather.samples.ner;

import java.io.IOException;

/**
 * The WNUT 2017 Emerging Entities train and dev splits, committed as class-path resources
 * ({@code io/djlgather/samples/ner/wnut17/}, with their {@code LICENSE.md}: CC BY 4.0, Derczynski,
 * Nichols, van Erp and Limsopatham 2017): social-media text, six entity types (person, location,
 * group, creative-work, corporation, product), BIO tags; train 3,393 sentences (62,730 tokens),
 * dev 1,009 (15,733). The shared task's test split is not included.
 */
public final class Wnut17 {

    private static final String DIR = "/io/djlgather/samples/ner/wnut17/";

    private Wnut17() {}

    /**
     * Reads the train split.
     *
     * @return its sentences
     * @throws IOException if the resource cannot be read
     */
    public static ConllReader.Document train() throws IOException {
        return ConllReader.readResource(DIR + "train.conll", ConllReader.Columns.DEFAULT);
    }

    /**
     * Reads the dev split.
     *
     * @return its sentences
     * @throws IOException if the resource cannot be read
     */
    public static ConllReader.Document dev() throws IOException {
        return ConllReader.readResource(DIR + "dev.conll", ConllReader.Columns.DEFAULT);
    }
}
