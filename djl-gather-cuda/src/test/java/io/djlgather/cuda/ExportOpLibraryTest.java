package io.djlgather.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.djlgather.cuda.tools.ExportOpLibrary;
import io.djlgather.ext.internal.OpLibrary;
import io.djlgather.ext.internal.TorchScriptArchive;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipFile;

class ExportOpLibraryTest {

    @Test
    void writesTheOpLibraryArchive(@TempDir Path dir) throws Exception {
        Path path = ExportOpLibrary.write(dir.resolve("sub/op-library.pt"));
        assertArrayEquals(TorchScriptArchive.write(OpLibrary.source()), Files.readAllBytes(path));
        try (ZipFile zip = new ZipFile(path.toFile())) {
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
