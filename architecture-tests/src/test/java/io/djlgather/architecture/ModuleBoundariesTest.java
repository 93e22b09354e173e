package io.djlgather.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The module boundaries of djl-gather, read from every module's compiled classes, main and test
 * (the reactor builds them first: this module depends on all of them).
 *
 * <ul>
 *   <li>{@code io.djlgather.ext.internal} is djl-gather-ext's own: djl-gather-cuda, the samples,
 *       the benchmarks and the Spark jobs use public packages only ({@code io.djlgather.ext}, its helpers and
 *       {@code io.djlgather.ext.spi}), as any user's code would.
 *   <li>djl-gather-ext does not know djl-gather-cuda: the CUDA runtime plugs in through the SPI
 *       ({@link java.util.ServiceLoader} or {@code GatherRuntimes.install}), never the other way.
 * </ul>
 */
class ModuleBoundariesTest {

    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    /** Imports the class folders of modules; every folder must exist, or the rule proves nothing. */
    private static JavaClasses classesOf(String... modules) {
        List<Path> folders = new ArrayList<>();
        for (String module : modules) {
            Path main = ROOT.resolve(module).resolve("target/classes");
            assertTrue(Files.isDirectory(main), "not built: " + main);
            folders.add(main);
            Path test = ROOT.resolve(module).resolve("target/test-classes");
            if (Files.isDirectory(test)) {
                folders.add(test);
            }
        }
        JavaClasses classes = new ClassFileImporter().importPaths(folders);
        assertFalse(classes.isEmpty(), "no classes under " + folders);
        return classes;
    }

    @Test
    void onlyDjlGatherExtUsesItsInternalPackage() {
        ArchRule rule = noClasses()
                .should().dependOnClassesThat().resideInAPackage("io.djlgather.ext.internal..")
                .because("io.djlgather.ext.internal is not an API; other modules use the public"
                        + " packages (GatherRuntimes, OpLibraryMethods, Arguments in"
                        + " io.djlgather.ext.spi)");
        rule.check(classesOf("djl-gather-cuda", "model-zoo-samples", "benchmarks", "djl-gather-spark"));
    }

    @Test
    void djlGatherExtDoesNotReachTheCudaModule() {
        ArchRule rule = noClasses()
                .that().resideInAPackage("io.djlgather.ext..")
                .should().dependOnClassesThat().resideInAPackage("io.djlgather.cuda..")
                .because("the CUDA runtime plugs into djl-gather-ext through its SPI");
        rule.check(classesOf("djl-gather-ext"));
    }

    @Test
    void theRulesSeeAViolation() {
        // guards against a rule that passes because it reads nothing: ext's own classes do
        // use the internal package
        ArchRule rule = noClasses()
                .should().dependOnClassesThat().resideInAPackage("io.djlgather.ext.internal..");
        JavaClasses ext = classesOf("djl-gather-ext");
        assertFalse(rule.evaluate(ext).getFailureReport().isEmpty());
    }
}
