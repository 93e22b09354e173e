/**
 * Sequence labeling (NER, POS tagging) on DJL, built on the gather op family: per-token label
 * scores ({@link io.djlgather.ext.nlp.SequenceLabeling}), a masked token-level NLL loss ({@link
 * io.djlgather.ext.nlp.TokenNllLoss}), and a linear-chain CRF layer ({@link
 * io.djlgather.ext.nlp.CrfBlock}) with its loss ({@link io.djlgather.ext.nlp.CrfLoss}), its
 * constraints ({@link io.djlgather.ext.nlp.CrfConstraints}, BIO included) and its decoded paths
 * ({@link io.djlgather.ext.nlp.CrfPaths}). The
 * CRF's forward algorithm, gold score and Viterbi run as fused TorchScript methods of the op
 * library ({@code ops/crf.torchscript}); masks may pad on either side.
 */
package io.djlgather.ext.nlp;
