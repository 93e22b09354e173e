package io.djlgather.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.djlgather.samples.ner.ConllReader;
import io.djlgather.samples.ner.NerTrainer;
import io.djlgather.samples.ner.Sentence;
import io.djlgather.samples.ner.Vocab;
import io.djlgather.samples.ner.NerTaggerBlock;
import io.djlgather.samples.ner.NerConfig;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The {@code ner} command's options without training a model: the settings {@code --real}
 * picks and that given options override, the help text for the reader's columns, and input
 * errors that stop a run before training (an IOB1 file read as BIO; a gold path the CRF
 * forbids).
 */
class NerCommandOptionsTest {

    @TempDir Path dir;

    private static NerCommand parse(String... args) {
        NerCommand command = new NerCommand();
        new CommandLine(command).parseArgs(args);
        return command;
    }

    @Test
    void realPicksItsSettingsAndGivenOptionsWin() {
        NerTrainer.Options real = parse("--real").options();
        assertEquals(20, real.epochs());
        assertEquals(16, real.batchSize());
        assertEquals(0.003f, real.learningRate());
        assertEquals(2, real.minCount());
        assertTrue(real.lowercase());
        assertFalse(real.keepBest());
        assertEquals(0.25f, real.caseDropout());
        assertEquals(0.9f, real.lrDecay());
        assertEquals(11, real.averageFrom(), "the second half of 20 epochs");
        assertEquals(0.5f, real.entityWordDropout());
        assertEquals(2f, real.recallCost());
        assertEquals(new NerConfig(64, 16, 150, 0.5f, true, 30, 80, 3), real.config());
        NerTrainer.Options file = parse("--train", "x.conll", "--dev", "y.conll").options();
        assertEquals(NerTrainer.Options.AUTO, file.entityWordDropout(), "a --train file's entity word dropout is estimated from it");
        assertEquals(real, new NerTrainer.Options(file.epochs(), file.batchSize(), file.learningRate(), file.wordDropout(), file.config(),
                file.seed(), file.minCount(), file.lowercase(), file.keepBest(), file.caseDropout(), file.lrDecay(), file.averageFrom(),
                0.5f, file.recallCost()), "otherwise a --train file is real text as --real is");
        assertEquals(0.3f, parse("--real", "--entity-word-dropout", "0.3").options().entityWordDropout());
        assertEquals(NerTrainer.Options.AUTO, parse("--real", "--entity-word-dropout", "AUTO").options().entityWordDropout());
        assertThrows(IllegalArgumentException.class, () -> parse("--real", "--entity-word-dropout", "1").options());
        assertThrows(picocli.CommandLine.ParameterException.class, () -> parse("--entity-word-dropout", "often"));
        NerTrainer.Options ten = parse("--train", "x.conll", "--epochs", "10").options();
        assertEquals(6, ten.averageFrom(), "the second half of 10 epochs");
        NerTrainer.Options best = parse("--real", "--keep-best").options();
        assertTrue(best.keepBest());
        assertEquals(0, best.averageFrom(), "--keep-best replaces the averaging");
        assertEquals(0, parse("--real", "--epochs", "0").options().averageFrom());
        assertThrows(IllegalArgumentException.class, () -> parse("--real", "--average-from", "21").options());
        NerTrainer.Options given = parse("--real", "--epochs", "3", "--no-lowercase", "--char-dim", "0").options();
        assertEquals(3, given.epochs());
        assertFalse(given.lowercase());
        assertFalse(given.config().chars());
        NerTrainer.Options plain = parse().options();
        assertEquals(8, plain.epochs());
        assertEquals(1, plain.minCount());
        assertFalse(plain.keepBest());
        assertEquals(0f, plain.caseDropout());
        assertEquals(1f, plain.lrDecay());
        assertEquals(0, plain.averageFrom());
        assertEquals(0f, plain.entityWordDropout());
        assertEquals(0f, plain.recallCost());
        assertThrows(IllegalArgumentException.class, () -> parse("--lr-decay", "0").options());
        assertEquals(new NerConfig(48, 16, 64, 0.25f, true, 16, 32, 3), plain.config());
    }

    @Test
    void helpSaysColumnsAreOneBased() {
        String help = new CommandLine(new NerCommand()).getUsageMessage().replaceAll("\\s+", " ");
        assertTrue(help.contains("--token-column"), help);
        assertTrue(help.contains("1-based as CoNLL-U numbers them (CoNLL-U: 2, FORM)"), help);
        assertTrue(help.contains("--scheme"), help);
        assertTrue(help.contains("--real"), help);
    }

    @Test
    void anIob1FileReadAsBioStopsTheRunNamingFileLineAndTransition() throws Exception {
        Path train = dir.resolve("train.txt");
        Files.writeString(train, "Hi O\n\nSee O\nBob I-PER\n", StandardCharsets.UTF_8);
        NerCommand command = parse("--train", train.toString(), "--scheme", "BIO", "--out", dir.toString());
        ConllReader.ConllFormatException e = assertThrows(ConllReader.ConllFormatException.class,
                () -> command.run(new PrintStream(OutputStream.nullOutputStream())));
        assertEquals(train + ":4: sentence 2, token 2 ('Bob'): the transition O -> I-PER is not allowed in BIO;"
                + " the file is valid IOB1: pass --scheme IOB1", e.getMessage());
        NerCommand both = parse("--real", "--train", train.toString());
        IllegalArgumentException f = assertThrows(IllegalArgumentException.class,
                () -> both.run(new PrintStream(new ByteArrayOutputStream())));
        assertEquals("ner: --real reads the committed WNUT 2017 splits; expected no --train/--dev with it, got --train " + train,
                f.getMessage());
    }

    @Test
    void trainerRefusesAGoldPathTheCrfForbids() {
        List<Sentence> train = List.of(
                new Sentence(List.of("Bob", "is", "here"), List.of("B-PER", "O", "O")),
                new Sentence(List.of("See", "Bob", "now"), List.of("O", "I-PER", "O")));
        NerTrainer.Options options = new NerTrainer.Options(1, 2, 0.01f, 0f, new NerConfig(4, 2, 4, 0f, true), 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NerTrainer.train(train, train, options, new PrintStream(OutputStream.nullOutputStream())));
        assertEquals("NerTrainer.train: train sentence 2 has a gold transition the CRF's constraints forbid; expected a path"
                + " the tag scheme allows, got O -> I-PER at token 2 ('Bob'); convert the file to BIO or BIOES (ner --scheme)",
                e.getMessage());
        List<Sentence> open = List.of(new Sentence(List.of("Big", "Corp"), List.of("B-ORG", "I-ORG")));
        List<String> bioesTags = List.of("O", "B-ORG", "I-ORG", "E-ORG", "S-ORG");
        assertTrue(NerTaggerBlock.hasScheme(bioesTags));
        List<Sentence> bioes = List.of(
                new Sentence(List.of("Big", "Corp", "Ltd"), List.of("B-ORG", "I-ORG", "E-ORG")),
                new Sentence(List.of("Acme"), List.of("S-ORG")),
                new Sentence(List.of("Big", "Corp"), List.of("B-ORG", "I-ORG")));
        IllegalArgumentException end = assertThrows(IllegalArgumentException.class,
                () -> NerTrainer.train(bioes, open, options, new PrintStream(OutputStream.nullOutputStream())));
        assertTrue(end.getMessage().contains("train sentence 3 has a gold transition") && end.getMessage().contains("I-ORG -> <end> at token 2 ('Corp')"),
                end.getMessage());
        assertEquals(4, Vocab.build(bioes, 1).tagCount());
    }
}
