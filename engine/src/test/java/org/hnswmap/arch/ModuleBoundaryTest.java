package org.hnswmap.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The engine's module exports the public API and the tools only: storage, graph and distance
 * internals are not API. Read from the compiled module descriptor, as a module-path user gets it.
 */
class ModuleBoundaryTest {

    @Test
    void shouldExportOnlyThePublicPackagesWhenReadAsAModule() {
        ModuleDescriptor module =
                ModuleFinder.of(Path.of("target/classes"))
                        .find("org.hnswmap.engine")
                        .orElseThrow(() -> new AssertionError("no module org.hnswmap.engine"))
                        .descriptor();
        Set<String> exported =
                module.exports().stream()
                        .map(ModuleDescriptor.Exports::source)
                        .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(
                Set.of("org.hnswmap.error", "org.hnswmap.index", "org.hnswmap.tools"), exported);
        assertTrue(
                module.exports().stream().noneMatch(ModuleDescriptor.Exports::isQualified),
                "no qualified exports of internals");
        assertTrue(
                module.packages()
                        .containsAll(
                                Set.of(
                                        "org.hnswmap.storage",
                                        "org.hnswmap.graph",
                                        "org.hnswmap.distance")),
                "the internal packages are in the module, unexported");
    }
}
