/** Sequence labelling: CoNLL reader, generated corpus, BiLSTM-CRF tagger block, training, BIO span scoring, translator. */
package io.djlgather.samples.ner;
