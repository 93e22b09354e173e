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
}
