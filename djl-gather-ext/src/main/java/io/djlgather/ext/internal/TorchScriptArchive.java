package io.djlgather.ext.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a TorchScript module archive from TorchScript source, without Python.
 *
 * <p>libtorch compiles the source of a module's class when it loads the archive, so an archive
 * that holds only source, a version and two tiny pickles is a complete, loadable module. Layout
 * (every entry STORED, all under one root folder):
 *
 * <pre>
 * ops/version             "5"
 * ops/constants.pkl       pickle (protocol 2) of an empty tuple
 * ops/code/__torch__.py   the class {@code Ops(Module)} in TorchScript's serialized form
 * ops/data.pkl            pickle (protocol 2) of an Ops object whose state is {'training': True}
 * </pre>
 *
 * <p>Why format version 5: the version tells libtorch which operator semantics the code was
 * written against. For an archive older than an operator's last change, libtorch rewrites each
 * call of that operator through an upgrader that reproduces the old semantics; with version 3,
 * which this class wrote before, every {@code torch.div} of ours became "true division for
 * floats, <em>truncating</em> division for integers" (torch.div before version 4), and libtorch
 * 2.7.1, saving the module it had loaded, printed that rewrite into the code. Current libtorch
 * writes the smallest version that covers the operators a module uses (at least 3; 4 for
 * {@code torch.div}, 5 for {@code torch.full}): for the op library that is 5, which is what
 * libtorch 2.7.1 writes when it saves the loaded library ({@code TorchScriptArchiveTest} checks
 * that the two agree, so a method that uses an operator changed later, such as {@code
 * torch.linspace} (8) or {@code gelu} (10), fails that test until the version is raised).
 * Versions below 6 live in {@code version}; from 6 on libtorch's writer puts them in {@code
 * .data/version}, and libtorch reads either.
 *
 * <p>The pickles use only opcodes that libtorch 1.13 also reads (MARK + SETITEMS rather than
 * SETITEM), so the same archive loads in Python's {@code torch.jit.load} for cross-checks.
 */
public final class TorchScriptArchive {

    /** The qualified TorchScript class name of the module the archive holds. */
    public static final String CLASS_NAME = "Ops";

    private static final String ROOT = "ops/";

    /** The archive format version: current operator semantics (see the class doc). */
    static final int FORMAT_VERSION = 5;

    private TorchScriptArchive() {}

    /**
     * Returns the bytes of a module archive whose class has the given methods.
     *
     * @param methods the method definitions, each indented by two spaces, in serialized
     *     TorchScript form ({@code def name(self: __torch__.Ops, x: Tensor) -> Tensor:})
     * @return the zip archive
     */
    public static byte[] write(String methods) {
        String code =
                "class "
                        + CLASS_NAME
                        + "(Module):\n"
                        + "  __parameters__ = []\n"
                        + "  __buffers__ = []\n"
                        + "  training : bool\n"
                        + methods;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            stored(zip, FORMAT_VERSION >= 6 ? ".data/version" : "version",
                    (FORMAT_VERSION + "\n").getBytes(StandardCharsets.US_ASCII));
            stored(zip, "constants.pkl", constantsPickle());
            stored(zip, "code/__torch__.py", code.getBytes(StandardCharsets.UTF_8));
            stored(zip, "data.pkl", dataPickle());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return bytes.toByteArray();
    }

    private static void stored(ZipOutputStream zip, String name, byte[] content)
            throws IOException {
        ZipEntry entry = new ZipEntry(ROOT + name);
        entry.setTime(0); // the same source always gives the same bytes
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(content.length);
        entry.setCompressedSize(content.length);
        CRC32 crc = new CRC32();
        crc.update(content);
        entry.setCrc(crc.getValue());
        zip.putNextEntry(entry);
        zip.write(content);
        zip.closeEntry();
    }

    // Pickle opcodes (protocol 2) used below.
    private static final int PROTO = 0x80;
    private static final int EMPTY_TUPLE = ')';
    private static final int STOP = '.';
    private static final int GLOBAL = 'c';
    private static final int NEWOBJ = 0x81;
    private static final int EMPTY_DICT = '}';
    private static final int MARK = '(';
    private static final int BINUNICODE = 'X';
    private static final int NEWTRUE = 0x88;
    private static final int SETITEMS = 'u';
    private static final int BUILD = 'b';

    /** {@code ()} */
    private static byte[] constantsPickle() {
        return new byte[] {(byte) PROTO, 2, EMPTY_TUPLE, STOP};
    }

    /** {@code __torch__.Ops.__new__(Ops)} with state {@code {'training': True}}. */
    private static byte[] dataPickle() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(PROTO);
        out.write(2);
        out.write(GLOBAL);
        out.writeBytes(("__torch__\n" + CLASS_NAME + "\n").getBytes(StandardCharsets.US_ASCII));
        out.write(EMPTY_TUPLE);
        out.write(NEWOBJ);
        out.write(EMPTY_DICT);
        out.write(MARK);
        byte[] key = "training".getBytes(StandardCharsets.UTF_8);
        out.write(BINUNICODE);
        // 4-byte little-endian length
        out.write(key.length);
        out.write(0);
        out.write(0);
        out.write(0);
        out.writeBytes(key);
        out.write(NEWTRUE);
        out.write(SETITEMS);
        out.write(BUILD);
        out.write(STOP);
        return out.toByteArray();
    }
}
