package org.sibledger.core.arch;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * ledger-core's place in the module graph: it depends on contracts and on nothing else of ours; its packages form
 * no cycle; and the payment mechanisms and the waterfall are plain Java over the contracts' records, importing no
 * framework (no Axon, Spring, Jackson, Kafka), so that they can be read, tested and reused alone. The graph across
 * all modules (contracts on nothing of ours, projections on contracts only) is guarded in ledger-api's
 * ModuleDependencyTest, where every module's classes are on the classpath.
 */
class CoreArchitectureTest {

    private static final String[] FRAMEWORKS = {
            "org.axonframework..", "org.springframework..", "com.fasterxml..", "org.apache.kafka..", "jakarta..",
            "javax..", "java.sql..", "org.slf4j.."
    };

    private static JavaClasses core;

    @BeforeAll
    static void importCore() {
        core = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.sibledger.core");
    }

    @Test
    void theCoreDependsOnContractsAndNothingElseOfOurs() {
        classes().that().resideInAPackage("org.sibledger.core..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("org.sibledger.core..",
                        "org.sibledger.contracts..", "java..", "org.axonframework..", "com.fasterxml.jackson..")
                .check(core);
    }

    @Test
    void mechanismsAndTheWaterfallImportNoFramework() {
        noClasses().that().resideInAnyPackage("org.sibledger.core.mechanism..", "org.sibledger.core.waterfall..")
                .should().dependOnClassesThat().resideInAnyPackage(FRAMEWORKS)
                .check(core);
    }

    @Test
    void theCorePackagesFormNoCycle() {
        slices().matching("org.sibledger.core.(*)..").should().beFreeOfCycles().check(core);
    }

    @Test
    void everyCorePackageWasImported() {
        // guards the rules above against passing on an empty import
        assertThat(core.stream().map(c -> c.getPackageName()).distinct()).contains("org.sibledger.core.bond",
                "org.sibledger.core.mechanism", "org.sibledger.core.waterfall", "org.sibledger.core.integrity");
    }
}
