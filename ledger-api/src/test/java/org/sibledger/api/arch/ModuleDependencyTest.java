package org.sibledger.api.arch;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The module graph is the architecture: contracts <- ledger-core, contracts <- projections, and ledger-api on top,
 * with no cycle between them. Nothing depends on ledger-api; ledger-core knows nothing of HTTP, Kafka, Spring or read
 * models; projections (Spring JDBC, Axon messaging and Jackson over the contracts' records) never call ledger-core;
 * the payment mechanisms and the waterfall import no framework at all.
 */
class ModuleDependencyTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.sibledger");
    }

    @Test
    void contractsDependOnNoOtherModule() {
        noClasses().that().resideInAPackage("org.sibledger.contracts..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.sibledger.core..", "org.sibledger.projections..", "org.sibledger.api..",
                        "org.springframework..", "org.apache.kafka..")
                .check(classes);
    }

    @Test
    void coreKnowsNothingOfProjectionsApiHttpKafkaOrSpring() {
        noClasses().that().resideInAPackage("org.sibledger.core..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.sibledger.projections..", "org.sibledger.api..",
                        "org.springframework..", "org.apache.kafka..", "jakarta.servlet..", "java.sql..")
                .check(classes);
    }

    @Test
    void projectionsNeverCallTheCoreOrTheApi() {
        noClasses().that().resideInAPackage("org.sibledger.projections..")
                .should().dependOnClassesThat().resideInAnyPackage("org.sibledger.core..", "org.sibledger.api..",
                        "org.apache.kafka..")
                .check(classes);
    }

    @Test
    void theModulesFormNoCycle() {
        slices().matching("org.sibledger.(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void theMechanismsAndTheWaterfallImportNoFramework() {
        // the rule ledger-core's CoreArchitectureTest checks on its own classes, kept here over the assembled graph
        noClasses().that().resideInAnyPackage("org.sibledger.core.mechanism..", "org.sibledger.core.waterfall..")
                .should().dependOnClassesThat().resideInAnyPackage("org.axonframework..", "org.springframework..",
                        "com.fasterxml..", "org.apache.kafka..", "jakarta..", "java.sql..")
                .check(classes);
    }

    @Test
    void allThreeLowerModulesArePresent() {
        // guards the rules above against passing on an empty import
        org.assertj.core.api.Assertions.assertThat(classes.stream().map(c -> c.getPackageName().split("\\.")[2])
                .distinct()).contains("contracts", "core", "projections", "api");
    }
}
