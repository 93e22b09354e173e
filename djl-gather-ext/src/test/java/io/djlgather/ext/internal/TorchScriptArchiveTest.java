package io.djlgather.ext.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/** The archive's format version: the one libtorch writes, so that no upgrader rewrites our code. */
class TorchScriptArchiveTest {

    private static final String DIVIDE =
            "  def divide(self: __torch__.Ops, a: Tensor, b: Tensor) -> Tensor:\n"
                    + "    return torch.div(a, b)\n";

    /**
     * The version records of an archive, by name without the root folder (read through the
     * central directory: libtorch's writer uses data descriptors on STORED entries, which
     * ZipInputStream rejects).
     */
    private static Map<String, String> versions(byte[] archive) throws IOException {
        Path file = Files.createTempFile("archive", ".pt");
        try {
            Files.write(file, archive);
            Map<String, String> found = new HashMap<>();
            try (ZipFile zip = new ZipFile(file.toFile())) {
                for (ZipEntry e : Collections.list(zip.entries())) {
                    String name = e.getName().substring(e.getName().indexOf('/') + 1);
                    if (name.equals("version") || name.equals(".data/version")) {
                        try (InputStream in = zip.getInputStream(e)) {
                            found.put(name,
                                    new String(in.readAllBytes(), StandardCharsets.US_ASCII));
                        }
                    }
                }
            }
            return found;
        } finally {
            Files.delete(file);
        }
    }

    @Test
    void theOpLibraryDeclaresTheVersionLibtorchWritesForIt() throws IOException {
        byte[] ours = TorchScriptArchive.write(OpLibrary.source());
        assertEquals(Map.of("version", "5\n"), versions(ours));
        // libtorch computes the version from the operators the module uses when it saves it
        ByteArrayOutputStream saved = new ByteArrayOutputStream();
        try (NDManager m = NDManager.newBaseManager()) {
            PtSymbolBlock module = JniUtils.loadModule((PtNDManager) m,
                    new ByteArrayInputStream(ours), true, false);
            JniUtils.writeModule(module, saved, false);
            module.close();
        }
        assertEquals(versions(ours), versions(saved.toByteArray()),
                "raise TorchScriptArchive.FORMAT_VERSION to what libtorch writes");
    }

    @Test
    void noUpgraderRewritesTheCode() throws IOException {
        // torch.div of integers: true division today; in an archive of version < 4 libtorch
        // rewrites it to the old truncating division (7 / 2 = 3, -7 / 2 = -3, int64)
        try (NDManager m = NDManager.newBaseManager()) {
            PtSymbolBlock module = JniUtils.loadModule((PtNDManager) m,
                    new ByteArrayInputStream(TorchScriptArchive.write(DIVIDE)), true, false);
            NDArray a = m.create(new long[] {7, -7});
            NDArray b = m.create(new long[] {2, 2});
            try (IValue x = IValue.from((PtNDArray) a);
                    IValue y = IValue.from((PtNDArray) b);
                    IValue r = IValueUtils.runMethod(module, "divide", x, y)) {
                NDArray out = r.toTensor((PtNDManager) m);
                assertEquals(DataType.FLOAT32, out.getDataType());
                assertArrayEquals(new float[] {3.5f, -3.5f}, out.toFloatArray());
            }
            module.close();
        }
    }
}
