package io.djlgather.samples.ner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConllReaderTest {

    @TempDir Path dir;

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    @Test
    void readsConll2003WithDocstartAndTagInLastColumn() throws IOException {
        Path file = write("train.txt", """
                -DOCSTART- -X- -X- O

                EU NNP B-NP B-ORG
                rejects VBZ B-VP O
                German JJ B-NP B-MISC
                call NN I-NP O
                . . O O

                Peter NNP B-NP B-PER
                Blackburn NNP I-NP I-PER
                """);
        List<Sentence> sentences = ConllReader.read(file);
        assertEquals(2, sentences.size());
        assertEquals(List.of("EU", "rejects", "German", "call", "."), sentences.get(0).tokens());
        assertEquals(List.of("B-ORG", "O", "B-MISC", "O", "O"), sentences.get(0).tags());
        assertEquals(List.of("Peter", "Blackburn"), sentences.get(1).tokens());
        assertEquals(List.of("B-PER", "I-PER"), sentences.get(1).tags());
    }

    @Test
    void readsTwoColumnUdFileSkippingLeadingCommentsButKeepingHashTokens() throws IOException {
        Path file = write("ud.txt", "# sent_id = 1\n# text = Dogs bark #loudly\nDogs\tNOUN\nbark\tVERB\n#\tSYM\n\n\n"
                + "# sent_id = 2\nYes INTJ\n");
        List<Sentence> sentences = ConllReader.read(file);
        assertEquals(2, sentences.size());
        assertEquals(List.of("Dogs", "bark", "#"), sentences.get(0).tokens());
        assertEquals(List.of("NOUN", "VERB", "SYM"), sentences.get(0).tags());
        assertEquals(List.of("INTJ"), sentences.get(1).tags());
    }

    @Test
    void lineWithoutTagNamesFileAndLine() throws IOException {
        Path file = write("bad.txt", "EU B-ORG\nrejects O\n\nlonely\n");
        ConllReader.ConllFormatException e =
                assertThrows(ConllReader.ConllFormatException.class, () -> ConllReader.read(file));
        assertTrue(e.getMessage().startsWith(file + ":4: "), e.getMessage());
        assertTrue(e.getMessage().contains("'lonely'"), e.getMessage());
        assertEquals(4, e.getLine());
        assertEquals(file, e.getFile());
    }

    @Test
    void inconsistentColumnCountNamesFileAndLine() throws IOException {
        Path file = write("mixed.txt", "EU NNP B-NP B-ORG\nrejects VBZ O\n");
        ConllReader.ConllFormatException e =
                assertThrows(ConllReader.ConllFormatException.class, () -> ConllReader.read(file));
        assertTrue(e.getMessage().startsWith(file + ":2: expected 4 columns"), e.getMessage());
    }

    @Test
    void emptyFileIsAnErrorNamingTheFile() throws IOException {
        Path file = write("empty.txt", "\n-DOCSTART- O\n\n");
        ConllReader.ConllFormatException e =
                assertThrows(ConllReader.ConllFormatException.class, () -> ConllReader.read(file));
        assertTrue(e.getMessage().startsWith(file + ":3: expected at least one sentence"), e.getMessage());
    }

    @Test
    void readsConllUWordAndAnyTagColumnSkippingMultiWordTokensAndEmptyNodes() throws IOException {
        Path file = write("ud.conllu", String.join("\n",
                "# sent_id = 1",
                "# text = Vámonos al mar.",
                "1-2\tVámonos\t_\t_\t_\t_\t_\t_\t_\t_",
                "1\tVamos\tir\tVERB\t_\t_\t0\troot\t_\tB-X",
                "2\tnos\tnosotros\tPRON\t_\t_\t1\tobj\t_\tO",
                "3-4\tal\t_\t_\t_\t_\t_\t_\t_\t_",
                "3\ta\ta\tADP\t_\t_\t5\tcase\t_\tO",
                "4\tel\tel\tDET\t_\t_\t5\tdet\t_\tO",
                "4.1\tva\tir\tVERB\t_\t_\t_\t_\t1:conj\tO",
                "5\tmar\tmar\tNOUN\t_\t_\t1\tobl\t_\tO",
                "6\t.\t.\tPUNCT\t_\t_\t1\tpunct\t_\tO",
                "",
                "# sent_id = 2",
                "1\tSí\tsí\tINTJ\t_\t_\t0\troot\t_\tO",
                ""));
        ConllReader.Document upos = ConllReader.read(file, new ConllReader.Columns(2, 4));
        assertEquals(2, upos.sentences().size());
        assertEquals(List.of("Vamos", "nos", "a", "el", "mar", "."), upos.sentences().get(0).tokens());
        assertEquals(List.of("VERB", "PRON", "ADP", "DET", "NOUN", "PUNCT"), upos.sentences().get(0).tags());
        assertEquals(4, upos.lines().get(0)[0]);
        assertEquals(10, upos.lines().get(0)[4]);
        ConllReader.Document lemmas = ConllReader.read(file, new ConllReader.Columns(2, 3));
        assertEquals(List.of("ir", "nosotros", "a", "el", "mar", "."), lemmas.sentences().get(0).tags());
        ConllReader.Document last = ConllReader.read(file, new ConllReader.Columns(2, 0));
        assertEquals(List.of("B-X", "O", "O", "O", "O", "O"), last.sentences().get(0).tags());
        assertEquals(List.of("Sí"), last.sentences().get(1).tokens());
    }

    @Test
    void missingColumnNamesFileLineAndColumns() throws IOException {
        Path file = write("short.txt", "EU B-ORG\nrejects O\n");
        ConllReader.ConllFormatException e = assertThrows(ConllReader.ConllFormatException.class,
                () -> ConllReader.read(file, new ConllReader.Columns(1, 3)));
        assertEquals(file + ":1: expected at least 3 columns for token column 1 and tag column 3 (1-based), got 2: 'EU B-ORG'",
                e.getMessage());
        IllegalArgumentException same = assertThrows(IllegalArgumentException.class, () -> new ConllReader.Columns(2, 2));
        assertEquals("ConllReader.Columns: token and tag are the same column; expected two columns, got 2 twice", same.getMessage());
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> new ConllReader.Columns(0, 2));
        assertTrue(zero.getMessage().startsWith("ConllReader.Columns: a column is out of range; expected token >= 1"), zero.getMessage());
    }

    @Test
    void inconsistentColumnCountInConllUNamesTheLine() throws IOException {
        Path file = write("bad.conllu", "1\tDogs\tdog\tNOUN\n2\tbark\tVERB\n");
        ConllReader.ConllFormatException e = assertThrows(ConllReader.ConllFormatException.class,
                () -> ConllReader.read(file, new ConllReader.Columns(2, 4)));
        assertEquals(file + ":2: expected 4 columns like the file's first token line, got 3: '2\tbark\tVERB'", e.getMessage());
    }

    @Test
    void detectsAndConvertsIob1() throws IOException {
        Path file = write("iob1.txt", "Empire I-LOC\nState I-LOC\nESB B-LOC\n. O\n\nBob I-PER\nsaw O\nAnn B-PER\n");
        // "Ann B-PER" after "O" breaks IOB1: the whole file is refused, naming both readings
        ConllReader.ConllFormatException ambiguous = assertThrows(ConllReader.ConllFormatException.class,
                () -> ConllReader.detect(ConllReader.read(file, ConllReader.Columns.DEFAULT)));
        assertEquals(file + ": cannot tell the tag scheme: it is not BIO (line 1, sentence 1: <start> -> I-LOC) and not IOB1"
                + " (line 8, sentence 2: O -> B-PER); name it with --scheme and fix the file", ambiguous.getMessage());

        Path good = write("iob1-good.txt", "Empire I-LOC\nState I-LOC\nESB B-LOC\n. O\n\nBob I-PER\nsaw O\nAnn I-PER\n");
        ConllReader.Document doc = ConllReader.read(good, ConllReader.Columns.DEFAULT);
        assertEquals(TagScheme.IOB1, ConllReader.detect(doc));
        ConllReader.Document bio = ConllReader.convert(doc, null, TagScheme.BIO);
        assertEquals(List.of("B-LOC", "I-LOC", "B-LOC", "O"), bio.sentences().get(0).tags());
        assertEquals(List.of("B-PER", "O", "B-PER"), bio.sentences().get(1).tags());
        ConllReader.Document bioes = ConllReader.convert(doc, TagScheme.IOB1, TagScheme.BIOES);
        assertEquals(List.of("B-LOC", "E-LOC", "S-LOC", "O"), bioes.sentences().get(0).tags());
        // and back: BIOES -> IOB1 gives the file's tags
        ConllReader.Document back = ConllReader.convert(bioes, TagScheme.BIOES, TagScheme.IOB1);
        assertEquals(doc.sentences(), back.sentences());
    }

    @Test
    void aGoldPathTheSchemeForbidsNamesFileLineSentenceAndTransition() throws IOException {
        Path file = write("iob1.txt", "Hi O\n\nSee O\nBob I-PER\n");
        ConllReader.Document doc = ConllReader.read(file, ConllReader.Columns.DEFAULT);
        ConllReader.ConllFormatException e = assertThrows(ConllReader.ConllFormatException.class,
                () -> ConllReader.convert(doc, TagScheme.BIO, TagScheme.BIO));
        assertEquals(file + ":4: sentence 2, token 2 ('Bob'): the transition O -> I-PER is not allowed in BIO;"
                + " the file is valid IOB1: pass --scheme IOB1", e.getMessage());
        assertEquals(4, e.getLine());
        Path open = write("bioes.txt", "Big B-ORG\nCorp I-ORG\n");
        ConllReader.ConllFormatException end = assertThrows(ConllReader.ConllFormatException.class,
                () -> ConllReader.convert(ConllReader.read(open, ConllReader.Columns.DEFAULT), TagScheme.BIOES, TagScheme.BIO));
        assertEquals(open + ":2: sentence 1, token 2 ('Corp'): the transition I-ORG -> <end> is not allowed in BIOES;"
                + " the file is valid BIO: pass --scheme BIO", end.getMessage());
        Path pos = write("pos.txt", "Dogs NOUN\n");
        ConllReader.ConllFormatException notEntity = assertThrows(ConllReader.ConllFormatException.class,
                () -> ConllReader.convert(ConllReader.read(pos, ConllReader.Columns.DEFAULT), TagScheme.BIO, TagScheme.BIO));
        assertEquals(pos + ":1: sentence 1, token 1 ('Dogs'): tag 'NOUN' is not an entity tag of BIO; expected O or B-/I- TYPE",
                notEntity.getMessage());
    }

    @Test
    void detectionLeavesPartOfSpeechTagsAlone() throws IOException {
        Path file = write("pos.txt", "Dogs NOUN\nbark VERB\n");
        ConllReader.Document doc = ConllReader.read(file, ConllReader.Columns.DEFAULT);
        assertEquals(null, ConllReader.detect(doc));
        assertEquals(doc.sentences(), ConllReader.convert(doc, null, TagScheme.BIO).sentences());
    }

    @Test
    void bioFileRoundTripsThroughBioes() throws IOException {
        ConllReader.Document dev = Wnut17.dev();
        assertEquals(TagScheme.BIO, ConllReader.detect(dev));
        ConllReader.Document bioes = ConllReader.convert(dev, null, TagScheme.BIOES);
        assertEquals(TagScheme.BIOES, ConllReader.detect(bioes));
        ConllReader.Document iob1 = ConllReader.convert(bioes, null, TagScheme.IOB1);
        assertEquals(dev.sentences(), ConllReader.convert(iob1, TagScheme.IOB1, TagScheme.BIO).sentences());
        for (int i = 0; i < dev.sentences().size(); i++) {
            assertEquals(BioSpans.spans(dev.sentences().get(i).tags()), TagScheme.BIOES.spans(bioes.sentences().get(i).tags()));
        }
        assertEquals(1009, dev.sentences().size());
        assertEquals(3393, Wnut17.train().sentences().size());
    }
}
