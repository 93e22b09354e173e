package io.djlgather.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.djlgather.cuda.tools.ExportOpLibrary;
import io.djlgather.ext.spi.OpLibraryMethods;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

class ExportOpLibraryTest {

    @Test
    void writesTheOpLibraryArchive(@TempDir Path dir) throws Exception {
        Path path = ExportOpLibrary.write(dir.resolve("sub/op-library.pt"));
        // same entries and contents as the archive the Java side loads (the zip's entry times
        // differ from write to write, so the bytes are compared per entry)
        Path expected = Files.write(dir.resolve("expected.pt"),
                OpLibraryMethods.archive());
        try (ZipFile zip = new ZipFile(path.toFile());
                ZipFile want = new ZipFile(expected.toFile())) {
            List<String> names = want.stream().map(ZipEntry::getName).collect(Collectors.toList());
            assertEquals(names,
                    zip.stream().map(ZipEntry::getName).collect(Collectors.toList()));
            for (String name : names) {
                assertArrayEquals(want.getInputStream(want.getEntry(name)).readAllBytes(),
                        zip.getInputStream(zip.getEntry(name)).readAllBytes(), name);
            }
            String code = new String(
                    zip.getInputStream(zip.getEntry("ops/code/__torch__.py")).readAllBytes(),
                    StandardCharsets.UTF_8);
            for (String method : new String[] {"scatter_add_det", "scatter_reduce_det",
                    "index_add_det_f", "index_add_det_i", "index_bounds", "gather"}) {
                assertTrue(code.contains("  def " + method + "(self: __torch__.Ops"), method);
            }
        }
    }
}
